import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import {
  backoffDelayMs,
  createGuardedFetch,
  isRetryableStatus,
  parseRetryAfterMs,
  tableOf,
  type GuardedFetchOptions,
} from '../../src/sources/http-policy.js';
import { CONTRACT_TEST_KEY, startPostgrestServer, type PostgrestServer } from '../../dev/postgrest-server.js';

const URL_LOGS = 'https://example.supabase.co/rest/v1/system_logs?select=id&worker_id=in.(gpu-1,gpu-2)';

interface FakeCall {
  url: string;
  method: string;
  signal: AbortSignal | null;
}

/** A fetch that answers from a script, one entry per call, and records the calls. */
function scriptedFetch(script: Array<(call: FakeCall) => Promise<Response> | Response>): { fetch: typeof fetch; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const fake = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const call = { url: String(input), method: init?.method ?? 'GET', signal: init?.signal ?? null };
    calls.push(call);
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    if (!step) throw new Error('empty script');
    return step(call);
  };
  return { fetch: fake as typeof fetch, calls };
}

function status(code: number, headers: Record<string, string> = {}, body = ''): () => Response {
  return () => new Response(body === '' ? null : body, { status: code, headers });
}

function networkError(code: string): () => never {
  return () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code }) });
  };
}

/** Never answers; rejects when the request's signal aborts, as fetch does. */
function hang(call: FakeCall): Promise<Response> {
  return new Promise((_, reject) => {
    call.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
  });
}

function guarded(fetchImpl: typeof fetch, options: Omit<GuardedFetchOptions, 'fetch'> = {}): { fetch: typeof fetch; sleeps: number[] } {
  const sleeps: number[] = [];
  const guardedFetch = createGuardedFetch({
    fetch: fetchImpl,
    ...options,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options.retry,
    },
  });
  return { fetch: guardedFetch, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

describe('backoffDelayMs', () => {
  it('draws uniformly below base * 2^retry, capped at the maximum', () => {
    const policy = { baseDelayMs: 250, maxDelayMs: 8000 };
    expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(0, policy, () => 0.5)).toBe(125);
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(250);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(5, policy, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(6, policy, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(20, policy, () => 0.999999)).toBe(7999);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.UTC(2025, 9, 17, 12, 0, 0);
  it('reads delta-seconds and HTTP dates, never negative', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Fri, 17 Oct 2025 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Fri, 17 Oct 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs('1.5', now)).toBeNull();
    expect(parseRetryAfterMs('-3', now)).toBeNull();
  });
});

describe('isRetryableStatus and tableOf', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504, 520].every(isRetryableStatus)).toBe(true);
    expect([200, 206, 400, 401, 403, 404, 406, 414, 416].some(isRetryableStatus)).toBe(false);
  });
  it('names the table from the path, never the query', () => {
    expect(tableOf(URL_LOGS)).toBe('system_logs');
    expect(tableOf(new URL('https://x.supabase.co/rest/v1/workers'))).toBe('workers');
    expect(tableOf('not a url')).toBe('request');
  });
});

describe('createGuardedFetch', () => {
  it('refuses every method but GET and HEAD before anything is sent', async () => {
    const { fetch: fake, calls } = scriptedFetch([status(200)]);
    const { fetch: send } = guarded(fake);
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE', 'post']) {
      const error = await failure(send(URL_LOGS, { method }));
      expect(error.message).toBe(`Refused to send ${method.toUpperCase()} to Supabase (system_logs): this tool only reads`);
    }
    await failure(send(new Request('https://example.supabase.co/rest/v1/tasks', { method: 'DELETE' })));
    expect(calls).toHaveLength(0);
    expect((await send(URL_LOGS, { method: 'HEAD' })).status).toBe(200);
    expect((await send(URL_LOGS)).status).toBe(200);
    expect(calls.map((c) => c.method)).toEqual(['HEAD', 'GET']);
  });

  it('retries 503 with jittered exponential backoff and returns the first good answer', async () => {
    const { fetch: fake, calls } = scriptedFetch([status(503), status(503), status(200, {}, '[{"id":1}]')]);
    const { fetch: send, sleeps } = guarded(fake);
    const response = await send(URL_LOGS);
    expect(await response.json()).toEqual([{ id: 1 }]);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([125, 250]);
  });

  it('retries 408, 429 and 500 too, but hands 4xx answers back at once', async () => {
    for (const code of [408, 429, 500]) {
      const { fetch: fake, calls } = scriptedFetch([status(code), status(200)]);
      expect((await guarded(fake).fetch(URL_LOGS)).status).toBe(200);
      expect(calls, String(code)).toHaveLength(2);
    }
    for (const code of [400, 401, 404, 416]) {
      const { fetch: fake, calls } = scriptedFetch([status(code, {}, '{"code":"X"}'), status(200)]);
      const response = await guarded(fake).fetch(URL_LOGS);
      expect(response.status).toBe(code);
      expect(await response.json()).toEqual({ code: 'X' });
      expect(calls).toHaveLength(1);
    }
  });

  it('honours Retry-After in seconds or as a date, capped', async () => {
    const now = Date.UTC(2025, 9, 17, 12, 0, 0);
    const { fetch: fake } = scriptedFetch([
      status(503, { 'Retry-After': '2' }),
      status(429, { 'Retry-After': 'Fri, 17 Oct 2025 12:00:03 GMT' }),
      status(503, { 'Retry-After': '3600' }),
      status(200),
    ]);
    const { fetch: send, sleeps } = guarded(fake, { now: () => now, retry: { maxRetryAfterMs: 10_000 } });
    expect((await send(URL_LOGS)).status).toBe(200);
    expect(sleeps).toEqual([2000, 3000, 10_000]);
  });

  it('gives up after the last attempt with one line naming the table and the last failure', async () => {
    const { fetch: fake, calls } = scriptedFetch([status(503)]);
    const { fetch: send, sleeps } = guarded(fake, { retry: { attempts: 4 } });
    const error = await failure(send(URL_LOGS, { headers: { apikey: CONTRACT_TEST_KEY } }));
    expect(error.message).toBe('Supabase request failed after 4 attempts (system_logs): HTTP 503 Service Unavailable');
    expect(error.message).not.toContain(CONTRACT_TEST_KEY);
    expect(error.message).not.toContain('gpu-1');
    expect(calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('retries connection resets and refusals, and names the code when it gives up', async () => {
    const { fetch: fake, calls } = scriptedFetch([networkError('ECONNRESET'), networkError('ECONNREFUSED'), status(200)]);
    expect((await guarded(fake).fetch(URL_LOGS)).status).toBe(200);
    expect(calls).toHaveLength(3);

    const { fetch: failing } = scriptedFetch([networkError('ECONNRESET')]);
    const error = await failure(guarded(failing, { retry: { attempts: 2 } }).fetch(URL_LOGS));
    expect(error.message).toBe('Supabase request failed after 2 attempts (system_logs): connection reset (ECONNRESET)');
  });

  it('does not retry a host that does not exist', async () => {
    const { fetch: fake, calls } = scriptedFetch([networkError('ENOTFOUND')]);
    const error = await failure(guarded(fake).fetch(URL_LOGS));
    expect(error.message).toBe('Supabase request failed (system_logs): host not found (ENOTFOUND)');
    expect(calls).toHaveLength(1);
  });

  it('retries a body cut off mid-stream, because the body is read inside the attempt', async () => {
    const truncated = (): Response =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('[{"id":'));
            controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
          },
        }),
        { status: 200 },
      );
    const { fetch: fake, calls } = scriptedFetch([truncated, status(200, {}, '[{"id":2}]')]);
    const response = await guarded(fake).fetch(URL_LOGS);
    expect(await response.json()).toEqual([{ id: 2 }]);
    expect(calls).toHaveLength(2);
  });

  it('times out a request that never answers, retries it, then fails naming the timeout', async () => {
    const { fetch: fake, calls } = scriptedFetch([hang]);
    const error = await failure(guarded(fake, { requestTimeoutMs: 20, retry: { attempts: 3 } }).fetch(URL_LOGS));
    expect(error.message).toBe('Supabase request failed after 3 attempts (system_logs): no response within 20 ms');
    expect(calls).toHaveLength(3);
  });

  it('stops at once when the command or the caller cancels, without further attempts', async () => {
    const command = new AbortController();
    const { fetch: fake, calls } = scriptedFetch([
      (call) => {
        setImmediate(() => command.abort());
        return hang(call);
      },
    ]);
    const error = await failure(guarded(fake, { signal: command.signal, requestTimeoutMs: 60_000 }).fetch(URL_LOGS));
    expect(error.message).toBe('Supabase request cancelled (system_logs)');
    expect(calls).toHaveLength(1);

    const caller = new AbortController();
    caller.abort();
    const { fetch: idle, calls: idleCalls } = scriptedFetch([status(200)]);
    const cancelled = await failure(guarded(idle).fetch(URL_LOGS, { signal: caller.signal }));
    expect(cancelled.message).toBe('Supabase request cancelled (system_logs)');
    expect(idleCalls).toHaveLength(0);
  });
});

describe('createGuardedFetch over real sockets (contract server)', () => {
  let server: PostgrestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const headers = { apikey: CONTRACT_TEST_KEY, Authorization: `Bearer ${CONTRACT_TEST_KEY}` };

  it('survives 503s and connection resets (before and mid-body) and returns the full answer', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: `w${String(i).padStart(4, '0')}`, created_at: '2025-10-17T12:00:00+00:00', status: 'active' }));
    server = await startPostgrestServer({ rows: { workers: rows }, faults: { seed: 5, unavailableRate: 0.3, resetRate: 0.3 } });
    const { fetch: send } = guarded(fetch, { retry: { attempts: 12 } });
    for (let i = 0; i < 8; i++) {
      const response = await send(`${server.url}/rest/v1/workers?select=id&order=id`, { headers });
      expect(response.status).toBe(200);
      expect(((await response.json()) as unknown[]).length).toBe(300);
    }
    const faults = new Set(server.requests.map((r) => r.fault));
    expect(faults.has('unavailable')).toBe(true);
    expect(faults.has('reset')).toBe(true);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('reports a server that hangs as a timeout', async () => {
    server = await startPostgrestServer({ faults: { hangRate: 1 } });
    // Long enough for each attempt to reach the server on a loaded machine (a shorter one was aborted
    // before the server saw the request), short enough to keep the test quick.
    const { fetch: send } = guarded(fetch, { requestTimeoutMs: 400, retry: { attempts: 2 } });
    const error = await failure(send(`${server.url}/rest/v1/workers`, { headers }));
    expect(error.message).toBe('Supabase request failed after 2 attempts (workers): no response within 400 ms');
    expect(server.requests).toHaveLength(2);
  });
});

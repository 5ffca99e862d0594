/**
 * The one door every Supabase request goes through (supabase-js's `global.fetch`):
 * - read-only: any method other than GET/HEAD is refused before a byte is sent;
 * - a timeout per attempt, combined with the caller's and the whole command's AbortSignals;
 * - bounded retries with full-jitter exponential backoff on network failures, timeouts and
 *   HTTP 408/429/5xx, honouring (a capped) Retry-After;
 * - one readable SourceError line when it gives up, naming the table but never the key or the
 *   query string (which holds long id lists).
 *
 * The body is read inside the attempt, so a connection that dies mid-body is retried like one that
 * dies before the headers, and the per-attempt timeout covers a body that stalls.
 */
import { STATUS_CODES } from 'node:http';
import { SourceError } from '../errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Upper bound on a server's Retry-After, so that one answer cannot stall a command for minutes. */
  maxRetryAfterMs?: number;
  /** In [0, 1); injectable so that tests get exact delays. */
  random?: () => number;
  /** Waits `ms`, or less when `signal` aborts; injectable so that tests do not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface GuardedFetchOptions {
  /** The fetch that actually sends (default: the global one). */
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  /** Aborts everything: the whole command was cancelled. */
  signal?: AbortSignal;
  retry?: RetryOptions;
  /** Wall clock in epoch ms, for Retry-After given as an HTTP date. */
  now?: () => number;
}

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
} as const;

/**
 * Full-jitter backoff before retry number `retryIndex` (0 for the first retry): uniform in
 * [0, min(maxDelay, base * 2^retryIndex)). Jitter spreads the retries of concurrent page reads
 * so that they do not hit a recovering server in lockstep.
 */
export function backoffDelayMs(retryIndex: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds to wait: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names a weekday; this keeps bare numbers like "1.5" from parsing as dates.
  if (!/^[A-Za-z]{3},/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Statuses worth another attempt: timeouts, throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Network error codes (Node and undici) that a later attempt can plausibly get past. */
const TRANSIENT_NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
};

const PERMANENT_NETWORK_CODES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'host not found',
  ERR_INVALID_URL: 'invalid URL',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

type Attempt =
  | { ok: true; response: Response }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs: number | null };

export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const send = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const retry = options.retry ?? {};
  const attempts = Math.max(1, retry.attempts ?? DEFAULT_RETRY.attempts);
  const backoff: BackoffPolicy = {
    baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
  const maxRetryAfterMs = retry.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs;
  const random = retry.random ?? Math.random;
  const sleep = retry.sleep ?? sleepUnlessAborted;
  const now = options.now ?? Date.now;

  const guardedFetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const table = tableOf(input);
    if (method !== 'GET' && method !== 'HEAD') {
      throw new SourceError(`Refused to send ${method} to Supabase (${table}): this tool only reads`);
    }
    const callerSignals = [options.signal, init?.signal ?? undefined].filter((s): s is AbortSignal => s !== undefined);
    const cancelled = callerSignals.length > 0 ? AbortSignal.any(callerSignals) : new AbortController().signal;

    let lastReason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (cancelled.aborted) throw cancelledError(table);
      const outcome = await attemptOnce(input, init, method, cancelled);
      if (outcome.ok) return outcome.response;
      if (cancelled.aborted) throw cancelledError(table);
      if (!outcome.retryable) throw new SourceError(`Supabase request failed (${table}): ${outcome.reason}`);
      lastReason = outcome.reason;
      if (attempt === attempts) break;
      const delay =
        outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, maxRetryAfterMs) : backoffDelayMs(attempt - 1, backoff, random);
      await sleep(delay, cancelled);
    }
    if (cancelled.aborted) throw cancelledError(table);
    throw new SourceError(`Supabase request failed after ${attempts} attempts (${table}): ${lastReason}`);
  };

  async function attemptOnce(
    input: Parameters<typeof fetch>[0],
    init: Parameters<typeof fetch>[1],
    method: string,
    cancelled: AbortSignal,
  ): Promise<Attempt> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const response = await send(input, { ...init, signal: AbortSignal.any([timeout.signal, cancelled]) });
      const body = method === 'HEAD' ? null : await response.arrayBuffer();
      const statusText = response.statusText || STATUS_CODES[response.status] || '';
      if (isRetryableStatus(response.status)) {
        return {
          ok: false,
          retryable: true,
          reason: `HTTP ${response.status}${statusText ? ' ' + statusText : ''}`,
          retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), now()),
        };
      }
      const replay = new Response(body !== null && body.byteLength > 0 ? body : null, {
        status: response.status,
        statusText,
        headers: response.headers,
      });
      return { ok: true, response: replay };
    } catch (error) {
      if (timeout.signal.aborted && !cancelled.aborted) {
        return { ok: false, retryable: true, reason: `no response within ${timeoutMs} ms`, retryAfterMs: null };
      }
      return { ok: false, ...describeNetworkError(error), retryAfterMs: null };
    } finally {
      clearTimeout(timer);
    }
  }

  return guardedFetch as typeof fetch;
}

/** The table a PostgREST URL reads (`/rest/v1/<table>`), for messages; never the query string. */
export function tableOf(input: Parameters<typeof fetch>[0]): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const segments = new URL(href).pathname.split('/').filter(Boolean);
    const restAt = segments.indexOf('v1');
    const name = (restAt >= 0 ? segments[restAt + 1] : undefined) ?? segments[segments.length - 1];
    return name ? decodeURIComponent(name).slice(0, 64) : 'request';
  } catch {
    return 'request';
  }
}

function describeNetworkError(error: unknown): { retryable: boolean; reason: string } {
  const code = errorCode(error);
  if (code !== null) {
    const transient = TRANSIENT_NETWORK_CODES[code];
    if (transient) return { retryable: true, reason: `${transient} (${code})` };
    const permanent = PERMANENT_NETWORK_CODES[code];
    if (permanent) return { retryable: false, reason: `${permanent} (${code})` };
  }
  // fetch rejects with a TypeError for every network failure (spec); those without a known code
  // (e.g. undici's "terminated" when a body is cut off) are treated as transient.
  if (error instanceof TypeError) return { retryable: true, reason: `network error (${code ?? oneLine(error.message)})` };
  return { retryable: false, reason: oneLine(error instanceof Error ? error.message : String(error)) };
}

/** The first `code` along the error's cause chain (undici nests the socket error). */
function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? flat.slice(0, 117) + '...' : flat;
}

function cancelledError(table: string): SourceError {
  return new SourceError(`Supabase request cancelled (${table})`);
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Faults between the CLI and Supabase, end to end through the contract server: transient 503s
 * (some with Retry-After) and connection resets change no command's answer; retries that run out
 * and a server that never answers end in one line and exit 4 with nothing half-written; rows
 * written while a command pages through a table do not change its answer for the window it reads.
 * The demo fleet answers (same-answers.test.ts holds them equal to the fault-free Supabase ones)
 * are the reference.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatPostgrestInstant, MICROS_PER_SECOND } from '../../src/rows/time.js';
import { startPostgrestServer, type FaultKind, type PostgrestServer, type Row } from '../../dev/postgrest-server.js';
import { DEMO, FLEET_COMMANDS, WORKERS, demoRows, errorLines, runOn, workerCommands } from './support.js';

const KEY = 'faults-test-service-key-7d1c';
const tmp = mkdtempSync(path.join(tmpdir(), 'wf-faults-'));
let server: PostgrestServer;
const env = () => ({ SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: KEY });

beforeAll(async () => {
  server = await startPostgrestServer({ rows: demoRows(), apiKeys: [KEY] });
});

afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  server.setFaults({});
  server.setOnRequest(null);
});

function faultsSince(first: number): Record<FaultKind, number> {
  const counts: Record<FaultKind, number> = { unavailable: 0, reset: 0, hang: 0 };
  for (const request of server.requests.slice(first)) if (request.fault) counts[request.fault]++;
  return counts;
}

describe('transient faults: 10 % of requests answered 503, some connections reset', { timeout: 120_000 }, () => {
  const commands = [...workerCommands(WORKERS.oom), ...workerCommands(WORKERS.longRunning), ...FLEET_COMMANDS];
  const seen = { withRetryAfter: { unavailable: 0, reset: 0 }, withoutRetryAfter: { unavailable: 0, reset: 0 } };

  it.each(commands.map((args, i) => ({ name: args.join(' '), args, i })))('$name', async ({ name, args, i }) => {
    // Every other command's 503s carry Retry-After; the fault sequence is seeded per command.
    const retryAfter = i % 2 === 0;
    server.setFaults({ seed: 100 + i, unavailableRate: 0.1, resetRate: 0.05, ...(retryAfter ? { retryAfter: '1' } : {}) });
    const first = server.requests.length;
    const [demo, faulty] = await Promise.all([runOn('demo', [...args, '--json']), runOn('supabase', [...args, '--json'], env())]);
    expect(faulty.code, `${name}: ${faulty.stderr}`).toBe(0);
    expect(faulty.json()).toEqual(demo.json());
    const faults = faultsSince(first);
    const tally = retryAfter ? seen.withRetryAfter : seen.withoutRetryAfter;
    tally.unavailable += faults.unavailable;
    tally.reset += faults.reset;
  });

  it('the faults did happen, with and without Retry-After', () => {
    const { withRetryAfter, withoutRetryAfter } = seen;
    expect(withRetryAfter.unavailable).toBeGreaterThan(0);
    expect(withoutRetryAfter.unavailable).toBeGreaterThan(0);
    expect(withRetryAfter.unavailable + withoutRetryAfter.unavailable).toBeGreaterThanOrEqual(5);
    expect(withRetryAfter.reset + withoutRetryAfter.reset).toBeGreaterThanOrEqual(2);
  });
});

// Both wait on the network, not on the CPU: they run side by side, each on its own server.
describe.concurrent('when the server fails for good', { timeout: 60_000 }, () => {
  async function failingServer(faults: Parameters<PostgrestServer['setFaults']>[0]): Promise<PostgrestServer & { env: NodeJS.ProcessEnv }> {
    const failing = await startPostgrestServer({ rows: demoRows(), apiKeys: [KEY], faults });
    return Object.assign(failing, { env: { SUPABASE_URL: failing.url, SUPABASE_SERVICE_ROLE_KEY: KEY } });
  }

  it('retries run out (every request answered 503): one line naming what failed, exit 4, no snapshot file', async () => {
    const failing = await failingServer({ unavailableRate: 1 });
    try {
      const out = path.join(tmp, 'unavailable', 'evidence.json.gz');
      const [status, active, snapshot] = await Promise.all([
        runOn('supabase', ['status', WORKERS.oom, '--json'], failing.env),
        runOn('supabase', ['active'], failing.env),
        runOn('supabase', ['snapshot', WORKERS.oom, '--out', out], failing.env),
      ]);
      expect(errorLines(status.stderr)).toEqual(['worker-forensics: Supabase request failed after 5 attempts (workers): HTTP 503 Service Unavailable']);
      expect(errorLines(active.stderr)).toEqual(['worker-forensics: Supabase request failed after 5 attempts (workers): HTTP 503 Service Unavailable']);
      expect(errorLines(snapshot.stderr)).toHaveLength(1);
      expect(errorLines(snapshot.stderr)[0]).toMatch(/^worker-forensics: Supabase request failed after 5 attempts \((workers|tasks|system_logs)\): HTTP 503 Service Unavailable$/);
      for (const run of [status, active, snapshot]) {
        expect(run.code).toBe(4);
        expect(run.stdout).toBe('');
      }
      expect(existsSync(path.dirname(out)) ? readdirSync(path.dirname(out)) : []).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it('a server that never answers, --timeout 2: "gave up after", exit 4, no snapshot file; the command does not hang', async () => {
    const hung = await failingServer({ hangRate: 1 });
    try {
      const out = path.join(tmp, 'hung', 'evidence.json');
      const [active, snapshot] = await Promise.all([
        runOn('supabase', ['active', '--timeout', '2'], hung.env),
        runOn('supabase', ['snapshot', '--hours', '8', '--out', out, '--timeout', '2'], hung.env),
      ]);
      for (const run of [active, snapshot]) {
        expect(run.code).toBe(4);
        expect(run.stdout).toBe('');
        expect(errorLines(run.stderr)).toEqual(['worker-forensics: gave up after 2 s (--timeout)']);
      }
      expect(existsSync(path.dirname(out)) ? readdirSync(path.dirname(out)) : []).toEqual([]);
      expect(hung.requests.filter((r) => r.fault === 'hang').length).toBeGreaterThanOrEqual(2);
    } finally {
      await hung.close();
    }
  });
});

describe('rows written while a command pages through them', { timeout: 120_000 }, () => {
  const S = MICROS_PER_SECOND;
  const workerIds = DEMO.workers.map((w) => String(w['id']));
  let serial = 0;
  const uuid = () => `f0000000-0000-4000-8000-${String(serial++).padStart(12, '0')}`;

  /** What the orchestrator writes after as-of: log lines of every worker, a new worker, a new task. */
  function writtenAfterAsOf(): { system_logs: Row[]; workers: Row[]; tasks: Row[] } {
    const at = (offsetS: number) => formatPostgrestInstant(DEMO.asOf + offsetS * S + (serial % 1000));
    return {
      system_logs: workerIds.map((id, i) => ({
        id: uuid(),
        timestamp: at(1 + i),
        source_type: 'worker',
        source_id: id,
        log_level: i % 3 === 0 ? 'ERROR' : 'INFO',
        message: i % 2 === 0 ? '🔄 MODEL SWITCH: wan_2_2 -> flux' : '✅ [HEARTBEAT] Worker active',
        task_id: null,
        worker_id: id,
        cycle_number: null,
        metadata: null,
      })),
      workers: [{ id: `gpu-20251017_140100-${String(serial).padStart(8, '0')}`, instance_type: 'runpod', created_at: at(60), last_heartbeat: at(70), status: 'active', metadata: {} }],
      tasks: [
        {
          id: uuid(),
          task_type: 'single_image',
          params: {},
          status: 'Queued',
          worker_id: null,
          attempts: 0,
          error_message: null,
          result_data: null,
          created_at: at(30),
          updated_at: at(30),
          generation_started_at: null,
          generation_processed_at: null,
        },
      ],
    };
  }

  const sizes = () => Object.fromEntries(Object.entries(server.tables).map(([table, rows]) => [table, rows.length]));
  let served: Record<string, number>;
  beforeAll(() => {
    served = sizes();
  });
  afterEach(() => {
    for (const [table, rows] of Object.entries(server.tables)) rows.length = served[table]!;
  });

  it.each([
    ['logs', WORKERS.longRunning],
    ['classify', '--hours', '24'],
    ['report', '--hours', '8'],
  ].map((args) => ({ name: args.join(' '), args })))('$name', async ({ args }) => {
    const before = sizes();
    const first = server.requests.length;
    let writes = 0;
    // From the second request on (the first page has fixed the count), every third one writes.
    server.setOnRequest(() => {
      const n = server.requests.length - first;
      if (n < 2 || n % 3 !== 2) return;
      const rows = writtenAfterAsOf();
      for (const [table, list] of Object.entries(rows)) server.insert(table, list);
      writes++;
    });
    const [demo, live] = await Promise.all([runOn('demo', [...args, '--json']), runOn('supabase', [...args, '--json'], env())]);
    expect(live.code, live.stderr).toBe(0);
    expect(live.json()).toEqual(demo.json());
    expect(writes).toBeGreaterThan(0);
    // Requests came after the first write: it happened while the command was reading.
    expect(server.requests.length - first).toBeGreaterThan(2);
    expect(sizes()['system_logs']).toBe(before['system_logs']! + writes * workerIds.length);
  });
});

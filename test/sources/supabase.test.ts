/**
 * The Supabase source against the PostgREST-protocol contract server (test/support), through
 * the real supabase-js 2.109 client and real sockets.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compareLogs } from '../../src/rows/order.js';
import { BUILT_IN_VOCABULARY, compileVocabulary } from '../../src/config/vocabulary.js';
import { SourceError, UsageError } from '../../src/errors.js';
import { parseRows } from '../../src/rows/parse.js';
import { TASK_STATUSES, WORKER_STATUSES_SEEN, type SystemLog, type Task, type Worker } from '../../src/rows/schemas.js';
import { openSupabaseSource, type SupabaseSourceConfig } from '../../src/sources/supabase.js';
import type { ReadProgress, Source } from '../../src/sources/types.js';
import { formatPostgrestInstant, type Instant } from '../../src/rows/time.js';
import {
  CONTRACT_TEST_KEY,
  ORCHESTRATOR_TABLES,
  mulberry32,
  startPostgrestServer,
  type PostgrestServer,
  type PostgrestServerOptions,
  type RecordedRequest,
  type Row,
} from '../../dev/postgrest-server.js';

const KEY = CONTRACT_TEST_KEY;
const BASE: Instant = Date.UTC(2025, 9, 17, 12, 0, 0) * 1000;
const SECOND = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Bookkeeping shared by every test: servers and sources are closed after each test; every request
// any server saw and every error message any read produced are checked once at the end.

const servers: PostgrestServer[] = [];
const sources: Source[] = [];
const everyRequest: RecordedRequest[][] = [];
const errorMessages: string[] = [];

async function serve(options: PostgrestServerOptions = {}): Promise<PostgrestServer> {
  const server = await startPostgrestServer(options);
  servers.push(server);
  everyRequest.push(server.requests);
  return server;
}

function open(server: PostgrestServer, config: Partial<SupabaseSourceConfig> = {}): Source {
  const source = openSupabaseSource({
    url: server.url,
    key: KEY,
    ...config,
    // Retries do not wait in tests; the jitter is fixed.
    retry: { sleep: async () => {}, random: () => 0.5, ...config.retry },
  });
  sources.push(source);
  return source;
}

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    const message = (error as SourceError).message;
    errorMessages.push(message);
    expect(message).not.toContain('\n');
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(() => {
  const requests = everyRequest.flat();
  expect(requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  for (const message of errorMessages) expect(message).not.toContain(KEY);
});

// ---------------------------------------------------------------------------------------------
// Fixtures: raw rows as Supabase returns them

function uuids(seed: number): () => string {
  const random = mulberry32(seed);
  return () => {
    let hex = '';
    for (let i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface LogSpec {
  worker: string;
  at: Instant;
  message?: string;
  sourceType?: string;
}

function logRow(spec: LogSpec, id: string): Row {
  return {
    id,
    timestamp: formatPostgrestInstant(spec.at),
    source_type: spec.sourceType ?? 'worker',
    source_id: spec.worker,
    log_level: 'INFO',
    message: spec.message ?? '✅ [HEARTBEAT] Worker active',
    task_id: null,
    worker_id: spec.worker,
    cycle_number: null,
    metadata: {},
  };
}

/**
 * `count` lines of one worker, seven to a timestamp (with microseconds), shuffled into the table.
 * Seven does not divide the page sizes, so tied lines straddle page boundaries: only a read that
 * breaks ties by id gets each of them exactly once.
 */
function workerLog(worker: string, count: number, seed: number, start: Instant = BASE): Row[] {
  const nextId = uuids(seed);
  const rows = Array.from({ length: count }, (_, i) => logRow({ worker, at: start + Math.floor(i / 7) * 10_007 }, nextId()));
  return shuffled(rows, seed);
}

function workerRow(id: string, createdAt: Instant, status: string): Row {
  return {
    id,
    instance_type: 'runpod',
    created_at: formatPostgrestInstant(createdAt),
    last_heartbeat: null,
    status,
    metadata: { ram_tier: 48 },
  };
}

function taskRow(id: string, workerId: string | null, status: string, createdAt: Instant): Row {
  return {
    id,
    task_type: 'travel_segment',
    params: {},
    status,
    worker_id: workerId,
    attempts: 0,
    error_message: null,
    result_data: null,
    created_at: formatPostgrestInstant(createdAt),
    updated_at: formatPostgrestInstant(createdAt),
    generation_started_at: null,
    generation_processed_at: null,
  };
}

/** What a correct read returns: the fixture parsed, filtered and ordered in plain code. */
function expectedLogs(rows: readonly Row[], keep: (log: SystemLog) => boolean = () => true): string[] {
  return parseRows('system_logs', rows).rows.filter(keep).sort(compareLogs).map((log) => log.id);
}

function byCreatedThenId(a: Worker | Task, b: Worker | Task): number {
  return a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function maxInFlight(requests: readonly RecordedRequest[]): number {
  let max = 0;
  for (const request of requests) {
    const overlapping = requests.filter((other) => other.startedAt <= request.startedAt && (other.finishedAt ?? Infinity) > request.startedAt);
    max = Math.max(max, overlapping.length);
  }
  return max;
}

// ---------------------------------------------------------------------------------------------

describe('opening', () => {
  it('labels the source by origin only, and is live (no frozen instant)', async () => {
    const server = await serve();
    const source = open(server);
    expect(source.kind).toBe('supabase');
    expect(source.label).toBe(`Supabase at ${server.url}`);
    expect(source.frozenAt).toBeNull();
    const remote = openSupabaseSource({ url: 'https://someone:pw@abcd.supabase.co/some/path', key: KEY });
    sources.push(remote);
    expect(remote.label).toBe('Supabase at https://abcd.supabase.co');
    expect(remote.label).not.toContain(KEY);
  });

  it('refuses a bad URL, a missing key and nonsense sizes with UsageErrors that do not echo the key', () => {
    expect(() => openSupabaseSource({ url: 'not a url', key: KEY })).toThrow(UsageError);
    expect(() => openSupabaseSource({ url: 'ftp://abcd.supabase.co', key: KEY })).toThrow(/https/);
    expect(() => openSupabaseSource({ url: 'https://abcd.supabase.co', key: ' ' })).toThrow('No Supabase key was given');
    expect(() => openSupabaseSource({ url: 'https://abcd.supabase.co', key: KEY, pageSize: 0 })).toThrow(/pageSize/);
    expect(() => openSupabaseSource({ url: 'https://abcd.supabase.co', key: KEY, concurrency: 1.5 })).toThrow(/concurrency/);
    try {
      openSupabaseSource({ url: 'not a url', key: KEY });
    } catch (error) {
      expect((error as Error).message).not.toContain(KEY);
    }
  });
});

// Generous budget: each read makes the contract server filter and sort ~28,000 rows per page.
describe('paging past the max-rows cap', { timeout: 30_000 }, () => {
  const worker = 'gpu-20251017_120000-aaaaaaaa';
  const mine = workerLog(worker, 25_000, 1);
  const others = [...workerLog('gpu-20251017_120000-bbbbbbbb', 1500, 2), ...workerLog('gpu-20251017_120000-cccccccc', 1500, 3)];
  const expected = expectedLogs(mine);

  it('reads 25,000 lines of one worker complete and in (timestamp, id) order, ties included', async () => {
    const server = await serve({ rows: { system_logs: shuffled([...mine, ...others], 9) } });
    const progress: ReadProgress[] = [];
    const { rows, problems } = await open(server).logs({ workerIds: [worker] }, { onProgress: (p) => progress.push(p) });
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(new Set(rows.map((r) => r.timestamp)).size).toBe(Math.ceil(25_000 / 7));
    expect(server.requests).toHaveLength(25);
    expect(progress).toHaveLength(25);
    expect(progress[0]).toEqual({ table: 'system_logs', rows: 1000, total: 25_000 });
    expect(progress.at(-1)).toEqual({ table: 'system_logs', rows: 25_000, total: 25_000 });
    expect(progress.every((p, i) => i === 0 || p.rows > (progress[i - 1]?.rows ?? 0))).toBe(true);
  });

  it('follows a server cap (500) smaller than the page size (1000): two rounds, bounded concurrency', async () => {
    const server = await serve({ rows: { system_logs: [...mine, ...others] }, maxRows: 500 });
    const { rows } = await open(server, { pageSize: 1000, concurrency: 4 }).logs({ workerIds: [worker] });
    expect(rows.map((r) => r.id)).toEqual(expected);

    const requests = server.requests;
    expect(requests).toHaveLength(50);
    const [first, ...rest] = requests;
    const limitOf = (r: RecordedRequest | undefined): string | null => new URL(r?.url ?? '', server.url).searchParams.get('limit');
    expect(limitOf(first)).toBe('1000');
    expect(rest.every((r) => limitOf(r) === '500')).toBe(true);
    expect(new Set(rest.map((r) => new URL(r.url, server.url).searchParams.get('offset'))).size).toBe(49);
    // Round one is the first page alone; everything else started after it finished.
    expect(rest.every((r) => r.startedAt >= (first?.finishedAt ?? Infinity))).toBe(true);
    expect(maxInFlight(requests)).toBeLessThanOrEqual(4);
    expect(requests.every((r) => r.headers.prefer === 'count=exact' && r.status === 206)).toBe(true);
  });

  it('returns the same rows when 10 % of requests get 503 and some connections reset', async () => {
    const server = await serve({
      rows: { system_logs: [...mine, ...others] },
      faults: { seed: 2, unavailableRate: 0.1, resetRate: 0.06 },
    });
    const { rows } = await open(server).logs({ workerIds: [worker] });
    expect(rows.map((r) => r.id)).toEqual(expected);
    const faults = server.requests.map((r) => r.fault);
    expect(faults.filter((f) => f === 'unavailable').length).toBeGreaterThan(0);
    expect(faults.filter((f) => f === 'reset').length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.status === 206)).toHaveLength(25);
  });
});

describe('rows that change during a read', () => {
  const worker = 'gpu-20251017_120000-dddddddd';
  const until = BASE + 3600 * SECOND;
  const base = workerLog(worker, 5000, 11);

  it('is not disturbed by lines written after `until` while it pages', async () => {
    const server = await serve({ rows: { system_logs: base } });
    const late = workerLog(worker, 3000, 12, until + SECOND);
    server.setOnRequest(() => {
      if (server.requests.length === 2) server.insert('system_logs', late);
    });
    const { rows } = await open(server).logs({ workerIds: [worker], until });
    expect(rows.map((r) => r.id)).toEqual(expectedLogs(base));
    expect(server.tables['system_logs']).toHaveLength(8000);
    expect(server.requests).toHaveLength(5);
  });

  it('reads again once when lines appear inside the window mid-read, and returns them all', async () => {
    const server = await serve({ rows: { system_logs: base } });
    const inside = workerLog(worker, 10, 13, BASE + 5);
    server.setOnRequest(() => {
      if (server.requests.length === 3) server.insert('system_logs', inside);
    });
    const { rows } = await open(server).logs({ workerIds: [worker], until });
    expect(rows.map((r) => r.id)).toEqual(expectedLogs([...base, ...inside]));
    expect(server.requests.length).toBe(5 + 6);
  });

  it('reads again when rows are deleted mid-read, even past the end (416)', async () => {
    const server = await serve({ rows: { system_logs: base } });
    server.setOnRequest(() => {
      if (server.requests.length === 2) server.tables['system_logs']?.splice(0, 1500);
    });
    const { rows } = await open(server).logs({ workerIds: [worker], until });
    expect(rows.map((r) => r.id)).toEqual(expectedLogs(base.slice(1500)));
    expect(server.requests.some((r) => r.status === 416)).toBe(true);
  });

  it('fails with a SourceError when the window keeps changing', async () => {
    const server = await serve({ rows: { system_logs: base } });
    let n = 0;
    server.setOnRequest(() => server.insert('system_logs', workerLog(worker, 1, 100 + n++, BASE + 7)));
    const error = await sourceError(open(server).logs({ workerIds: [worker], until }));
    expect(error.message).toMatch(/^Supabase rows of system_logs changed during the read, twice in a row \(the count moved from \d+ to \d+\); try again$/);
  });
});

describe('in-list batching', () => {
  const random = mulberry32(77);
  const workerIds = Array.from({ length: 1500 }, (_, i) => {
    const hex = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
    return `gpu-20251017_${String(120000 + (i % 60)).padStart(6, '0')}-${hex}`;
  });
  // Created in pairs, so (created_at, id) needs the id to break ties.
  const workers = workerIds.map((id, i) => workerRow(id, BASE + Math.floor(i / 2) * SECOND, 'active'));
  const nextTaskId = uuids(78);
  const tasks = workerIds.flatMap((id, i) => [
    taskRow(nextTaskId(), id, 'Complete', BASE + i * SECOND),
    taskRow(nextTaskId(), id, 'Failed', BASE + i * SECOND),
  ]);

  it('reads 1,500 workers by id in batches under the URI limit: all rows, once each, in order', async () => {
    const server = await serve({ rows: { workers: shuffled([...workers, workerRow('gpu-other', BASE, 'active')], 5) } });
    const { rows } = await open(server).workers({ ids: workerIds });
    const expected = parseRows('workers', workers).rows.sort(byCreatedThenId).map((w) => w.id);
    expect(rows.map((w) => w.id)).toEqual(expected);
    expect(new Set(rows.map((w) => w.id)).size).toBe(1500);
    expect(server.requests.length).toBeGreaterThanOrEqual(10);
    expect(server.requests.every((r) => r.status === 200 && r.url.length < 4600)).toBe(true);
  });

  it('applies a limit to the merged batches, not to each', async () => {
    const server = await serve({ rows: { workers } });
    const { rows } = await open(server).workers({ ids: shuffled(workerIds, 6), limit: 7 });
    const expected = parseRows('workers', workers).rows.sort(byCreatedThenId).slice(0, 7).map((w) => w.id);
    expect(rows.map((w) => w.id)).toEqual(expected);
  });

  it('reads tasks of 1,500 workers, with a second in-list (statuses) combined', async () => {
    const server = await serve({ rows: { tasks: shuffled(tasks, 8) } });
    const { rows } = await open(server).tasks({ workerIds, statuses: ['Failed'] });
    expect(rows).toHaveLength(1500);
    expect(rows.every((t) => t.status === 'Failed')).toBe(true);
    expect(new Set(rows.map((t) => t.worker_id)).size).toBe(1500);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('sends nothing for an empty id list', async () => {
    const server = await serve({ rows: { workers } });
    expect(await open(server).workers({ ids: [] })).toEqual({ rows: [], problems: [] });
    expect(server.requests).toHaveLength(0);
  });
});

describe('filters', () => {
  const fleetIds = [
    ...Array.from({ length: 40 }, (_, i) => `gpu-20251017_13${String(i).padStart(4, '0')}-0000aa${String(i).padStart(2, '0')}`),
    'gpu-20251017X130001-decoy001', // matches the prefix only if `_` were a wildcard
    'odd*name-1',
    'oddXname-2', // matches `odd*` only if `*` were a wildcard
  ];
  const fleet = fleetIds.map((id, i) => workerRow(id, BASE + Math.floor(i / 3) * 60 * SECOND, WORKER_STATUSES_SEEN[i % WORKER_STATUSES_SEEN.length] ?? 'active'));
  const parsedFleet = parseRows('workers', fleet).rows.sort(byCreatedThenId);

  it('workers: statuses, created bounds (inclusive), id prefix taken literally, limit', async () => {
    const server = await serve({ rows: { workers: shuffled(fleet, 21) } });
    const source = open(server);
    const ids = async (query: Parameters<Source['workers']>[0]): Promise<string[]> => (await source.workers(query)).rows.map((w) => w.id);
    const from = BASE + 2 * 60 * SECOND;
    const to = BASE + 5 * 60 * SECOND;

    expect(await ids({ statuses: ['active', 'error'] })).toEqual(parsedFleet.filter((w) => ['active', 'error'].includes(w.status)).map((w) => w.id));
    expect(await ids({ createdFrom: from, createdTo: to })).toEqual(parsedFleet.filter((w) => w.created_at >= from && w.created_at <= to).map((w) => w.id));
    expect((await ids({ createdFrom: from, createdTo: to })).length).toBe(12);
    expect(await ids({ idPrefix: 'gpu-20251017_13' })).toEqual(parsedFleet.filter((w) => w.id.startsWith('gpu-20251017_13')).map((w) => w.id));
    expect(await ids({ idPrefix: 'gpu-20251017_13' })).not.toContain('gpu-20251017X130001-decoy001');
    expect(await ids({ idPrefix: 'odd*' })).toEqual(['odd*name-1']);
    expect(await ids({ idPrefix: 'odd*', limit: 1 })).toEqual(['odd*name-1']);
    expect(await ids({ limit: 5 })).toEqual(parsedFleet.slice(0, 5).map((w) => w.id));
    expect(await ids({ statuses: ['terminated'], createdFrom: from, limit: 2 })).toEqual(
      parsedFleet.filter((w) => w.status === 'terminated' && w.created_at >= from).slice(0, 2).map((w) => w.id),
    );
  });

  it('tasks: ids, worker ids, statuses, created bounds, newest first with a limit', async () => {
    const nextId = uuids(31);
    const raw = Array.from({ length: 200 }, (_, i) =>
      taskRow(nextId(), i % 10 === 9 ? null : `w${i % 10}`, TASK_STATUSES[i % TASK_STATUSES.length] ?? 'Queued', BASE + Math.floor(i / 4) * SECOND),
    );
    const all = parseRows('tasks', raw).rows.sort(byCreatedThenId);
    const server = await serve({ rows: { tasks: shuffled(raw, 32) } });
    const source = open(server);
    const ids = async (query: Parameters<Source['tasks']>[0]): Promise<string[]> => (await source.tasks(query)).rows.map((t) => t.id);
    const some = all.filter((_, i) => i % 17 === 0).map((t) => t.id);

    expect(await ids({ ids: some })).toEqual(all.filter((t) => some.includes(t.id)).map((t) => t.id));
    expect(await ids({ workerIds: ['w1', 'w3'] })).toEqual(all.filter((t) => t.worker_id === 'w1' || t.worker_id === 'w3').map((t) => t.id));
    expect(await ids({ statuses: ['Failed', 'Cancelled'] })).toEqual(all.filter((t) => t.status === 'Failed' || t.status === 'Cancelled').map((t) => t.id));
    const from = BASE + 10 * SECOND;
    const to = BASE + 20 * SECOND;
    expect(await ids({ createdFrom: from, createdTo: to })).toEqual(all.filter((t) => t.created_at >= from && t.created_at <= to).map((t) => t.id));
    expect(await ids({ newestFirst: true, limit: 7 })).toEqual([...all].reverse().slice(0, 7).map((t) => t.id));
    expect(await ids({ newestFirst: true, statuses: ['Complete'], limit: 3 })).toEqual(
      [...all].reverse().filter((t) => t.status === 'Complete').slice(0, 3).map((t) => t.id),
    );
  });

  it('tasks: updated_at bounds (inclusive; a NULL updated_at is outside them), with statuses', async () => {
    const nextId = uuids(51);
    const raw = Array.from({ length: 60 }, (_, i) => ({
      ...taskRow(nextId(), `w${i % 3}`, TASK_STATUSES[i % TASK_STATUSES.length] ?? 'Queued', BASE),
      updated_at: i % 7 === 6 ? null : formatPostgrestInstant(BASE + i * SECOND),
    }));
    const all = parseRows('tasks', raw).rows.sort(byCreatedThenId);
    const server = await serve({ rows: { tasks: shuffled(raw, 52) } });
    const source = open(server);
    const ids = async (query: Parameters<Source['tasks']>[0]): Promise<string[]> => (await source.tasks(query)).rows.map((t) => t.id);
    const from = BASE + 10 * SECOND;
    const to = BASE + 40 * SECOND;
    const inBounds = (t: Task) => t.updated_at !== null && t.updated_at >= from && t.updated_at <= to;
    expect(await ids({ updatedFrom: from, updatedTo: to })).toEqual(all.filter(inBounds).map((t) => t.id));
    expect((await ids({ updatedFrom: from, updatedTo: to })).length).toBe(27);
    expect(await ids({ updatedFrom: from, updatedTo: to, statuses: ['Complete', 'Failed'] })).toEqual(
      all.filter((t) => inBounds(t) && (t.status === 'Complete' || t.status === 'Failed')).map((t) => t.id),
    );
    expect(await ids({ updatedFrom: from })).toEqual(all.filter((t) => t.updated_at !== null && t.updated_at >= from).map((t) => t.id));
  });

  it('logs: levels in any case the rows hold them, as an anchored match (ERROR is not ERRORS)', async () => {
    const nextId = uuids(61);
    const levels = ['ERROR', 'error', 'Critical', 'CRITICAL', 'INFO', 'WARNING', 'ERRORS', 'debug'];
    const raw = levels.map((level, i) => ({ ...logRow({ worker: 'w1', at: BASE + i * SECOND }, nextId()), log_level: level }));
    const server = await serve({ rows: { system_logs: shuffled(raw, 62) } });
    const source = open(server);
    const levelsOf = async (query: Parameters<Source['logs']>[0]): Promise<string[]> => (await source.logs(query)).rows.map((l) => l.log_level);
    expect(await levelsOf({ levels: ['ERROR', 'CRITICAL'] })).toEqual(['ERROR', 'ERROR', 'CRITICAL', 'CRITICAL']);
    expect(await levelsOf({ levels: ['error'], since: BASE + SECOND })).toEqual(['ERROR']);
    expect(await levelsOf({ levels: [] })).toEqual([]);
  });

  it('logs: since/until (inclusive); the lines of marker families, each by its writer, with LIKE and RegExp syntax in the markers taken as written', async () => {
    const nextId = uuids(41);
    const messages = [
      '100% done',
      '100 percent done',
      'snake_case',
      'snakeXcase',
      'back\\slash',
      'backslash',
      '🔄 MODEL SWITCH: a -> b',
      'model switch: c -> d',
      'MODEL SWİTCH: e -> f',
      'a*b',
      'aXb',
      'Before VLM loading',
    ];
    const raw = messages.flatMap((message, i) => [
      logRow({ worker: 'w1', at: BASE + i * SECOND, message }, nextId()),
      logRow({ worker: 'w1', at: BASE + i * SECOND, message: `orchestrator: ${message}`, sourceType: 'orchestrator_gpu' }, nextId()),
      logRow({ worker: 'w2', at: BASE + i * SECOND, message }, nextId()),
    ]);
    const server = await serve({ rows: { system_logs: shuffled(raw, 42) } });
    const source = open(server);
    const ids = async (query: Parameters<Source['logs']>[0]): Promise<string[]> => (await source.logs(query)).rows.map((l) => l.id);
    const expect_ = (keep: (log: SystemLog) => boolean): string[] => expectedLogs(raw, keep);
    // A team's own wording, with characters that mean something to LIKE or to a regular expression.
    const v = compileVocabulary({ heartbeat: ['100%', 'snake_case', 'back\\\\slash', 'a\\*b'], orchestrator_error: ['^orchestrator: 100%'] });
    const worker = (log: SystemLog) => log.source_type === 'worker';
    expect(await ids({ families: [v.families.heartbeat] })).toEqual(
      expect_((l) => worker(l) && ['100% done', 'snake_case', 'back\\slash', 'a*b'].includes(l.message)),
    );
    expect((await ids({ families: [v.families.heartbeat] })).length).toBe(8);
    // The built-in switch family: ASCII letters in either case, not a dotted capital I; the worker's lines only.
    expect(await ids({ families: [BUILT_IN_VOCABULARY.families.model_switch] })).toEqual(expect_((l) => worker(l) && /^(🔄 MODEL SWITCH|model switch):/.test(l.message)));
    expect((await ids({ families: [BUILT_IN_VOCABULARY.families.model_switch] })).length).toBe(4);
    // Two families in one read (one request each), merged in the one order; an orchestrator family reads the orchestrator's lines.
    expect(await ids({ families: [v.families.orchestrator_error, BUILT_IN_VOCABULARY.families.vlm_loading] })).toEqual(
      expect_((l) => (!worker(l) && l.message === 'orchestrator: 100% done') || (worker(l) && l.message === 'Before VLM loading')),
    );
    const since = BASE + 2 * SECOND;
    const until = BASE + 5 * SECOND;
    expect(await ids({ workerIds: ['w1'], since, until })).toEqual(expect_((l) => l.worker_id === 'w1' && l.timestamp >= since && l.timestamp <= until));
    expect((await ids({ workerIds: ['w1'], since, until })).length).toBe(8);
    // Lines carrying a task's id, whoever wrote them.
    const task = '5a5a5a5a-0000-4000-8000-000000000001';
    const withTask = [...raw.slice(0, 3).map((r) => ({ ...r, task_id: task })), ...raw.slice(3)];
    const taskServer = await serve({ rows: { system_logs: shuffled(withTask, 43) } });
    const byTask = (await open(taskServer).logs({ taskIds: [task] })).rows;
    expect(byTask.map((l) => l.id)).toEqual(expectedLogs(withTask, (l) => l.task_id === task));
    expect(byTask).toHaveLength(3);
    expect((await open(taskServer).logs({ taskIds: [task], workerIds: ['w2'] })).rows.map((l) => l.id)).toEqual(
      expectedLogs(withTask, (l) => l.task_id === task && l.worker_id === 'w2'),
    );
    // An empty family matches nothing, and costs no request.
    const before = server.requests.length;
    expect(await ids({ families: [compileVocabulary({ heartbeat: [] }).families.heartbeat] })).toEqual([]);
    expect(server.requests.length).toBe(before);
  });
});

describe('failures', () => {
  const worker = 'gpu-20251017_120000-eeeeeeee';

  it('gives up after the configured attempts with one readable line', async () => {
    const server = await serve({ rows: { system_logs: workerLog(worker, 10, 51) }, faults: { unavailableRate: 1 } });
    const error = await sourceError(open(server, { retry: { attempts: 3 } }).logs({ workerIds: [worker] }));
    expect(error.message).toBe('Supabase request failed after 3 attempts (system_logs): HTTP 503 Service Unavailable');
    expect(server.requests).toHaveLength(3);
  });

  it('times out a server that never answers', async () => {
    const server = await serve({ faults: { hangRate: 1 } });
    const error = await sourceError(open(server, { requestTimeoutMs: 50, retry: { attempts: 2 } }).workers({}));
    expect(error.message).toBe('Supabase request failed after 2 attempts (workers): no response within 50 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('says the key was rejected, without printing it', async () => {
    const server = await serve({ apiKeys: ['the-only-good-key-123'] });
    const error = await sourceError(open(server).workers({}));
    expect(error.message).toBe(`Supabase at ${server.url} rejected the key reading workers (HTTP 401: Invalid API key)`);
    expect(server.requests).toHaveLength(1);
  });

  it("names the table and PostgREST's message and code for a query it refuses", async () => {
    const { cycle_number: _dropped, ...columns } = ORCHESTRATOR_TABLES['system_logs'] ?? {};
    const server = await serve({ tables: { ...ORCHESTRATOR_TABLES, system_logs: columns } });
    const unknownColumn = await sourceError(open(server).logs({}));
    expect(unknownColumn.message).toBe('Supabase could not read system_logs (HTTP 400: column system_logs.cycle_number does not exist (42703))');

    const badUuid = await sourceError(open(server).tasks({ ids: ['not-a-uuid'] }));
    expect(badUuid.message).toBe('Supabase could not read tasks (HTTP 400: invalid input syntax for type uuid: "not-a-uuid" (22P02))');
    expect(server.requests.every((r) => r.status === 400)).toBe(true);
  });

  it('reports a URI limit it still exceeds (414) as a SourceError', async () => {
    const server = await serve({ maxUriLength: 1000 });
    const ids = Array.from({ length: 200 }, (_, i) => `gpu-20251017_120000-${String(i).padStart(8, '0')}`);
    const error = await sourceError(open(server).workers({ ids }));
    expect(error.message).toBe('Supabase could not read workers (HTTP 414: Request-URI Too Large)');
  });

  it('stops when the caller cancels mid-read', async () => {
    const server = await serve({ rows: { system_logs: workerLog(worker, 5000, 52) } });
    const controller = new AbortController();
    server.setOnRequest(() => {
      if (server.requests.length === 2) controller.abort();
    });
    const error = await sourceError(open(server).logs({ workerIds: [worker] }, { signal: controller.signal }));
    expect(error.message).toBe('Supabase request cancelled (system_logs)');
    expect(server.requests.length).toBeLessThan(5);
  });
});

describe('malformed rows', () => {
  it('reports each bad row with table, id and field, and returns the rest', async () => {
    const worker = 'gpu-20251017_120000-ffffffff';
    const good = workerLog(worker, 2500, 61);
    const badTimestamp = { ...logRow({ worker, at: BASE }, 'aaaaaaaa-0000-4000-8000-000000000001'), timestamp: 'yesterday' };
    const missingId = { ...logRow({ worker, at: BASE }, 'unused'), id: null };
    const wrongType = { ...logRow({ worker, at: BASE }, 'aaaaaaaa-0000-4000-8000-000000000003'), cycle_number: 'seven' };
    const server = await serve({ rows: { system_logs: shuffled([...good, badTimestamp, missingId, wrongType], 62) } });
    const { rows, problems } = await open(server).logs({ workerIds: [worker] });
    expect(rows.map((r) => r.id)).toEqual(expectedLogs(good));
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.objectContaining({ table: 'system_logs', rowId: 'aaaaaaaa-0000-4000-8000-000000000001', field: 'timestamp' }));
    expect(problems).toContainEqual(expect.objectContaining({ table: 'system_logs', rowId: 'aaaaaaaa-0000-4000-8000-000000000003', field: 'cycle_number' }));
    expect(problems).toContainEqual(expect.objectContaining({ table: 'system_logs', field: 'id' }));
    expect(problems.find((p) => p.field === 'id')?.rowId).toMatch(/^#\d+$/);
  });
});

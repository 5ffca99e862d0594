/**
 * The Postgres source against a real server (through the test-database harness): the rows and
 * orders the Source interface promises, exact microseconds, NULLs, literal LIKE characters,
 * read-only sessions, and errors that name what failed without the password.
 */
import { createServer } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError, UsageError } from '../../src/errors.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { MemorySource } from '../../src/sources/memory.js';
import { openPostgresSource, postgresConnectionOptions, readOnlyTransaction } from '../../src/sources/postgres.js';
import type { LogQuery, ReadProgress, Source, TaskQuery, WorkerQuery } from '../../src/sources/types.js';
import { parseInstant } from '../../src/rows/time.js';
import { BUILT_IN_VOCABULARY, compileVocabulary } from '../../src/config/vocabulary.js';
import { randomFleet, type RawRow } from '../support/random-fleet.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const DATABASE_START_TIMEOUT_MS = 60_000;
const PASSWORD = 'hunter2-very-secret';

/** An instant from a literal, for expectations. */
function at(text: string): number {
  const instant = parseInstant(text);
  if (instant === null) throw new Error(`bad test instant ${text}`);
  return instant;
}

const W1 = 'gpu-20251017_130952-95cd7f4c';
const W2 = 'gpu-20251017_130952-a0000000';
/** Would match the prefix `gpu-20251017_` if `_` were a LIKE wildcard. */
const W3 = 'gpu-20251017X130952-00000000';
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const T3 = '33333333-3333-4333-8333-333333333333';
const T4 = '04444444-4444-4444-8444-444444444444';

const handmade: { workers: RawRow[]; tasks: RawRow[]; system_logs: RawRow[] } = {
  workers: [
    {
      id: W2,
      instance_type: 'runpod',
      created_at: '2025-10-17 13:09:52.123456+00',
      last_heartbeat: null,
      status: 'spawning',
      metadata: null,
    },
    {
      id: W1,
      instance_type: 'runpod',
      created_at: '2025-10-17T13:09:52.123456+00:00',
      last_heartbeat: '2025-10-17T13:30:00.000001Z',
      status: 'active',
      metadata: { ram_tier: 64, pod_details: { gpu_type_id: 'NVIDIA L40S' } },
    },
    { id: W3, instance_type: null, created_at: '2025-10-17T13:20:00Z', last_heartbeat: '2025-10-17T13:21:00Z', status: 'error', metadata: {} },
  ],
  tasks: [
    task(T1, '2025-10-17T13:10:00.5+00:00', 'In Progress', W1, { attempts: 1 }),
    task(T2, '2025-10-17T13:11:00Z', 'Complete', W1, { generation_processed_at: '2025-10-17T13:12:00.000007Z' }),
    task(T3, '2025-10-17T13:12:00Z', 'Failed', W2, { attempts: 3, error_message: 'OOM' }),
    task(T4, '2025-10-17 13:10:00.5+00', 'Queued', null, {}),
  ],
  system_logs: [
    log('a0000000-0000-4000-8000-000000000001', '2025-10-17T13:10:00.000001+00:00', 'worker', W1, 'progress 50% done'),
    log('a0000000-0000-4000-8000-000000000002', '2025-10-17T13:10:01Z', 'worker', W1, 'progress 50 done'),
    log('a0000000-0000-4000-8000-000000000003', '2025-10-17T13:10:02Z', 'worker', W1, 'saved file_name.mp4'),
    log('a0000000-0000-4000-8000-000000000004', '2025-10-17T13:10:03Z', 'worker', W1, 'saved fileXname.mp4'),
    log('a0000000-0000-4000-8000-000000000005', '2025-10-17T13:10:04Z', 'worker', W1, 'path C:\\models\\wan'),
    log('a0000000-0000-4000-8000-000000000006', '2025-10-17T13:10:05Z', 'worker', W1, 'path C:models'),
    log('a0000000-0000-4000-8000-000000000007', '2025-10-17T13:15:00Z', 'orchestrator_gpu', W1, 'Marking worker as error'),
    // Same instant as the first line, smaller id: comes first.
    log('0a000000-0000-4000-8000-000000000008', '2025-10-17 13:10:00.000001+00', 'worker', W2, '✅ [HEARTBEAT] Worker active'),
    log('a0000000-0000-4000-8000-000000000009', '2025-10-17T13:16:00Z', 'orchestrator_api', null, 'cycle done'),
  ],
};

/** A task row with every column, as Supabase returns it. */
function task(id: string, created_at: string, status: string, worker_id: string | null, rest: RawRow): RawRow {
  return {
    id,
    task_type: 'single_image',
    params: { prompt: 'a cat' },
    status,
    worker_id,
    attempts: 0,
    error_message: null,
    result_data: null,
    created_at,
    updated_at: null,
    generation_started_at: null,
    generation_processed_at: null,
    ...rest,
  };
}

function log(id: string, timestamp: string, source_type: string, worker_id: string | null, message: string): RawRow {
  return { id, timestamp, source_type, source_id: worker_id, log_level: 'INFO', message, task_id: null, worker_id, cycle_number: null, metadata: null };
}

const fleet = randomFleet({ seed: 11 });
const everything = {
  workers: [...handmade.workers, ...fleet.workers],
  tasks: [...handmade.tasks, ...fleet.tasks],
  system_logs: [...handmade.system_logs, ...fleet.system_logs],
};

let db: TestDatabase;
let source: Source;
/** The in-memory engine over the same raw rows: the two must agree on every query. */
const reference = new MemorySource(everything, { kind: 'snapshot', label: 'reference', frozenAt: null });
/** A team's markers holding characters that mean something to LIKE or to a regular expression. */
const LITERAL_MARKERS = compileVocabulary({ heartbeat: ['50%', 'file_name', 'C:\\\\m', 'a\\*b', '^progress'] });

beforeAll(async () => {
  db = await openTestDatabase();
  await db.load(everything);
  source = openPostgresSource({ url: withPassword(db.url), schema: db.schema });
}, DATABASE_START_TIMEOUT_MS);

afterAll(async () => {
  await source?.close();
  await db?.close();
});

/** The same server with a password in the URL (trust auth and PGlite ignore it): it must never show. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

const ids = <T extends { id: string }>(rows: readonly T[]) => rows.map((r) => r.id);

describe('postgres source: identity', () => {
  it('is labelled with host, port and database, never the password', () => {
    const where = new URL(db.url);
    expect(source.kind).toBe('postgres');
    expect(source.frozenAt).toBeNull();
    expect(source.label).toBe(`Postgres at ${where.hostname}:${where.port}${where.pathname}`);
    expect(source.label).not.toContain(PASSWORD);
  });
});

describe('postgres source: workers', () => {
  const queries: [string, WorkerQuery][] = [
    ['everything', {}],
    ['by ids', { ids: [W3, W1, fleet.workers[3]!['id'] as string, 'gpu-unknown'] }],
    ['by statuses', { statuses: ['active', 'error'] }],
    ['by an inclusive creation window', { createdFrom: at('2025-10-17T13:09:52.123456Z'), createdTo: at('2025-10-17T13:20:00Z') }],
    ['by id prefix', { idPrefix: 'gpu-20251017_13' }],
    ['with a limit', { limit: 7 }],
    ['by no ids at all', { ids: [] }],
  ];
  for (const [name, query] of queries) {
    it(`${name}: the rows and order of the in-memory engine`, async () => {
      const actual = await source.workers(query);
      const expected = await reference.workers(query);
      expect(actual.problems).toEqual([]);
      expect(actual.rows).toStrictEqual(expected.rows);
    });
  }

  it('orders by created_at, then id', async () => {
    const { rows } = await source.workers({ createdFrom: at('2025-10-17T13:09:52.123456Z'), createdTo: at('2025-10-17T13:20:00Z') });
    expect(ids(rows).filter((id) => [W1, W2, W3].includes(id))).toEqual([W1, W2, W3]);
  });

  it('takes `_` in an id prefix literally', async () => {
    const { rows } = await source.workers({ idPrefix: 'gpu-20251017_130952' });
    expect(ids(rows)).toContain(W1);
    expect(ids(rows)).not.toContain(W3);
  });

  it('keeps microseconds, NULLs and jsonb objects', async () => {
    const { rows } = await source.workers({ ids: [W1, W2, W3] });
    const byId = new Map(rows.map((w) => [w.id, w] as const));
    const w1 = byId.get(W1)!;
    expect(w1.created_at).toBe(Date.UTC(2025, 9, 17, 13, 9, 52) * 1000 + 123_456);
    expect(w1.last_heartbeat).toBe(Date.UTC(2025, 9, 17, 13, 30, 0) * 1000 + 1);
    expect(w1.metadata).toStrictEqual({ ram_tier: 64, pod_details: { gpu_type_id: 'NVIDIA L40S' } });
    expect(byId.get(W2)).toMatchObject<Partial<Worker>>({ last_heartbeat: null, metadata: null });
    expect(byId.get(W3)).toMatchObject<Partial<Worker>>({ instance_type: null, metadata: {} });
  });
});

/** An updated_at window that holds some of the random fleet's finished tasks and not others. */
const FINISH_FROM = at('2025-10-17T13:30:00Z');
const FINISH_TO = at('2025-10-17T15:00:00Z');

describe('postgres source: tasks', () => {
  const someWorkers = [W1, W2, ...fleet.workers.slice(0, 10).map((w) => w['id'] as string)];
  const queries: [string, TaskQuery][] = [
    ['everything', {}],
    ['by ids, one not a uuid', { ids: [T3, T1, 'not-a-uuid'] }],
    ['by worker ids', { workerIds: someWorkers }],
    ['by statuses', { statuses: ['Failed', 'Complete'] }],
    ['by an inclusive creation window', { createdFrom: at('2025-10-17T13:10:00.5Z'), createdTo: at('2025-10-17T13:12:00Z') }],
    ['newest first with a limit', { newestFirst: true, limit: 5 }],
    ['newest first for some workers', { newestFirst: true, workerIds: someWorkers }],
    ['by an inclusive updated_at window (NULL updated_at outside it), with statuses', { statuses: ['Complete', 'Failed'], updatedFrom: FINISH_FROM, updatedTo: FINISH_TO }],
    ['by updated_at from an instant only', { updatedFrom: FINISH_FROM }],
  ];
  for (const [name, query] of queries) {
    it(`${name}: the rows and order of the in-memory engine`, async () => {
      const actual = await source.tasks(query);
      const expected = await reference.tasks(query);
      expect(actual.problems).toEqual([]);
      expect(actual.rows).toStrictEqual(expected.rows);
    });
  }

  it('orders by created_at then id, or the reverse when newest first', async () => {
    const window = { createdFrom: at('2025-10-17T13:10:00.5Z'), createdTo: at('2025-10-17T13:12:00Z') };
    const oldest = ids((await source.tasks({ ...window, ids: [T1, T2, T3, T4] })).rows);
    expect(oldest).toEqual([T4, T1, T2, T3]);
    const newest = ids((await source.tasks({ ...window, ids: [T1, T2, T3, T4], newestFirst: true })).rows);
    expect(newest).toEqual([T3, T2, T1, T4]);
  });

  it('updated_at bounds: the finished tasks of the window and no task whose updated_at is NULL', async () => {
    const { rows } = await source.tasks({ updatedFrom: FINISH_FROM, updatedTo: FINISH_TO });
    const raw = everything.tasks.filter((t) => typeof t['updated_at'] === 'string' && at(t['updated_at'] as string) >= FINISH_FROM && at(t['updated_at'] as string) <= FINISH_TO);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(everything.tasks.filter((t) => t['updated_at'] !== null).length);
    expect(ids(rows).sort()).toEqual(raw.map((t) => t['id'] as string).sort());
  });

  it('reads the enum status and microsecond instants', async () => {
    const { rows } = await source.tasks({ ids: [T2] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject<Partial<Task>>({
      status: 'Complete',
      generation_processed_at: Date.UTC(2025, 9, 17, 13, 12, 0) * 1000 + 7,
      generation_started_at: null,
    });
  });
});

describe('postgres source: logs', () => {
  const someWorkers = [W1, W2, ...fleet.workers.slice(0, 10).map((w) => w['id'] as string)];
  const queries: [string, LogQuery][] = [
    ['everything', {}],
    ['by worker ids', { workerIds: someWorkers }],
    ['by an inclusive time window', { since: at('2025-10-17T13:10:00.000001Z'), until: at('2025-10-17T13:15:00Z') }],
    ['by a marker family (the worker\'s lines it matches)', { families: [BUILT_IN_VOCABULARY.families.heartbeat] }],
    ['by families of both writers', { families: [BUILT_IN_VOCABULARY.families.model_switch, BUILT_IN_VOCABULARY.families.orchestrator_error], workerIds: someWorkers }],
    ['by a team\'s markers with LIKE and RegExp syntax in them', { families: [LITERAL_MARKERS.families.heartbeat] }],
    ['by no worker ids at all', { workerIds: [] }],
    // Lines carrying a task's id, whoever wrote them (the task journey); text that is no uuid names no line.
    ['by task ids', { taskIds: [...new Set(fleet.system_logs.map((l) => l['task_id']).filter((t): t is string => typeof t === 'string'))].slice(0, 5) }],
    ['by task ids and worker ids', { taskIds: fleet.system_logs.map((l) => l['task_id']).filter((t): t is string => typeof t === 'string').slice(0, 40), workerIds: someWorkers }],
    ['by a task id that is no uuid', { taskIds: ['not-a-task'] }],
    ['by levels, in any case the rows hold them', { levels: ['ERROR', 'CRITICAL'] }],
    ['by levels in a time window, for some workers', { levels: ['error'], workerIds: someWorkers, since: at('2025-10-17T13:00:00Z'), until: at('2025-10-17T18:00:00Z') }],
    ['by no level at all', { levels: [] }],
  ];
  for (const [name, query] of queries) {
    it(`${name}: the rows and order of the in-memory engine`, async () => {
      const actual = await source.logs(query);
      const expected = await reference.logs(query);
      expect(actual.problems).toEqual([]);
      expect(actual.rows).toStrictEqual(expected.rows);
    });
  }

  it('by task ids: the lines carrying them and only those (so that the equality above says something)', async () => {
    const taskIds = [...new Set(fleet.system_logs.map((l) => l['task_id']).filter((t): t is string => typeof t === 'string'))].slice(0, 5);
    const rows = (await source.logs({ taskIds })).rows;
    expect(rows.length).toBeGreaterThan(taskIds.length);
    expect(rows.every((l) => l.task_id !== null && taskIds.includes(l.task_id))).toBe(true);
    expect(rows.length).toBe(fleet.system_logs.filter((l) => taskIds.includes(l['task_id'] as string)).length + handmade.system_logs.filter((l) => taskIds.includes(l['task_id'] as string)).length);
  });

  it('levels are compared in upper case: `error` and `Critical` rows are ERROR and CRITICAL lines', async () => {
    const { rows } = await source.logs({ levels: ['ERROR', 'CRITICAL'] });
    const raw = everything.system_logs.filter((l) => ['ERROR', 'CRITICAL'].includes(String(l['log_level']).toUpperCase()));
    expect(raw.some((l) => l['log_level'] !== String(l['log_level']).toUpperCase())).toBe(true);
    expect(ids(rows).sort()).toEqual(raw.map((l) => l['id'] as string).sort());
  });

  const messagesOf = (rows: readonly SystemLog[]) => rows.map((r) => r.message);
  it('takes %, _ and \\ in markers as written (no LIKE wildcard), and reads ASCII letters in either case', async () => {
    expect(messagesOf((await source.logs({ workerIds: [W1], families: [compileVocabulary({ heartbeat: ['50%'] }).families.heartbeat] })).rows)).toEqual(['progress 50% done']);
    expect(messagesOf((await source.logs({ workerIds: [W1], families: [compileVocabulary({ heartbeat: ['file_name'] }).families.heartbeat] })).rows)).toEqual(['saved file_name.mp4']);
    expect(messagesOf((await source.logs({ workerIds: [W1], families: [compileVocabulary({ heartbeat: ['C:\\\\m'] }).families.heartbeat] })).rows)).toEqual(['path C:\\models\\wan']);
    expect(messagesOf((await source.logs({ workerIds: [W1], families: [compileVocabulary({ heartbeat: ['PROGRESS 50'] }).families.heartbeat] })).rows)).toEqual([
      'progress 50% done',
      'progress 50 done',
    ]);
  });

  it('orders by timestamp then id, microseconds exact', async () => {
    const { rows } = await source.logs({ workerIds: [W1, W2], until: at('2025-10-17T13:10:01Z') });
    expect(ids(rows)).toEqual(['0a000000-0000-4000-8000-000000000008', 'a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002']);
    expect(rows[0]!.timestamp).toBe(Date.UTC(2025, 9, 17, 13, 10, 0) * 1000 + 1);
    expect(rows[1]!.timestamp).toBe(rows[0]!.timestamp);
  });

  it('keeps orchestrator lines about a worker and lines about no worker', async () => {
    const about = await source.logs({ workerIds: [W1], families: [compileVocabulary({ orchestrator_error: ['^Marking worker'] }).families.orchestrator_error] });
    expect(messagesOf(about.rows)).toEqual(['Marking worker as error']);
    const all = await source.logs({ since: at('2025-10-17T13:16:00Z'), until: at('2025-10-17T13:16:00Z') });
    expect(all.rows.find((r) => r.message === 'cycle done')?.worker_id).toBeNull();
  });

  it('reports progress for the read', async () => {
    const seen: ReadProgress[] = [];
    const { rows } = await source.logs({ workerIds: [W1] }, { onProgress: (p) => seen.push(p) });
    expect(rows).toHaveLength(7);
    expect(seen.at(-1)).toEqual({ table: 'system_logs', rows: 7, total: 7 });
  });
});

describe('postgres source: read-only sessions', () => {
  it('refuses a write through its own connection options (SQLSTATE 25006)', async () => {
    const sql = postgres(db.url, postgresConnectionOptions());
    try {
      // In the source's read transaction: refused on every server.
      await expect(
        readOnlyTransaction(sql, db.schema, (tx) => tx`insert into workers (id, created_at, status) values ('x', now(), 'active')`),
      ).rejects.toMatchObject({ code: '25006' });
      // Outside any transaction, by the session default. PGlite is one shared session that ignores
      // startup parameters (see the harness), so only a real server can show this layer.
      if (db.server === 'postgresql') {
        await expect(sql`insert into ${sql(db.schema)}.workers (id, created_at, status) values ('x', now(), 'active')`).rejects.toMatchObject({
          code: '25006',
        });
        const [session] = await sql`select current_setting('application_name') as app, current_setting('default_transaction_read_only') as ro`;
        expect(session).toEqual({ app: 'worker-forensics', ro: 'on' });
      }
    } finally {
      await sql.end();
    }
    const [count] = await db.sql`select count(*)::int as n from ${db.sql(db.schema)}.workers where id = 'x'`;
    expect(count!['n']).toBe(0);
  });
});

describe('postgres source: errors', () => {
  it('a stopped port gives a SourceError without the password', async () => {
    const port = await freePort();
    const stopped = openPostgresSource({ url: `postgres://forensics:${PASSWORD}@127.0.0.1:${port}/test` });
    try {
      const error = await stopped.workers({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toBe(`could not connect to Postgres at 127.0.0.1:${port}: connection refused`);
      expect((error as Error).message).not.toContain(PASSWORD);
      expect(stopped.label).toBe(`Postgres at 127.0.0.1:${port}/test`);
    } finally {
      await stopped.close();
    }
  });

  it('a malformed URL gives a SourceError without the password', () => {
    let thrown: unknown;
    try {
      openPostgresSource({ url: `postgres://forensics:${PASSWORD}@[not-a-host/test` });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SourceError);
    expect((thrown as Error).message).toMatch(/^invalid Postgres URL/);
    expect((thrown as Error).message).not.toContain(PASSWORD);
  });

  it('a missing table gives a SourceError naming it', async () => {
    const empty = openPostgresSource({ url: withPassword(db.url), schema: `${db.schema}_missing` });
    try {
      const error = await empty.logs({ workerIds: [W1] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toBe('Postgres query on system_logs failed: relation "system_logs" does not exist');
      const signalsError = await empty.workerSignals!([W1], at('2025-10-17T14:00:00Z'), BUILT_IN_VOCABULARY).catch((e: unknown) => e);
      expect((signalsError as Error).message).toBe('Postgres query on system_logs failed: relation "system_logs" does not exist');
    } finally {
      await empty.close();
    }
  });

  it('a bad row limit is a UsageError, as a rejected promise', async () => {
    await expect(source.workers({ limit: -1 })).rejects.toThrow(UsageError);
  });

  it('an aborted read gives a SourceError saying it was cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await source.logs({}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe('Postgres query on system_logs cancelled');
  });

  it('a closed source refuses further reads with a SourceError', async () => {
    const closing = openPostgresSource({ url: withPassword(db.url), schema: db.schema });
    expect((await closing.workers({ ids: [W1] })).rows).toHaveLength(1);
    await closing.close();
    const error = await closing.workers({ ids: [W1] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});

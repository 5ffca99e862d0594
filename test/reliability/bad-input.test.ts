/**
 * Bad and awkward input beyond what test/cli/cli.test.ts covers: snapshots of the wrong shape,
 * rows with wrong types, an empty fleet, a worker without a log line, log text with LIKE
 * wildcards, backslashes, emoji and 100 KB, and option values cli.test.ts does not try. Each gives
 * one readable stderr line and the right exit code, and the good rows are still used; where a
 * database path is involved, Supabase and Postgres answer as the in-memory engine does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/present/terminal.js';
import { formatPostgrestInstant, MICROS_PER_SECOND } from '../../src/rows/time.js';
import { runCli, type CliRun } from '../support/cli.js';
import { CONTRACT_TEST_KEY, startPostgrestServer, type PostgrestServer, type Row } from '../../dev/postgrest-server.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { AS_OF, DEMO, FLEET_COMMANDS, WORKERS, demoRows, errorLines, runOn, workerCommands, type RawFleet, type SourceName } from './support.js';

const S = MICROS_PER_SECOND;
const at = (secondsBeforeAsOf: number) => formatPostgrestInstant(DEMO.asOf - secondsBeforeAsOf * S);
const tmp = mkdtempSync(path.join(tmpdir(), 'wf-bad-input-'));

function worker(id: string, extra: Partial<Row> = {}): Row {
  return { id, instance_type: 'runpod', created_at: at(3600), last_heartbeat: at(30), status: 'active', metadata: {}, ...extra };
}

let serial = 0;
function line(workerId: string, secondsBeforeAsOf: number, message: string, extra: Partial<Row> = {}): Row {
  return {
    id: `bad00000-0000-4000-8000-${String(serial++).padStart(12, '0')}`,
    timestamp: at(secondsBeforeAsOf),
    source_type: 'worker',
    source_id: workerId,
    log_level: 'INFO',
    message,
    task_id: null,
    worker_id: workerId,
    cycle_number: null,
    metadata: null,
    ...extra,
  };
}

/** Alive, but it never wrote a line and never had a task. */
const SILENT = 'gpu-20251017_130000-0000aaaa';
/** Lines with LIKE wildcards, backslashes, emoji and one of 100 KB (not its last line). */
const TEXTS = 'gpu-20251017_130000-0000bbbb';
const BIG = '🧪 big payload ' + 'abcdefghij'.repeat(10_240);
const TEXT_MESSAGES = [
  '50% done',
  '100%_complete',
  'saved file_name.mp4',
  'saved fileXname.mp4',
  'path C:\\models\\wan',
  'path C:models',
  'share \\\\fileserver\\clips',
  '🔥 emoji ✅ line 🚀',
  BIG,
  'plain line',
];
const PLANTED: Partial<RawFleet> = {
  workers: [worker(SILENT), worker(TEXTS)],
  system_logs: TEXT_MESSAGES.map((message, i) => line(TEXTS, 600 - i * 30, message)),
};

let server: PostgrestServer;
let emptyServer: PostgrestServer;
let db: TestDatabase;
let emptyDb: TestDatabase;
let snapshotFile: string;
let emptySnapshot: string;

beforeAll(async () => {
  const rows = demoRows(PLANTED);
  snapshotFile = path.join(tmp, 'fleet.json');
  writeFileSync(snapshotFile, JSON.stringify(rows));
  emptySnapshot = path.join(tmp, 'empty.json');
  writeFileSync(emptySnapshot, JSON.stringify({ workers: [], tasks: [], system_logs: [] }));
  [server, emptyServer, db, emptyDb] = await Promise.all([startPostgrestServer({ rows }), startPostgrestServer(), openTestDatabase(), openTestDatabase()]);
  await db.load(rows);
});

afterAll(async () => {
  await Promise.all([server?.close(), emptyServer?.close(), db?.close(), emptyDb?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

const KEY = CONTRACT_TEST_KEY;

/** The same command on the in-memory engine (a snapshot of the rows), Supabase and Postgres. */
async function onEverySource(args: readonly string[], empty = false): Promise<CliRun[]> {
  const supabase = { SUPABASE_URL: (empty ? emptyServer : server).url, SUPABASE_SERVICE_ROLE_KEY: KEY };
  const postgres = { DATABASE_URL: (empty ? emptyDb : db).url, DATABASE_SCHEMA: (empty ? emptyDb : db).schema };
  const sources: [SourceName, NodeJS.ProcessEnv][] = [[`snapshot:${empty ? emptySnapshot : snapshotFile}`, {}], ['supabase', supabase], ['postgres', postgres]];
  return Promise.all(sources.map(([source, env]) => runOn(source, args, env)));
}

function expectAllEqual(runs: CliRun[], label: string): unknown {
  const [first, ...rest] = runs;
  expect(first!.code, `${label}: ${first!.stderr}`).toBe(0);
  for (const run of rest) {
    expect(run.code, `${label}: ${run.stderr}`).toBe(0);
    expect(run.json(), label).toEqual(first!.json());
  }
  return first!.json();
}

function writeSnapshot(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('snapshots of the wrong shape', () => {
  it.each([
    ['an array', [], /^worker-forensics: snapshot \S+ has the wrong shape: expected an object with "workers", "tasks" and "system_logs" lists$/],
    ['a number', 42, /has the wrong shape/],
    ['an object without any table key', { meta: { as_of: AS_OF }, rows: [] }, /^worker-forensics: snapshot \S+ has none of the keys "workers", "tasks", "system_logs"$/],
  ])('%s: one line, exit 4', async (name, content, message) => {
    const file = writeSnapshot(`${name.replace(/\W+/g, '-')}.json`, content);
    const run = await runOn(`snapshot:${file}`, ['active', '--json']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(errorLines(run.stderr)[0]).toMatch(message);
  });

  it('a table that is not a list: named, read as empty, the other tables still used', async () => {
    const file = writeSnapshot('tasks-not-a-list.json', { workers: [worker(TEXTS)], tasks: { oops: 1 }, system_logs: PLANTED.system_logs });
    const run = await runOn(`snapshot:${file}`, ['logs', TEXTS, '--json']);
    expect(run.code).toBe(4);
    expect(run.json().total).toBe(TEXT_MESSAGES.length);
    expect(run.json().problems).toEqual([`tasks: not a list in snapshot ${file}; read as empty`]);
    expect(errorLines(run.stderr)).toEqual([
      `worker-forensics: data problem: tasks: not a list in snapshot ${file}; read as empty`,
      'worker-forensics: 1 data problem(s) (malformed rows skipped); the result above uses every good row',
    ]);
  });
});

describe('rows with wrong types', () => {
  const good = worker('gpu-20251017_130000-0000cccc');
  // A number where a timestamp belongs, in a column no query filters on (a filtered column would
  // keep the row out of the read altogether: reads are bounded by the as-of instant).
  const numberTimestamp = worker('gpu-20251017_130000-0000dddd', { last_heartbeat: 1760706000 });
  const objectId = worker('ignored', { id: { $oid: '65f0c0ffee' } });
  const numberLogTime = line(good['id'] as string, 60, 'timestamp as epoch milliseconds', { timestamp: 1760709540000 });
  const rows = { workers: [good, numberTimestamp, objectId], tasks: [], system_logs: [line(good['id'] as string, 90, 'a good line'), numberLogTime] };

  it('are named on stderr and skipped; the good rows are shown, the same from a snapshot and from Supabase, exit 4', async () => {
    const file = writeSnapshot('wrong-types.json', rows);
    const served = await startPostgrestServer({ rows });
    try {
      const [fromFile, fromSupabase] = await Promise.all([
        runOn(`snapshot:${file}`, ['active', '--json']),
        runOn('supabase', ['active', '--json'], { SUPABASE_URL: served.url, SUPABASE_SERVICE_ROLE_KEY: KEY }),
      ]);
      for (const run of [fromFile, fromSupabase]) {
        expect(run.code, run.stderr).toBe(4);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      }
      const { problems: fileProblems, ...active } = fromFile.json();
      const { problems: supabaseProblems, ...supabaseResult } = fromSupabase.json();
      expect(supabaseResult).toEqual(active);
      // Row positions (`#2`) depend on the order rows arrived in; the rest of each problem does not.
      const unplaced = (list: string[]) => list.map((p) => p.replace(/#\d+/, '#n')).sort();
      expect(unplaced(supabaseProblems)).toEqual(unplaced(fileProblems));
      expect(active.workers.map((w: { id: string }) => w.id)).toEqual([good['id']]);
      expect(fileProblems).toEqual(
        expect.arrayContaining([
          'workers[id=gpu-20251017_130000-0000dddd].last_heartbeat: expected an ISO-8601 instant',
          expect.stringMatching(/^workers\[id=#2\]\.id: expected a text id$/),
        ]),
      );
      // (A timestamptz column cannot hold a number: in Supabase such a line would not exist at all.)
      const logs = (await runOn(`snapshot:${file}`, ['logs', good['id'] as string, '--json'])).json();
      expect(logs.logs.map((l: { message: string }) => l.message)).toEqual(['a good line']);
      expect(logs.problems).toContain(`system_logs[id=${numberLogTime['id']}].timestamp: expected an ISO-8601 instant`);
    } finally {
      await served.close();
    }
  });
});

describe('an empty fleet', { timeout: 60_000 }, () => {
  /** Numbers in a result that echo the question (window, threshold, limit), not the data. */
  const PARAMETERS = new Set(['window_hours', 'window_minutes', 'window_s', 'threshold_s', 'limit']);

  it.each([...FLEET_COMMANDS, ['crash-timing', '--hours', '24', '--by', 'model']].map((args) => ({ name: args.join(' '), args })))(
    '$name: exit 0, empty results, null rates, on every source',
    async ({ name, args }) => {
      const result = expectAllEqual(await onEverySource([...args, '--json'], true), name);
      const arrays: unknown[][] = [];
      const rates: unknown[] = [];
      const counts: number[] = [];
      (function walk(value: unknown, key: string): void {
        if (Array.isArray(value)) arrays.push(value);
        else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
        else if (/rate|median|q1|q3|iqr|avg|min_s|max_s/.test(key)) rates.push(value);
        else if (typeof value === 'number' && !PARAMETERS.has(key)) counts.push(value);
      })(result, '');
      expect(arrays.every((a) => a.length === 0), JSON.stringify(result)).toBe(true);
      expect(rates.every((r) => r === null), JSON.stringify(result)).toBe(true);
      expect(counts.every((n) => n === 0), JSON.stringify(result)).toBe(true);
    },
  );

  it('report says so in words: no rate, no lifetime', async () => {
    const run = await runOn(`snapshot:${emptySnapshot}`, ['report', '--hours', '8']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS RATE: –\s+failure rate: –/);
    expect(run.stdout).toMatch(/AVERAGE WORKER LIFETIME: –/);
  });

  it('snapshot --hours writes an empty evidence file that reads back', async () => {
    const out = path.join(tmp, 'empty-evidence.json');
    const run = await runOn(`snapshot:${emptySnapshot}`, ['snapshot', '--hours', '8', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ workers: 0, tasks: 0, system_logs: 0 });
    expect((await runOn(`snapshot:${out}`, ['active', '--json'])).json().workers).toEqual([]);
  });

  it('a worker command on an empty fleet: not found, exit 3', async () => {
    for (const run of await onEverySource(['status', SILENT], true)) {
      expect(run.code).toBe(3);
      expect(errorLines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^worker-forensics: worker ${SILENT} not found in `))]);
    }
  });
});

describe('a worker that never wrote a line', { timeout: 60_000 }, () => {
  it.each([...workerCommands(SILENT), ['checklist', SILENT]].map((args) => ({ name: args.join(' '), args })))('$name answers, the same on every source', async ({ name, args }) => {
    expectAllEqual(await onEverySource([...args, '--json']), name);
  });

  it('logs says it never wrote a line', async () => {
    const run = await runOn(`snapshot:${snapshotFile}`, ['logs', SILENT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The worker never wrote a line of its own.');
    const json = (await runOn(`snapshot:${snapshotFile}`, ['logs', SILENT, '--json'])).json();
    expect(json).toMatchObject({ total: 0, total_unfiltered: 0, logs: [], last_worker_log: null, silence_s: null });
  });
});

describe('log text with wildcards, backslashes, emoji and 100 KB', { timeout: 60_000 }, () => {
  const matching = (needle: string) => TEXT_MESSAGES.filter((m) => m.toLowerCase().includes(needle.toLowerCase()));

  it.each(['%', '_', '\\', '\\\\', '🔥', 'C:\\models', 'FILE_NAME'])('logs --search %j matches literally, the same on every source', async (needle) => {
    const json = expectAllEqual(await onEverySource(['logs', TEXTS, '--search', needle, '--json']), `--search ${needle}`) as { total: number; logs: { message: string }[] };
    expect(json.logs.map((l) => l.message)).toEqual(matching(needle));
    expect(json.total).toBeGreaterThan(0);
    expect(json.total).toBeLessThan(TEXT_MESSAGES.length);
  });

  it('demo workers’ own % and _ lines: the demo fleet, Supabase and Postgres agree', async () => {
    const ids = [WORKERS.longRunning, WORKERS.oom];
    for (const id of ids) {
      for (const needle of ['%', '_', '\\']) {
        const args = ['logs', id, '--search', needle, '--json'];
        const runs = await Promise.all([
          runOn('demo', args),
          runOn('supabase', args, { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: KEY }),
          runOn('postgres', args, { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema }),
        ]);
        expectAllEqual(runs, args.join(' '));
      }
    }
    const total = (needle: string) => runOn('demo', ['logs', WORKERS.longRunning, '--search', needle, '--json']).then((r) => r.json().total as number);
    expect(await total('%')).toBeGreaterThan(0);
  });

  it('the 100 KB message survives --json intact on every source', async () => {
    const json = expectAllEqual(await onEverySource(['logs', TEXTS, '--json']), 'logs') as { logs: { message: string }[] };
    expect(json.logs.map((l) => l.message)).toEqual(TEXT_MESSAGES);
    expect(json.logs.find((l) => l.message.startsWith('🧪'))?.message).toBe(BIG);
  });

  it('and is cut in the text table, which stays one line per log line', async () => {
    const run = await runOn(`snapshot:${snapshotFile}`, ['logs', TEXTS]);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => / worker +INFO /.test(l));
    expect(rows).toHaveLength(TEXT_MESSAGES.length);
    const big = rows.find((l) => l.includes('🧪 big payload'))!;
    expect(big.endsWith('…')).toBe(true);
    for (const row of rows) expect(displayWidth(row)).toBeLessThan(200);
  });
});

describe('option values cli.test.ts does not try', () => {
  it.each([
    [['active', '--timeout', '0'], /--timeout must be a positive number of seconds, got "0"/],
    [['active', '--timeout', 'soon'], /--timeout must be a positive number of seconds, got "soon"/],
    [['logs', 'gpu-1', '--limit', '0'], /--limit must be a positive whole number, got "0"/],
    [['logs', 'gpu-1', '--limit', '2.5'], /--limit must be a positive whole number, got "2.5"/],
    [['stale', '--minutes', 'many'], /--minutes must be a positive number, got "many"/],
    [['failed-tasks', '--worker', 'gpu 1'], /malformed worker id "gpu 1"/],
    [['classify', 'gpu-1', '--hours', '6'], /give worker ids or --hours, not both/],
    [['snapshot', 'gpu-1', '--hours', '6', '--out', 'x.json'], /give worker ids or --hours, not both/],
    [['snapshot', '--out', 'x.json'], /snapshot needs worker ids or --hours N/],
    [['active', '--source', 'snapshot:'], /--source snapshot: needs a file/],
    [['active', '--as-of'], /option --as-of needs a value/],
    [['active', '--json=yes'], /active: /],
  ])('%j → exit 2, one line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

/**
 * Same answers on every path: each CLI command's --json output read through Supabase (PostgREST
 * with its 1000-row cap, so reads page) and through Postgres (where fleet log signals are computed
 * in SQL) equals the output on the embedded demo fleet, from the very same raw rows at the same
 * --as-of. Afterwards, neither path has written: the contract server saw only GET/HEAD, and the
 * database holds exactly what was loaded. Last, the CLI's own Postgres connection asks for
 * read-only sessions even when DATABASE_URL's query says otherwise (test/sources/postgres.test.ts
 * shows that such a session refuses a write with SQLSTATE 25006).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgrestServer, type PostgrestServer } from '../../dev/postgrest-server.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import type { CliRun } from '../support/cli.js';
import { startPasswordServer } from './password-server.js';
import { ALARM_COMMANDS, DEMO, DELETED_WORKER, FLEET_COMMANDS, JOURNEY_COMMANDS, WORKERS, demoRows, lineCount, runOn, workerCommands, type SourceName } from './support.js';

/** A service-role key shaped like the real ones; the server accepts only it. */
const SERVICE_ROLE_CANARY = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwicmVmIjoic2FtZS1hbnN3ZXJzIn0.c2FtZS1hbnN3ZXJzLWNhbmFyeS1zaWc';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-same-'));
let server: PostgrestServer;
let db: TestDatabase;
let envOf: Record<'demo' | 'supabase' | 'postgres', NodeJS.ProcessEnv>;
/** Every table's row count and content checksum, right after loading. */
let loadedFingerprint: Record<string, unknown>;

async function fingerprint(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of ['workers', 'tasks', 'system_logs']) {
    const [row] = await db.sql`
      select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t.id::text), '')) as sum
      from ${db.sql(db.schema)}.${db.sql(table)} t`;
    out[table] = row;
  }
  const [tables] = await db.sql`select count(*)::int as n from information_schema.tables where table_schema = ${db.schema}`;
  out['tables'] = tables!['n'];
  return out;
}

beforeAll(async () => {
  const rows = demoRows();
  [server, db] = await Promise.all([startPostgrestServer({ rows, apiKeys: [SERVICE_ROLE_CANARY] }), openTestDatabase()]);
  await db.load(rows);
  loadedFingerprint = await fingerprint();
  envOf = {
    demo: {},
    supabase: { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_CANARY },
    postgres: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema },
  };
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Runs {
  demo: CliRun;
  others: Partial<Record<'supabase' | 'postgres', CliRun>>;
}

/** The command on the demo fleet and, concurrently, on the given database paths. */
async function everywhere(args: readonly string[], paths: readonly ('supabase' | 'postgres')[] = ['supabase', 'postgres']): Promise<Runs> {
  const [demo, ...others] = await Promise.all([runOn('demo', args), ...paths.map((p) => runOn(p, args, envOf[p]))]);
  return { demo: demo!, others: Object.fromEntries(paths.map((p, i) => [p, others[i]!])) };
}

function expectSameJson({ demo, others }: Runs, label: string): void {
  expect(demo.code, `${label} on demo: ${demo.stderr}`).toBe(0);
  for (const [name, run] of Object.entries(others)) {
    expect(run.code, `${label} on ${name}: ${run.stderr}`).toBe(0);
    expect(run.json(), `${label} on ${name}`).toEqual(demo.json());
    expect(run.stdout + run.stderr).not.toContain(SERVICE_ROLE_CANARY);
  }
}

const workerCases = Object.entries(WORKERS).flatMap(([kind, id]) =>
  workerCommands(id).map((args) => ({ name: `${args.join(' ')} (${kind})`, args })),
);

describe('every worker command gives the demo answer through Supabase and Postgres', { timeout: 120_000 }, () => {
  it.each(workerCases)('$name', async ({ name, args }) => {
    expectSameJson(await everywhere([...args, '--json']), name);
  });

  it('logs with --level, --search and --limit', async () => {
    const args = ['logs', WORKERS.longRunning, '--level', 'info', '--search', 'heartbeat', '--limit', '7', '--json'];
    const runs = await everywhere(args);
    expectSameJson(runs, args.join(' '));
    expect(runs.demo.json().logs).toHaveLength(7);
  });

  it('the long-running worker is read past the 1000-row cap', async () => {
    const before = server.requests.length;
    const runs = await everywhere(['logs', WORKERS.longRunning, '--json'], ['supabase']);
    expectSameJson(runs, 'logs (long-running)');
    expect(runs.demo.json().total_unfiltered).toBe(lineCount(WORKERS.longRunning));
    const pages = server.requests.slice(before).filter((r) => r.url.startsWith('/rest/v1/system_logs'));
    expect(pages.length).toBeGreaterThan(3);
  });

  // checklist reads the whole fleet's switches as well (its crash-timing item): one worker suffices.
  it('checklist (oom)', async () => {
    expectSameJson(await everywhere(['checklist', WORKERS.oom, '--json']), `checklist ${WORKERS.oom}`);
  });

  it('a deleted worker: its logs are shown, and status does not find it, on every path', async () => {
    expectSameJson(await everywhere(['logs', DELETED_WORKER, '--json']), `logs ${DELETED_WORKER}`);
    const { demo, others } = await everywhere(['status', DELETED_WORKER, '--json']);
    for (const run of [demo, ...Object.values(others)]) {
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`worker ${DELETED_WORKER} not found in`);
    }
  });
});

/** The worker that crashed on a task later requeued and finished by another (found by the task's trace). */
function requeuedTaskCrashedWorker(): string {
  const t = DEMO.tasks.find((row) => /^Requeued: worker crashed/.test(String(row['error_message'] ?? '')));
  const line = t && DEMO.system_logs.find((l) => l['task_id'] === t['id'] && l['source_type'] === 'worker' && l['worker_id'] !== t['worker_id']);
  if (!line) throw new Error('the demo fleet has no task requeued after its worker crashed');
  return String(line['worker_id']);
}

describe('timeline reads the tasks its lines name on every path', { timeout: 120_000 }, () => {
  it('the worker whose task was requeued after its crash: the same answer through Supabase, Postgres and its snapshot', async () => {
    const id = requeuedTaskCrashedWorker();
    const runs = await everywhere(['timeline', id, '--json']);
    expectSameJson(runs, `timeline ${id}`);
    expect(runs.demo.json().events.some((e: { kind: string; task_worker_id?: string | null }) => e.kind === 'task_released' && typeof e.task_worker_id === 'string')).toBe(true);
    const file = path.join(tmp, 'requeued.json.gz');
    expect((await runOn('postgres', ['snapshot', id, '--out', file], envOf.postgres)).code).toBe(0);
    const saved = await runOn(`snapshot:${file}`, ['timeline', id, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.json()).toEqual(runs.demo.json());
  });
});

describe('every fleet command gives the demo answer through Supabase and Postgres', { timeout: 120_000 }, () => {
  it.each(FLEET_COMMANDS.map((args) => ({ name: args.join(' '), args })))('$name', async ({ name, args }) => {
    expectSameJson(await everywhere([...args, '--json']), name);
  });

  // Issue 11: a task's journey (lines read by task id, the holders' signals in SQL) and a kill.
  it.each(JOURNEY_COMMANDS.map((args) => ({ name: args.join(' '), args })))('$name', async ({ name, args }) => {
    const runs = await everywhere([...args, '--json']);
    expectSameJson(runs, name);
    expect(runs.demo.json().events ?? runs.demo.json().evidence).not.toHaveLength(0);
  });

  it.each(ALARM_COMMANDS.map(({ args, code }) => ({ name: args.join(' '), args, code })))('$name: exit $code and the same JSON', async ({ name, args, code }) => {
    const { demo, others } = await everywhere([...args, '--json']);
    expect(demo.code, `${name} on demo: ${demo.stderr}`).toBe(code);
    for (const [path, run] of Object.entries(others)) {
      expect(run.code, `${name} on ${path}: ${run.stderr}`).toBe(code);
      expect(run.json(), `${name} on ${path}`).toEqual(demo.json());
    }
  });

  // Each split reads the fleet once more; the SQL signals behind them are the point, so Postgres.
  it.each(['ram_tier', 'memory_profile', 'model'])('crash-timing --by %s', async (by) => {
    const args = ['crash-timing', '--hours', '24', '--by', by, '--json'];
    expectSameJson(await everywhere(args, ['postgres']), args.join(' '));
  });

  it('the fleet answers are not empty (so that equality says something)', async () => {
    const classify = (await runOn('demo', ['classify', '--hours', '24', '--json'])).json();
    expect(Object.values(classify.counts as Record<string, number>).filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
    const timing = (await runOn('demo', ['crash-timing', '--hours', '24', '--json'])).json();
    expect(timing.overall.crashed).toBeGreaterThan(0);
  });
});

describe('snapshot holds the same rows whatever it was taken from', { timeout: 120_000 }, () => {
  function snapshotFile(file: string): Record<string, unknown> {
    const bytes = readFileSync(file);
    return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
  }

  it.each([
    { scope: 'named workers', args: [WORKERS.oom, WORKERS.longRunning, DELETED_WORKER], ext: '.json.gz' },
    { scope: 'the fleet window', args: ['--hours', '8'], ext: '.json' },
  ])('$scope', async ({ scope, args, ext }) => {
    const sources: SourceName[] = ['demo', 'supabase', 'postgres'];
    const runs = await Promise.all(
      sources.map((source, i) => {
        const file = path.join(tmp, `${scope.replace(/\W+/g, '-')}-${i}${ext}`);
        return runOn(source, ['snapshot', ...args, '--out', file, '--json'], envOf[source as keyof typeof envOf]).then((run) => ({ source, file, run }));
      }),
    );
    const [demo, ...others] = runs.map(({ source, file, run }) => {
      expect(run.code, `${source}: ${run.stderr}`).toBe(0);
      const { file: _file, bytes: _bytes, ...result } = run.json();
      const { meta, ...tables } = snapshotFile(file) as { meta: Record<string, unknown> };
      // Only where the rows came from may differ.
      const { source: label, ...rest } = meta;
      expect(String(label)).not.toContain(SERVICE_ROLE_CANARY);
      return { result, tables, meta: rest };
    });
    expect(demo!.result.system_logs).toBeGreaterThan(1000);
    for (const other of others) expect(other).toEqual(demo);
  });
});

describe('nothing was written', () => {
  it('the contract server saw only GET and HEAD requests', () => {
    expect(server.requests.length).toBeGreaterThan(100);
    expect(server.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });

  it('the database holds exactly the rows loaded, and no new table', async () => {
    expect(await fingerprint()).toEqual(loadedFingerprint);
  });
});

/** Query parameters a DATABASE_URL may carry that would undo the source's own session settings. */
const OVERRIDES = '?default_transaction_read_only=off&DateStyle=SQL,%20DMY&timezone=America/New_York&application_name=mine&sslmode=disable';

describe('a DATABASE_URL cannot undo the session settings', () => {
  it('the CLI asks for read-only sessions (and ISO dates, UTC) in every startup packet', async () => {
    const server = await startPasswordServer();
    try {
      const run = await runOn('postgres', ['active'], { DATABASE_URL: `postgres://forensics:pw@127.0.0.1:${server.port}/prod${OVERRIDES}` });
      expect(run.code).toBe(4);
      expect(server.startups.length).toBeGreaterThan(0);
      for (const startup of server.startups) {
        expect(startup).toMatchObject({ default_transaction_read_only: 'true', DateStyle: 'ISO, MDY', TimeZone: 'UTC', application_name: 'worker-forensics' });
        expect(Object.keys(startup).map((k) => k.toLowerCase()).sort()).toEqual(
          ['application_name', 'client_encoding', 'database', 'datestyle', 'default_transaction_read_only', 'statement_timeout', 'timezone', 'user'],
        );
      }
    } finally {
      await server.close();
    }
  });

  it('on the real server, the answers are still the demo answers', async () => {
    const env = { ...envOf.postgres, DATABASE_URL: `${db.url}${OVERRIDES}` };
    for (const args of [['active', '--json'], ['logs', WORKERS.oom, '--json']]) {
      const [demo, postgres] = await Promise.all([runOn('demo', args), runOn('postgres', args, env)]);
      expect(postgres.code, postgres.stderr).toBe(0);
      expect(postgres.json()).toEqual(demo.json());
    }
  });
});

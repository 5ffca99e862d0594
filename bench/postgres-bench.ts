/**
 * Part 2 of the benchmark: the fleet analysis through the postgres source, with the per-worker
 * signals computed in the database (`source.workerSignals`, one row per worker travels) versus
 * every log row pulled and the signals computed in-process (`inProcess: true`), on the same fleet
 * loaded into a throwaway schema of a real PostgreSQL. The bytes each way are counted by a TCP
 * proxy between the driver and the server.
 *
 * The schema is made and dropped by the fixture (dev/postgres-fixture.ts), which refuses to
 * drop anything it did not create; the caller registers the drop to run on failure and on Ctrl-C.
 */
import { BUILT_IN_VOCABULARY } from '../src/config/vocabulary.js';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { classify, report } from '../src/checks/index.js';
import { computeWorkerSignals } from '../src/analyses/worker-signals.js';
import { hoursWindow } from '../src/rows/window.js';
import { readContext } from '../src/checks/load.js';
import { openPostgresSource } from '../src/sources/postgres.js';
import type { Instant } from '../src/rows/time.js';
import { CLASSIFY_HOURS, REPORT_HOURS, type RawFleet } from './fleet-analysis.js';
import { copyRows, createForensicsSchema, dropForensicsSchema } from '../dev/postgres-fixture.js';
import { startByteCountingProxy, type ByteCounts } from './tcp-proxy.js';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresMode = 'pushdown' | 'pull';

export interface PostgresModeResult {
  mode: PostgresMode;
  /** One per run; the modes alternate. */
  seconds: number[];
  /** Of the first run (every run moves the same rows). */
  bytes: ByteCounts;
  /** The log-signals step alone (the signals statement, or the log rows), measured once apart. */
  signalsStep: { seconds: number; bytes: ByteCounts };
  patternCounts: Record<string, number>;
}

export interface PostgresBenchResult {
  server: string;
  schema: string;
  loadSeconds: number;
  modes: PostgresModeResult[];
  /** Every run of both modes gave the very same `classify` and `report` documents. */
  sameClassification: boolean;
  differences: string[];
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

async function reachable(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return false;
    throw new Error(`PostgreSQL answered but cannot be used: ${(error as Error).message}`);
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/**
 * The local server, started with `pg_ctlcluster --skip-systemctl-redirect <version> main start`
 * when it does not answer (as the platform notes say; sudo when not root).
 */
export async function ensurePostgres(url: string, log: (line: string) => void): Promise<void> {
  if (await reachable(url)) return;
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`PostgreSQL at ${new URL(url).host} does not answer`);
  let versions: string[] = [];
  try {
    versions = readdirSync('/etc/postgresql');
  } catch {
    /* no Debian cluster: reported below */
  }
  if (versions.length === 0) throw new Error(`PostgreSQL at ${new URL(url).host} does not answer and no Debian cluster is installed (/etc/postgresql)`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  for (const version of versions) {
    const command = [...(root ? [] : ['sudo']), 'pg_ctlcluster', '--skip-systemctl-redirect', version, 'main', 'start'];
    log(`bench: PostgreSQL is down; ${command.join(' ')}`);
    spawnSync(command[0]!, command.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await reachable(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`PostgreSQL at ${new URL(url).host} still does not answer after pg_ctlcluster start`);
}

export interface PostgresBenchOptions {
  /** A role that may create a schema (the bench's own writer; the sources under test only read). */
  url: string;
  raw: RawFleet;
  asOf: Instant;
  /** Runs of each mode, alternating. */
  reps: number;
  /** Called with a function that drops the schema, once it exists: for Ctrl-C. */
  onSchema?: (drop: () => Promise<void>) => void;
  log: (line: string) => void;
}

export async function runPostgresBench(options: PostgresBenchOptions): Promise<PostgresBenchResult> {
  const { url, raw, asOf, log } = options;
  const writer = postgres(url, { max: 1, onnotice: () => {} });
  const schema = `wf_bench_${randomBytes(4).toString('hex')}`;
  let created = false;
  const drop = async () => {
    if (!created) return;
    created = false;
    await dropForensicsSchema(writer, schema);
  };
  const proxy = await startByteCountingProxy({ host: new URL(url).hostname, port: Number(new URL(url).port || 5432) });
  try {
    const [settings] = await writer<{ version: string }[]>`select current_setting('server_version') as version`;
    await createForensicsSchema(writer, schema);
    created = true;
    options.onSchema?.(drop);
    log(`bench: loading ${raw.system_logs.length} log lines into schema ${schema} (COPY)`);
    const loadStarted = performance.now();
    await copyRows(writer, schema, raw);
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const documents = new Map<PostgresMode, string>();
    const modes = new Map<PostgresMode, PostgresModeResult>();
    const differences: string[] = [];
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const mode of ['pushdown', 'pull'] as const) {
        log(`bench: postgres fleet analysis, ${mode === 'pushdown' ? 'signals in the database' : 'every log row pulled'}, run ${rep} of ${options.reps}`);
        proxy.reset();
        const started = performance.now();
        const source = openPostgresSource({ url: proxied.toString(), schema });
        let document: string;
        let patternCounts: Record<string, number>;
        try {
          const ctx = readContext(source, asOf, { inProcess: mode === 'pull' });
          const classified = await classify(ctx, { hours: CLASSIFY_HOURS });
          const fleet = await report(ctx, REPORT_HOURS);
          if (ctx.problems.size > 0) throw new Error(`the postgres source reported ${ctx.problems.size} row problem(s): ${ctx.problems.lines()[0]}`);
          patternCounts = Object.fromEntries(Object.entries(classified.result.counts).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)));
          document = JSON.stringify({ classify: classified.result, report: fleet });
        } finally {
          await source.close();
        }
        const seconds = (performance.now() - started) / 1000;
        const earlier = documents.get(mode);
        if (earlier === undefined) documents.set(mode, document);
        else if (earlier !== document) differences.push(`${mode}: run ${rep} differs from run 1 (${firstDifference(earlier, document)})`);
        const result = modes.get(mode);
        if (result) result.seconds.push(seconds);
        else modes.set(mode, { mode, seconds: [seconds], bytes: proxy.counts(), signalsStep: { seconds: 0, bytes: { toServer: 0, toClient: 0 } }, patternCounts });
      }
    }
    // What the log signals alone cost each way: the rest of the bytes are the worker and task rows
    // both modes read alike.
    for (const result of modes.values()) {
      const source = openPostgresSource({ url: proxied.toString(), schema });
      try {
        const window = hoursWindow(asOf, CLASSIFY_HOURS);
        const ids = (await source.workers({ createdFrom: window.from, createdTo: window.to })).rows.map((w) => w.id);
        proxy.reset();
        const started = performance.now();
        if (result.mode === 'pushdown') await source.workerSignals!(ids, asOf, BUILT_IN_VOCABULARY);
        else computeWorkerSignals(ids, (await source.logs({ workerIds: ids, until: asOf })).rows, asOf, BUILT_IN_VOCABULARY);
        result.signalsStep = { seconds: (performance.now() - started) / 1000, bytes: proxy.counts() };
      } finally {
        await source.close();
      }
    }
    if (documents.get('pushdown') !== documents.get('pull')) {
      differences.push(`pushdown vs pull: ${firstDifference(documents.get('pushdown')!, documents.get('pull')!)}`);
    }
    return {
      server: `PostgreSQL ${settings?.version ?? '?'}`,
      schema,
      loadSeconds,
      modes: [...modes.values()],
      sameClassification: differences.length === 0,
      differences,
    };
  } finally {
    try {
      await drop();
    } finally {
      await writer.end({ timeout: 5 });
      await proxy.close();
    }
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `the documents differ at character ${i}: …${a.slice(Math.max(0, i - 80), i + 80)}… vs …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

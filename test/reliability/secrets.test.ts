/**
 * No byte of a secret in anything the tool writes. Canaries: a JWT-shaped service-role key and an
 * `sb_secret_` key (each command is run once with each), a DATABASE_URL with a password, and keys
 * a worker leaked by mistake (planted in the served rows: log lines, a task's error message, the
 * worker's metadata, as values and as keys). Searched: stdout and stderr of every
 * command, as text and as --json, on success and on the error paths (rejected key, unreachable
 * host, wrong password); snapshot files, plain and gzipped; the .ipynb and .html of `investigate`
 * and `render`. "A byte" is taken strictly: no run of 8 characters of any secret may appear, so
 * that a secret cut short (a table cell, an evidence line) counts as a leak too.
 *
 * The run judges at an as-of early in the demo fleet's life: what is searched is how keys and
 * passwords are handled, which does not depend on how many rows are read, and the early instant
 * keeps each read to a few pages.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { DEMO_AS_OF } from '../../src/sources/demo-fleet.js';
import { formatInstant, formatPostgrestInstant, MICROS_PER_SECOND } from '../../src/rows/time.js';
import { requireJupyter } from '../support/notebooks.js';
import { startPostgrestServer, type PostgrestServer, type Row } from '../../dev/postgrest-server.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startPasswordServer, type PasswordServer } from './password-server.js';
import { FLEET_COMMANDS, WORKERS, demoRows, errorLines, runOn, workerCommands, type SourceName } from './support.js';

const AS_OF_INSTANT = DEMO_AS_OF - 5 * 3600 * MICROS_PER_SECOND;
const AS_OF = formatInstant(AS_OF_INSTANT);

const SERVICE_ROLE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwicmVmIjoiY2FuYXJ5cmVmIn0.Q2FuYXJ5U2lnbmF0dXJlTXVzdE5vdExlYWs5ZDRl';
const SB_SECRET_KEY = 'sb_secret_Cnry7xQ2vLw9ZkP4mT1sE8dF';
/** Characters that URLs must encode, so that both forms are searched. */
const DB_PASSWORD = 'pg:Canary/p@ss%wd-31';

// What a worker logged by mistake: shape-redacted although the tool was never told about them.
const LOGGED_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2dnZWQtYnktbWlzdGFrZSIsInJvbGUiOiJhZG1pbiJ9.TG9nZ2VkQnlNaXN0YWtlU2lnbmF0dXJlWDk';
const LOGGED_PASSWORD = 'Wkr-logged-Pw-Canary-77xq';
const LOGGED_SB_SECRET = 'sb_secret_WorkerLoggedItCanary42';
const LOGGED_URL = `postgres://app:${LOGGED_PASSWORD}@db.internal:5432/prod`;

/** Every 8-character run of each secret's secret parts (a JWT's segments, an sb_secret_ key's tail). */
function fragmentsOf(secret: string): string[] {
  const parts = secret.startsWith('sb_secret_') ? [secret.slice('sb_secret_'.length)] : secret.split('.');
  return parts.flatMap((part) => Array.from({ length: Math.max(0, part.length - 7) }, (_, i) => part.slice(i, i + 8)));
}

const FRAGMENTS = [
  ...new Set(
    [SERVICE_ROLE_JWT, SB_SECRET_KEY, DB_PASSWORD, encodeURIComponent(DB_PASSWORD), LOGGED_JWT, LOGGED_PASSWORD, LOGGED_SB_SECRET].flatMap(fragmentsOf),
  ),
];

/** The size the rendered template must stay under (issue 10). */
const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * What a page or picture would fetch: a script, style sheet, image or font from the network or a
 * local file, or any file: URL (links to other pages are not assets; XML namespaces are not fetched).
 */
const REMOTE_ASSET = [
  /<(script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']?\s*(https?:|file:|\/\/)/i,
  /<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:|file:|\/\/)/i,
  /<image\b[^>]*\bhref\s*=\s*["']?\s*(https?:|file:|\/\/)/i,
  /url\(\s*["']?\s*(https?:|file:|\/\/)/i,
  /@import\s/i,
  /file:\/\//i,
  /!\[[^\]]*\]\(\s*(https?:|file:|\/\/)/i,
];

function expectNoRemoteAsset(text: string, what: string): void {
  for (const pattern of REMOTE_ASSET) {
    const match = pattern.exec(text);
    if (match) throw new Error(`${what} loads an asset from outside the file (${pattern}): …${text.slice(Math.max(0, match.index - 40), match.index + 80)}…`);
  }
}

/** Fails naming the first fragment found, and where. */
function expectNoSecret(text: string | Buffer, what: string): void {
  const haystack = typeof text === 'string' ? text : text.toString('utf8');
  const found = FRAGMENTS.find((f) => haystack.includes(f));
  if (found !== undefined) {
    const at = haystack.indexOf(found);
    throw new Error(`${what} holds "${found}", part of a secret: …${haystack.slice(Math.max(0, at - 60), at + 40)}…`);
  }
}

// ---------------------------------------------------------------------------------------------
// The planted lines: the long-running worker logged secrets in its last moments before as-of.

/** `secret` placed at column `column` of a line that starts with `lead`. */
function placedAt(column: number, secret: string, lead: string): string {
  return lead + '.'.repeat(column - lead.length) + secret;
}

/** The message column of `logs` keeps 99 characters: 10 of the password fall before the cut. */
const TABLE_CUT = 99;
const URL_TO_PASSWORD = 'postgres://app:'.length;
const ACROSS_TABLE_CUT = placedAt(TABLE_CUT - 10 - URL_TO_PASSWORD, LOGGED_URL, 'sync to ');
/** A JWT cut inside its payload is no longer JWT-shaped. */
const JWT_ACROSS_TABLE_CUT = placedAt(TABLE_CUT - 12 - LOGGED_JWT.indexOf('.') - 1, LOGGED_JWT, 'token ');
/**
 * The last worker line, an evidence line: `last worker line: <message>` is cut at 120 characters in
 * the terminal and at 299 in the notebook's evidence table; a password straddles each cut.
 */
const EVIDENCE_LABEL = 'last worker line: '.length;
const ACROSS_EVIDENCE_CUTS = (() => {
  const first = placedAt(120 - EVIDENCE_LABEL - 10 - URL_TO_PASSWORD, LOGGED_URL, 'retry ');
  return placedAt(299 - EVIDENCE_LABEL - 10 - URL_TO_PASSWORD, LOGGED_URL, first + ' ');
})();
const WHOLE_LINE = `config dump: SUPABASE_SERVICE_ROLE_KEY=${LOGGED_JWT} DATABASE_URL=${LOGGED_URL} STORAGE_KEY=${LOGGED_SB_SECRET}`;
const WHOLE_LINE_REDACTED = 'config dump: SUPABASE_SERVICE_ROLE_KEY=[REDACTED] DATABASE_URL=postgres://app:[REDACTED]@db.internal:5432/prod STORAGE_KEY=[REDACTED]';

/** No secret at all, but its JSON text (`password=\\n…`) looks like a password parameter. */
const LOOKS_LIKE_A_PASSWORD_PARAMETER = 'auth retry: password=\nnext attempt in 5 s';
/** A string ending in a secret: in JSON text, its redaction is followed by the closing quote. */
const ENDS_WITH_A_PASSWORD = `db connect failed with password=${LOGGED_PASSWORD}`;

const PLANTED: Row[] = [LOOKS_LIKE_A_PASSWORD_PARAMETER, ENDS_WITH_A_PASSWORD, ACROSS_TABLE_CUT, JWT_ACROSS_TABLE_CUT, WHOLE_LINE, ACROSS_EVIDENCE_CUTS].map((message, i, all) => ({
  id: `5ec4e700-0000-4000-8000-00000000000${i}`,
  timestamp: formatPostgrestInstant(AS_OF_INSTANT - (all.length - i) * 100_000),
  source_type: 'worker',
  source_id: WORKERS.longRunning,
  log_level: 'ERROR',
  message,
  task_id: null,
  worker_id: WORKERS.longRunning,
  cycle_number: null,
  metadata: null,
}));

/** A failed task of the worker whose error ends in a password (shown in the notebook's task timeline figure). */
const PLANTED_TASK: Row = {
  id: '5ec4e700-0000-4000-8000-0000000000ff',
  task_type: 'single_image',
  params: {},
  status: 'Failed',
  worker_id: WORKERS.longRunning,
  attempts: 3,
  error_message: ENDS_WITH_A_PASSWORD,
  result_data: null,
  created_at: formatPostgrestInstant(AS_OF_INSTANT - 600 * MICROS_PER_SECOND),
  updated_at: formatPostgrestInstant(AS_OF_INSTANT - 500 * MICROS_PER_SECOND),
  generation_started_at: formatPostgrestInstant(AS_OF_INSTANT - 590 * MICROS_PER_SECOND),
  generation_processed_at: null,
};

/** The worker's row as well: its metadata holds secrets as a value and as a key (a diagnostics dump). */
function withSecretsInMetadata(workers: Row[]): Row[] {
  return workers.map((w) =>
    w['id'] !== WORKERS.longRunning
      ? w
      : {
          ...w,
          metadata: {
            ...(w['metadata'] as Record<string, unknown>),
            diagnostics: { dump: `token ${LOGGED_JWT}`, env: { [`SUPABASE_KEY=${LOGGED_SB_SECRET}`]: 'set', [LOGGED_URL]: 'reachable' } },
          },
        },
  );
}

// ---------------------------------------------------------------------------------------------

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-secrets-'));
let server: PostgrestServer;
let rejecting: PostgrestServer;
let db: TestDatabase;
let passwordServer: PasswordServer;
let closedPort: number;

/** A port that was free a moment ago: connecting to it is refused. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const demo = demoRows({ system_logs: PLANTED, tasks: [PLANTED_TASK] });
  const rows = { ...demo, workers: withSecretsInMetadata(demo.workers) };
  closedPort = await freePort();
  [server, rejecting, db, passwordServer] = await Promise.all([
    startPostgrestServer({ rows, apiKeys: [SERVICE_ROLE_JWT, SB_SECRET_KEY] }),
    startPostgrestServer({ rows, apiKeys: ['the-only-key-this-server-takes'] }),
    openTestDatabase(),
    startPasswordServer(),
  ]);
  await db.load(rows);
});

afterAll(async () => {
  await Promise.all([server?.close(), rejecting?.close(), db?.close(), passwordServer?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

const COMMANDS: string[][] = [...workerCommands(WORKERS.longRunning), ['checklist', WORKERS.longRunning], ...FLEET_COMMANDS];

interface LogsJson {
  logs: { message: string }[];
  last_worker_log: { message: string } | null;
}

/** Runs every command as text and as --json; checks each output and returns the --json one of `logs`. */
async function everyCommand(source: SourceName, env: NodeJS.ProcessEnv): Promise<LogsJson> {
  let logs: LogsJson | undefined;
  for (const args of COMMANDS) {
    for (const json of [false, true]) {
      const run = await runOn(source, json ? [...args, '--json'] : args, env, AS_OF);
      const label = `${args.join(' ')}${json ? ' --json' : ''} on ${source}`;
      expect(run.code, `${label}: ${run.stderr}`).toBe(0);
      expectNoSecret(run.stdout, `stdout of ${label}`);
      expectNoSecret(run.stderr, `stderr of ${label}`);
      if (json && args[0] === 'logs') logs = run.json();
    }
  }
  if (!logs) throw new Error('logs --json was not run');
  return logs;
}

function expectPlantedLinesRedacted(logs: LogsJson): void {
  const messages = logs.logs.map((l) => l.message);
  expect(messages).toContain(WHOLE_LINE_REDACTED);
  expect(messages.filter((m) => m.includes('postgres://app:[REDACTED]@db.internal'))).toHaveLength(3);
  expect(messages).toContain(LOOKS_LIKE_A_PASSWORD_PARAMETER);
  expect(messages).toContain('db connect failed with password=[REDACTED]');
  expect(logs.last_worker_log?.message).toBe(ACROSS_EVIDENCE_CUTS.replaceAll(LOGGED_PASSWORD, '[REDACTED]'));
}

function readSnapshot(file: string): Buffer {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

describe.each([
  { kind: 'a JWT-shaped service-role key', key: SERVICE_ROLE_JWT },
  { kind: 'an sb_secret_ key', key: SB_SECRET_KEY },
])('Supabase with $kind', { timeout: 60_000 }, ({ key }) => {
  const env = () => ({ SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: key });

  it('every command, as text and --json, prints no byte of any secret; the planted lines are redacted', async () => {
    expectPlantedLinesRedacted(await everyCommand('supabase', env()));
  });

  it('snapshots, plain and gzipped, hold no byte of any secret, and the planted lines redacted', async () => {
    for (const [args, name] of [
      [[WORKERS.longRunning], 'worker.json'],
      [[WORKERS.longRunning], 'worker.json.gz'],
      [['--hours', '2'], 'fleet.json.gz'],
    ] as const) {
      const file = path.join(tmp, `${key.slice(0, 6)}-${name}`);
      const run = await runOn('supabase', ['snapshot', ...args, '--out', file], env(), AS_OF);
      expect(run.code, run.stderr).toBe(0);
      expectNoSecret(run.stdout + run.stderr, `output of snapshot ${name}`);
      const text = readSnapshot(file).toString('utf8');
      expectNoSecret(text, `snapshot ${name}`);
      expect(text).toContain(JSON.stringify(WHOLE_LINE_REDACTED));
      expect(text).toContain(JSON.stringify(LOOKS_LIKE_A_PASSWORD_PARAMETER));
    }
  });

  it('the rejected key (401), an unreachable host and a URL with a password: one line each, no byte of a secret', async () => {
    const rejected = await runOn('supabase', ['status', WORKERS.longRunning, '--json'], { SUPABASE_URL: rejecting.url, SUPABASE_SERVICE_ROLE_KEY: key }, AS_OF);
    expect(rejected.code).toBe(4);
    expect(errorLines(rejected.stderr)).toEqual([`worker-forensics: Supabase at ${rejecting.url} rejected the key reading workers (HTTP 401: Invalid API key)`]);
    // Nobody listens there: connections are refused and retried until --timeout.
    const unreachableUrl = `http://127.0.0.1:${closedPort}`;
    const withPassword = `http://admin:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${closedPort}`;
    const failing = (url: string) => runOn('supabase', ['active', '--timeout', '1'], { SUPABASE_URL: url, SUPABASE_SERVICE_ROLE_KEY: key }, AS_OF);
    const [unreachable, userinfo] = await Promise.all([failing(unreachableUrl), failing(withPassword)]);
    for (const run of [unreachable, userinfo]) {
      expect(run.code).toBe(4);
      expect(errorLines(run.stderr)).toHaveLength(1);
    }
    for (const run of [rejected, unreachable, userinfo]) {
      expect(run.stdout).toBe('');
      expectNoSecret(run.stderr, 'stderr of an error');
    }
  });
});

// A notebook run costs many seconds, and the kernel treats either key alike (the same session code,
// the same redaction that the CLI runs above exercise with both): the notebooks run with one key.
describe('notebooks, with the JWT-shaped key', { timeout: 180_000 }, () => {
  beforeAll(requireJupyter, 60_000);

  it('investigate and render, to every format: no byte of any secret in any file, no remote or file:// asset, the planted lines shown redacted', async () => {
    const outDir = path.join(tmp, 'notebooks');
    // The kernel inherits this environment: its PATH and HOME, and the key.
    const kernelEnv = { ...process.env, SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_JWT };
    const before = server.requests.length;
    const everyFormat = ['--to', 'html,ipynb,md'];
    const renderArgs = ['render', path.join(packageRoot(), 'notebooks', '02-worker-logs.ipynb'), '-p', `workerId=${WORKERS.longRunning}`, '--out', outDir, ...everyFormat];
    const runs = await Promise.all([
      runOn('supabase', ['investigate', WORKERS.longRunning, '--out', outDir, ...everyFormat], kernelEnv, AS_OF),
      runOn('supabase', [...renderArgs, '--no-input'], kernelEnv, AS_OF),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expectNoSecret(run.stdout + run.stderr, 'output of a notebook command');
      // Chromium drew the pictures and the notebook was signed: nothing to warn about.
      expect(run.stderr).not.toContain('warning');
    }
    // The kernels read through the contract server (read-only: checked at the end of the file).
    expect(server.requests.length).toBeGreaterThan(before);
    const files = readdirSync(outDir).sort();
    const logs = `02-worker-logs-${WORKERS.longRunning}`;
    expect(files).toEqual([
      `${logs}.html`,
      `${logs}.ipynb`,
      `${logs}.md`,
      `${logs}_files`,
      `${WORKERS.longRunning}.html`,
      `${WORKERS.longRunning}.ipynb`,
      `${WORKERS.longRunning}.md`,
      `${WORKERS.longRunning}_files`,
    ]);
    const documents = files.filter((f) => !f.endsWith('_files'));
    for (const file of documents) {
      const text = readFileSync(path.join(outDir, file), 'utf8');
      expectNoSecret(text, file);
      expectNoRemoteAsset(text, file);
      // The planted line was shown (redacted), not left out.
      expect(text, file).toContain('DATABASE_URL=postgres://app:[REDACTED]@db.internal');
      // Shown as it is: no secret, so no reason to refuse writing the file.
      expect(text, file).toContain('auth retry: password=');
    }
    // The static pictures: the log volume figure of both, and the template's others.
    const pictures = files.filter((f) => f.endsWith('_files')).flatMap((folder) => readdirSync(path.join(outDir, folder)).map((f) => path.join(folder, f)));
    expect(pictures.filter((f) => f.startsWith(`${logs}_files/`)).length).toBeGreaterThanOrEqual(1);
    expect(pictures.filter((f) => f.startsWith(`${WORKERS.longRunning}_files/`)).length).toBeGreaterThanOrEqual(3);
    for (const picture of pictures) {
      const svg = readFileSync(path.join(outDir, picture), 'utf8');
      expectNoSecret(svg, picture);
      expectNoRemoteAsset(svg, picture);
      expect(svg, picture).toMatch(/^<svg class="main-svg"/);
    }
    // The task timeline's figure data survives redaction as JSON (the closing quote is still there).
    for (const file of documents.filter((f) => f.startsWith('gpu-') && !f.endsWith('.md'))) {
      expect(readFileSync(path.join(outDir, file), 'utf8'), file).toMatch(/db connect failed with password=\[REDACTED\]\\*"/);
    }
    // The template's outputs stay small enough to mail or attach: each file, and the Markdown with its pictures.
    for (const file of documents.filter((f) => f.startsWith('gpu-'))) {
      expect(statSync(path.join(outDir, file)).size, file).toBeLessThan(TEMPLATE_MAX_BYTES);
    }
    const markdownBytes = [`${WORKERS.longRunning}.md`, ...pictures.filter((f) => f.startsWith(`${WORKERS.longRunning}_files/`))].reduce((sum, f) => sum + statSync(path.join(outDir, f)).size, 0);
    expect(markdownBytes).toBeLessThan(TEMPLATE_MAX_BYTES);
  });

  it('reports: the index page and every report, in every format, hold no byte of any secret and no remote or file:// asset', async () => {
    const outDir = path.join(tmp, 'reports');
    const kernelEnv = { ...process.env, SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_JWT };
    // A short window keeps the pack to a few notebooks.
    const run = await runOn('supabase', ['reports', '--hours', '2', '--out', outDir, '--to', 'html,ipynb,md', '--no-input', '--json'], kernelEnv, AS_OF);
    expect(run.code, run.stderr).toBe(0);
    expectNoSecret(run.stdout + run.stderr, 'output of reports');
    const result = run.json() as { index: string; reports: { files: string[]; worker: string | null }[] };
    const written = [result.index, ...result.reports.flatMap((r) => r.files)];
    expect(result.reports.filter((r) => r.worker === null)).toHaveLength(2);
    expect(written.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
    for (const file of written) {
      const text = readFileSync(file, 'utf8');
      expectNoSecret(text, file);
      expectNoRemoteAsset(text, file);
    }
    const index = readFileSync(result.index, 'utf8');
    expect(index).toContain('<th>MODEL SWITCH → death</th>');
    expect(index).toContain('<img src="data:image/svg+xml,%3Csvg%20class=%22main-svg%22');
    expect(index).not.toContain('<script');
  });
});

describe('Postgres with a password in DATABASE_URL', { timeout: 120_000 }, () => {
  /** Trust authentication (and PGlite) ignores the password: it only has to stay unprinted. */
  function withPassword(url: string): string {
    const parsed = new URL(url);
    parsed.password = encodeURIComponent(DB_PASSWORD);
    return parsed.toString();
  }

  it('every command, as text and --json, prints no byte of any secret; the planted lines are redacted', async () => {
    const env = { DATABASE_URL: withPassword(db.url), DATABASE_SCHEMA: db.schema };
    expect(env.DATABASE_URL).toContain(encodeURIComponent(DB_PASSWORD));
    expectPlantedLinesRedacted(await everyCommand('postgres', env));
  });

  it('a password the server refuses: one line, no byte of it, even though the server repeated it', async () => {
    const url = `postgres://forensics:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${passwordServer.port}/prod`;
    const run = await runOn('postgres', ['active', '--json'], { DATABASE_URL: url }, AS_OF);
    expect(run.code).toBe(4);
    expect(passwordServer.passwords).toContain(DB_PASSWORD);
    expect(errorLines(run.stderr)).toEqual([
      `worker-forensics: could not connect to Postgres at 127.0.0.1:${passwordServer.port}: password authentication failed for user "forensics" (password "[REDACTED]")`,
    ]);
    expectNoSecret(run.stdout + run.stderr, 'the refused password');
  });

  it('a DATABASE_URL that is not a URL: one line, no byte of the password', async () => {
    const run = await runOn('postgres', ['active'], { DATABASE_URL: `postgres://forensics:${encodeURIComponent(DB_PASSWORD)}@[not-a-host/prod` }, AS_OF);
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/invalid Postgres URL/);
    expectNoSecret(run.stdout + run.stderr, 'the malformed URL');
  });
});

describe('nothing was written', () => {
  it('the contract server saw only GET and HEAD requests, the notebook kernels’ included', () => {
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });
});

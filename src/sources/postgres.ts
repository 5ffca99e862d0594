/**
 * The Postgres source: the orchestrator's tables read directly with the `postgres` driver, for a
 * DATABASE_URL (Supabase's own Postgres, a replica, a restored dump).
 *
 * Why it is shaped as it is:
 * - Read-only twice over: every session starts with `default_transaction_read_only=on`, and every
 *   read runs inside an explicit `BEGIN READ ONLY` transaction (which also holds for servers that
 *   ignore startup parameters, like PGlite). A forensic tool must not be able to change the
 *   evidence, whatever the credentials allow.
 * - The schema is set per transaction with `set_config('search_path', …, true)`: a bound parameter
 *   (no identifier splicing), and nothing leaks between reads sharing a session.
 * - Timestamps are read as the server's text (`… 13:09:52.123456+00`) and parsed by the row schemas:
 *   the driver's Date parser would drop the microseconds the analyses order by.
 * - Prepared statements are off: Supabase's transaction-mode pooler (port 6543) rejects them.
 * - `workerSignals` runs the signals in the database (postgres-signals.ts): one row per worker
 *   travels instead of its log lines.
 * - Errors become one-line SourceErrors that name the table or the server, never the password.
 */
import postgres from 'postgres';
import { ForensicsError, SourceError, UsageError, messageOf } from '../errors.js';
import { redact, REDACTED } from '../redact.js';
import { parseRows, type Parsed } from '../rows/parse.js';
import { SELECTED_COLUMNS, type RowOf, type TableName } from '../rows/schemas.js';
import { formatInstant, type Instant } from '../rows/time.js';
import type { WorkerSignals } from '../rows/signals.js';
import { escapeLikePattern } from './like.js';
import { WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { Vocabulary } from '../config/vocabulary.js';
import { expressionsTest, toWorkerSignals, workerSignalsStatement } from './postgres-signals.js';
import type { LogQuery, ReadOptions, Source, TaskQuery, WorkerQuery } from './types.js';

export interface PostgresSourceConfig {
  /** `postgres://user:<password>@host:port/database`; the password is never printed. */
  url: string;
  /** Where the three tables are (default `public`). */
  schema?: string;
  /** Cancels every query of this source: the command was interrupted. */
  signal?: AbortSignal;
  statementTimeoutMs?: number;
  maxConnections?: number;
}

export const DEFAULT_SCHEMA = 'public';
export const DEFAULT_MAX_CONNECTIONS = 4;
/** A read running longer than this on a production database is stopped rather than left to load it. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_S = 10;
/** Idle sessions are closed so that a long-lived notebook kernel does not hold connections. */
const IDLE_TIMEOUT_S = 30;
const APPLICATION_NAME = 'worker-forensics';
/** `timestamptz`: read as text so that microseconds survive to the row schemas. */
const TIMESTAMPTZ_OID = 1184;
/** Longest error line passed on; server messages can quote long inputs. */
const MAX_MESSAGE_CHARS = 200;

/**
 * The driver options every session of the source uses (exported so that a test can prove, with
 * these very options, that a write is refused).
 */
export function postgresConnectionOptions(config: Omit<PostgresSourceConfig, 'url' | 'schema' | 'signal'> = {}) {
  return {
    max: config.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: IDLE_TIMEOUT_S,
    prepare: false,
    onnotice: () => {},
    types: {
      timestamptzText: {
        to: TIMESTAMPTZ_OID,
        from: [TIMESTAMPTZ_OID],
        serialize: (value: string) => value,
        parse: (text: string) => text,
      },
    },
    connection: {
      application_name: APPLICATION_NAME,
      default_transaction_read_only: true,
      statement_timeout: config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      // Fixes the text form of timestamptz to `YYYY-MM-DD HH:MM:SS.ffffff+00`, whatever the server's defaults.
      TimeZone: 'UTC',
      DateStyle: 'ISO, MDY',
    },
  } satisfies postgres.Options<Record<string, postgres.PostgresType>>;
}

function connect(url: string, config: PostgresSourceConfig) {
  const options = postgresConnectionOptions(config);
  return postgres(withoutOverriddenSettings(url, Object.keys(options.connection)), options);
}

/**
 * postgres.js sends a URL's query parameters as session settings, over those of `connection`: a
 * DATABASE_URL ending in `?default_transaction_read_only=off` would switch the read-only default
 * off, `?DateStyle=SQL` would make every timestamp unreadable. Parameters naming one of the
 * source's own settings are dropped (names compared case-insensitively, as PostgreSQL does).
 */
function withoutOverriddenSettings(url: string, settings: readonly string[]): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const fixed = new Set(settings.map((name) => name.toLowerCase()));
  const kept = url
    .slice(query + 1)
    .split('&')
    .filter((pair) => !fixed.has(safeDecode(pair.split('=')[0] ?? '').toLowerCase()));
  return kept.length > 0 ? `${url.slice(0, query)}?${kept.join('&')}` : url.slice(0, query);
}

type ForensicsSql = ReturnType<typeof connect>;
type ReadTransaction = postgres.TransactionSql<ForensicsSql extends postgres.Sql<infer T> ? T : never>;
type Fragment = postgres.PendingQuery<postgres.Row[]>;

/**
 * Runs `body` in a read-only transaction whose search_path is `schema` (how the source reads;
 * exported so that a test can show a write inside it is refused).
 */
export async function readOnlyTransaction<R>(sql: ForensicsSql, schema: string, body: (tx: ReadTransaction) => Promise<R>): Promise<R> {
  const result = await sql.begin('read only', async (tx) => {
    await tx`select set_config('search_path', quote_ident(${schema}), true)`;
    return body(tx);
  });
  return result as R;
}

export function openPostgresSource(config: PostgresSourceConfig): Source {
  const schema = config.schema ?? DEFAULT_SCHEMA;
  const password = passwordOf(config.url);
  const scrub = (text: string): string => scrubMessage(text, password);

  let sql: ForensicsSql;
  try {
    sql = connect(config.url, config);
  } catch (error) {
    throw new SourceError(`invalid Postgres URL (expected postgres://user:<password>@host:port/database): ${scrub(messageOf(error))}`);
  }
  const server = serverOf(sql);
  const label = `Postgres at ${server}/${sql.options.database}`;

  /** One read: a read-only transaction, cancelled by either signal, failures as SourceErrors. */
  async function read<R>(table: string, options: ReadOptions | undefined, statement: (tx: ReadTransaction) => postgres.PendingQuery<R & postgres.Row[]>) {
    const signals = [config.signal, options?.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const cancelled = () => new SourceError(`Postgres query on ${table} cancelled`);
    if (signal?.aborted) throw cancelled();
    let running: { cancel(): void } | undefined;
    const cancel = () => running?.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await readOnlyTransaction(sql, schema, async (tx) => {
        if (signal?.aborted) throw cancelled();
        const query = statement(tx);
        running = query;
        return await query;
      });
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      throw sourceErrorOf(error, table, server, scrub);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  async function readRows<K extends TableName>(
    table: K,
    options: ReadOptions | undefined,
    statement: (tx: ReadTransaction) => Fragment,
  ): Promise<Parsed<RowOf[K]>> {
    const raws = await read(table, options, statement);
    options?.onProgress?.({ table, rows: raws.length, total: raws.length });
    return parseRows(table, raws);
  }

  return {
    kind: 'postgres',
    label,
    frozenAt: null,

    async workers(query: WorkerQuery, options?: ReadOptions) {
      const limit = limitOf(query.limit);
      return readRows('workers', options, (tx) => {
        const conditions: Fragment[] = [];
        if (query.ids) conditions.push(tx`id = any(${[...query.ids]}::text[])`);
        if (query.statuses) conditions.push(tx`status = any(${[...query.statuses]}::text[])`);
        if (query.createdFrom !== undefined) conditions.push(tx`created_at >= ${formatInstant(query.createdFrom)}::timestamptz`);
        if (query.createdTo !== undefined) conditions.push(tx`created_at <= ${formatInstant(query.createdTo)}::timestamptz`);
        if (query.idPrefix !== undefined) conditions.push(tx`id like ${escapeLikePattern(query.idPrefix) + '%'}`);
        // Ids compared by code point (C collation), as the in-process sources compare strings.
        return tx`
          select ${tx(SELECTED_COLUMNS.workers)} from workers ${whereAll(tx, conditions)}
          order by created_at, id collate "C" ${limitClause(tx, limit)}`;
      });
    },

    async tasks(query: TaskQuery, options?: ReadOptions) {
      const limit = limitOf(query.limit);
      return readRows('tasks', options, (tx) => {
        const conditions: Fragment[] = [];
        // Task ids are uuids: text that is not one names no task (rather than failing the cast).
        if (query.ids) conditions.push(tx`id = any(${query.ids.filter(isUuid)}::uuid[])`);
        if (query.workerIds) conditions.push(tx`worker_id = any(${[...query.workerIds]}::text[])`);
        // Compared as text: the enum's type name is the database's business.
        if (query.statuses) conditions.push(tx`status::text = any(${[...query.statuses]}::text[])`);
        if (query.createdFrom !== undefined) conditions.push(tx`created_at >= ${formatInstant(query.createdFrom)}::timestamptz`);
        if (query.createdTo !== undefined) conditions.push(tx`created_at <= ${formatInstant(query.createdTo)}::timestamptz`);
        if (query.updatedFrom !== undefined) conditions.push(tx`updated_at >= ${formatInstant(query.updatedFrom)}::timestamptz`);
        if (query.updatedTo !== undefined) conditions.push(tx`updated_at <= ${formatInstant(query.updatedTo)}::timestamptz`);
        const order = query.newestFirst ? tx`order by created_at desc, id desc` : tx`order by created_at, id`;
        return tx`select ${tx(SELECTED_COLUMNS.tasks)} from tasks ${whereAll(tx, conditions)} ${order} ${limitClause(tx, limit)}`;
      });
    },

    async logs(query: LogQuery, options?: ReadOptions) {
      return readRows('system_logs', options, (tx) => {
        const conditions: Fragment[] = [];
        if (query.workerIds) conditions.push(tx`worker_id = any(${[...query.workerIds]}::text[])`);
        if (query.taskIds) conditions.push(tx`task_id = any(${query.taskIds.filter(isUuid)}::uuid[])`);
        if (query.since !== undefined) conditions.push(tx`"timestamp" >= ${formatInstant(query.since)}::timestamptz`);
        if (query.until !== undefined) conditions.push(tx`"timestamp" <= ${formatInstant(query.until)}::timestamptz`);
        if (query.levels !== undefined) conditions.push(tx`upper(log_level) = any(${query.levels.map((level) => level.toUpperCase())}::text[])`);
        if (query.families !== undefined) {
          // Each family among its writer's lines; `~` under the C collation, as the expressions are printed for it.
          const lowered = tx`lower(message collate "C")`;
          const any = query.families
            .filter((f) => f.pg !== null)
            .map(
              (f) =>
                tx`(${f.writer === 'worker' ? tx`source_type = ${WORKER_SOURCE_TYPE}` : tx`source_type <> ${WORKER_SOURCE_TYPE}`} and (${expressionsTest(tx, f.expressions, lowered)}))`,
            );
          conditions.push(any.length === 0 ? tx`false` : tx`(${any.reduce((all, f) => tx`${all} or ${f}`)})`);
        }
        return tx`select ${tx(SELECTED_COLUMNS.system_logs)} from system_logs ${whereAll(tx, conditions)} order by "timestamp", id`;
      });
    },

    async workerSignals(workerIds: readonly string[], asOf: Instant, vocabulary: Vocabulary, options?: ReadOptions): Promise<Map<string, WorkerSignals>> {
      if (workerIds.length === 0) return new Map();
      const rows = await read('system_logs', options, (tx) => workerSignalsStatement(tx, workerIds, asOf, vocabulary));
      return toWorkerSignals(rows, workerIds);
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

function whereAll(tx: ReadTransaction, conditions: readonly Fragment[]): Fragment {
  return conditions.reduce<Fragment>((clause, condition, index) => (index === 0 ? tx`where ${condition}` : tx`${clause} and ${condition}`), tx``);
}

function limitOf(limit: number | undefined): number | undefined {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new UsageError(`a row limit must be a whole number of at least 0 (got ${limit})`);
  }
  return limit;
}

function limitClause(tx: ReadTransaction, limit: number | undefined): Fragment {
  return limit === undefined ? tx`` : tx`limit ${limit}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** `host:port` as the driver resolved it (several for a multi-host URL), or the socket path. */
function serverOf(sql: ForensicsSql): string {
  const { host, port, path } = sql.options;
  if (path) return path;
  return host.map((h, i) => `${h}:${port[i] ?? port[0]}`).join(',');
}

function passwordOf(url: string): string | null {
  try {
    const password = new URL(url).password;
    return password === '' ? null : password;
  } catch {
    return null;
  }
}

function scrubMessage(text: string, password: string | null): string {
  let flat = text.replace(/\s+/g, ' ').trim();
  if (password !== null) {
    for (const form of new Set([password, safeDecode(password)])) flat = flat.split(form).join(REDACTED);
  }
  const safe = redact(flat);
  return safe.length > MAX_MESSAGE_CHARS ? safe.slice(0, MAX_MESSAGE_CHARS - 3) + '...' : safe;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Network failures of the driver and the OS, in words. */
const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  CONNECTION_CLOSED: 'the server closed the connection',
  CONNECTION_DESTROYED: 'the connection was destroyed',
};

/**
 * SQLSTATE classes that mean the session never started: connection exceptions (08), bad
 * credentials (28), unknown database (3D000), server starting up or full (57P03, 53300).
 */
function isConnectFailure(sqlState: string): boolean {
  return sqlState.startsWith('08') || sqlState.startsWith('28') || ['3D000', '57P03', '53300'].includes(sqlState);
}

function sourceErrorOf(error: unknown, table: string, server: string, scrub: (text: string) => string): ForensicsError {
  if (error instanceof ForensicsError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = scrub(messageOf(error));
  if (error instanceof postgres.PostgresError) {
    return isConnectFailure(error.code)
      ? new SourceError(`could not connect to Postgres at ${server}: ${message}`)
      : new SourceError(`Postgres query on ${table} failed: ${message}`);
  }
  if (code === 'CONNECTION_ENDED') return new SourceError(`Postgres query on ${table} failed: the source at ${server} is closed`);
  if (typeof code === 'string' && code in CONNECTION_FAILURES) {
    return new SourceError(`could not connect to Postgres at ${server}: ${CONNECTION_FAILURES[code]}`);
  }
  return new SourceError(`Postgres query on ${table} failed: ${message}`);
}

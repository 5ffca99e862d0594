/**
 * A throwaway copy of the orchestrator's three tables, for the tests and the benchmark.
 *
 * This is the only code of the project that writes to a database, and it writes only into a schema
 * it has just created: CREATE SCHEMA (without IF NOT EXISTS) fails on an existing schema, and the
 * schema is marked with a comment that `dropForensicsSchema` checks before dropping anything.
 *
 * Column types, keys and indexes are the real ones (schema page): text worker ids, uuid task and
 * log ids, timestamptz, jsonb, task status as the `task_status` enum with exactly the five real
 * values (a guide-style `'Completed'` cannot even be loaded), and the `(worker_id, timestamp desc)`
 * and `(task_id, timestamp desc)` indexes of system_logs, so that query plans are the real ones.
 *
 * Loading is built for a million log lines in seconds: COPY … FROM STDIN in CSV, into UNLOGGED
 * tables (throwaway data needs no write-ahead log, which would double the bytes written), with the
 * keys and indexes dropped during the load and built once afterwards (maintaining a random uuid
 * key and two indexes row by row made the load four times slower).
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { UsageError } from '../src/errors.js';
import { TASK_STATUSES, type TableName } from '../src/rows/schemas.js';

/** The comment that marks a schema as created here (and so safe to drop). */
export const FIXTURE_SCHEMA_COMMENT = 'worker-forensics throwaway fixture';

type ColumnKind = 'text' | 'timestamptz' | 'jsonb' | 'uuid' | 'int' | 'task_status';

interface ColumnSpec {
  kind: ColumnKind;
  /** Required by the real table: no NULL (the schema page marks the nullable ones). */
  notNull?: true;
}

/** Every column of the real tables (schema page), in its order; loading order is workers, tasks, logs. */
export const FIXTURE_COLUMNS: Readonly<Record<TableName, Readonly<Record<string, ColumnSpec>>>> = {
  workers: {
    id: { kind: 'text', notNull: true },
    instance_type: { kind: 'text' },
    created_at: { kind: 'timestamptz', notNull: true },
    last_heartbeat: { kind: 'timestamptz' },
    status: { kind: 'text', notNull: true },
    metadata: { kind: 'jsonb' },
  },
  tasks: {
    id: { kind: 'uuid', notNull: true },
    task_type: { kind: 'text', notNull: true },
    params: { kind: 'jsonb' },
    status: { kind: 'task_status', notNull: true },
    worker_id: { kind: 'text' },
    attempts: { kind: 'int' },
    error_message: { kind: 'text' },
    result_data: { kind: 'jsonb' },
    created_at: { kind: 'timestamptz', notNull: true },
    updated_at: { kind: 'timestamptz' },
    generation_started_at: { kind: 'timestamptz' },
    generation_processed_at: { kind: 'timestamptz' },
  },
  system_logs: {
    id: { kind: 'uuid', notNull: true },
    timestamp: { kind: 'timestamptz', notNull: true },
    source_type: { kind: 'text', notNull: true },
    source_id: { kind: 'text' },
    log_level: { kind: 'text', notNull: true },
    message: { kind: 'text', notNull: true },
    task_id: { kind: 'uuid' },
    worker_id: { kind: 'text' },
    cycle_number: { kind: 'int' },
    metadata: { kind: 'jsonb' },
  },
};

const FIXTURE_TABLES = Object.keys(FIXTURE_COLUMNS) as TableName[];

interface IndexSpec {
  name: string;
  kind: 'primary key' | 'index';
  columns: string;
}

/** Primary keys and the real indexes, named so that a load can drop and rebuild them. */
const FIXTURE_INDEXES: Readonly<Record<TableName, readonly IndexSpec[]>> = {
  workers: [{ name: 'workers_pkey', kind: 'primary key', columns: 'id' }],
  tasks: [{ name: 'tasks_pkey', kind: 'primary key', columns: 'id' }],
  system_logs: [
    { name: 'system_logs_pkey', kind: 'primary key', columns: 'id' },
    { name: 'system_logs_worker_id_timestamp_idx', kind: 'index', columns: 'worker_id, "timestamp" desc' },
    { name: 'system_logs_task_id_timestamp_idx', kind: 'index', columns: 'task_id, "timestamp" desc' },
  ],
};

/** Raw rows as Supabase returns them (snake_case columns, timestamps as text, jsonb as objects). */
export type RawFleetRows = Readonly<Record<TableName, readonly Readonly<Record<string, unknown>>[]>>;

/** Identifiers and literals are spliced into DDL, where bind parameters are not allowed. */
function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

function quoteLiteral(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

function columnType(spec: ColumnSpec, schema: string): string {
  return spec.kind === 'task_status' ? `${quoteIdentifier(schema)}.task_status` : spec.kind;
}

function qualified(schema: string, table: TableName): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

function createTableStatement(schema: string, table: TableName): string {
  const columns = Object.entries(FIXTURE_COLUMNS[table]).map(
    ([name, spec]) => `${quoteIdentifier(name)} ${columnType(spec, schema)}${spec.notNull ? ' not null' : ''}`,
  );
  return `create unlogged table ${qualified(schema, table)} (${columns.join(', ')})`;
}

function createIndexStatement(schema: string, table: TableName, index: IndexSpec): string {
  return index.kind === 'primary key'
    ? `alter table ${qualified(schema, table)} add constraint ${quoteIdentifier(index.name)} primary key (${index.columns})`
    : `create index ${quoteIdentifier(index.name)} on ${qualified(schema, table)} (${index.columns})`;
}

function dropIndexStatement(schema: string, table: TableName, index: IndexSpec): string {
  return index.kind === 'primary key'
    ? `alter table ${qualified(schema, table)} drop constraint ${quoteIdentifier(index.name)}`
    : `drop index ${quoteIdentifier(schema)}.${quoteIdentifier(index.name)}`;
}

/**
 * Creates `schema` with the three tables, the `task_status` enum and the real indexes. Fails when
 * the schema already exists: nothing that was there before is ever touched.
 */
export async function createForensicsSchema(sql: postgres.Sql, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  // An explicit read-write transaction: the DDL is all or nothing, and it runs even where the
  // session default is read-only (PGlite shares one session among all its clients).
  await sql.begin('read write', async (tx) => {
    await tx.unsafe(`create schema ${s}`);
    await tx.unsafe(`comment on schema ${s} is ${quoteLiteral(FIXTURE_SCHEMA_COMMENT)}`);
    await tx.unsafe(`create type ${s}.task_status as enum (${TASK_STATUSES.map(quoteLiteral).join(', ')})`);
    for (const table of FIXTURE_TABLES) {
      await tx.unsafe(createTableStatement(schema, table));
      for (const index of FIXTURE_INDEXES[table]) await tx.unsafe(createIndexStatement(schema, table, index));
    }
  });
}

/** Drops a schema made by `createForensicsSchema`; refuses any other (e.g. `public` by mistake). */
export async function dropForensicsSchema(sql: postgres.Sql, schema: string): Promise<void> {
  await sql.begin('read write', async (tx) => {
    const marks = await tx<{ comment: string | null }[]>`
      select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = ${schema}`;
    const mark = marks[0];
    if (mark === undefined) return;
    if (mark.comment !== FIXTURE_SCHEMA_COMMENT) {
      throw new UsageError(`refusing to drop schema "${schema}": it was not created by the worker-forensics fixture`);
    }
    await tx.unsafe(`drop schema ${quoteIdentifier(schema)} cascade`);
  });
}

/**
 * The columns a load writes: those of the table that some row carries. Columns no row carries are
 * left to their defaults; a column the real table does not have is an error in the rows.
 */
export function loadedColumns(table: TableName, rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const known = FIXTURE_COLUMNS[table];
  const present = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (present.has(key)) continue;
      if (!Object.prototype.hasOwnProperty.call(known, key)) {
        throw new UsageError(`${table} rows carry a column the orchestrator's table does not have: ${key}`);
      }
      present.add(key);
    }
  }
  return Object.keys(known).filter((column) => present.has(column));
}

/** `"schema"."table" ("a", "b")`: the target of a COPY of `columns`. */
export function copyTarget(schema: string, table: TableName, columns: readonly string[]): string {
  return `${qualified(schema, table)} (${columns.map(quoteIdentifier).join(', ')})`;
}

function csvQuote(text: string): string {
  return '"' + text.replace(/"/g, '""') + '"';
}

/** One value in COPY's CSV format: an unquoted empty field is NULL, a quoted one is text. */
function csvField(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    // Postgres text cannot hold NUL; caught here, before the COPY (see copyRows for why).
    if (value.includes('\u0000')) throw new UsageError(`cannot load text containing a NUL character into a ${kind} column`);
    return csvQuote(value);
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return csvQuote(value.toISOString());
  if (kind === 'jsonb') return csvField(JSON.stringify(value), kind);
  throw new UsageError(`cannot load a ${typeof value} into a ${kind} column`);
}

/** Rows per CSV chunk: big enough to keep the stream busy, small enough to bound memory. */
const CSV_CHUNK_ROWS = 2000;

/** The rows as COPY CSV text, in chunks of whole lines. */
export function* csvChunks(table: TableName, columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): Generator<string> {
  const kinds = columns.map((column) => FIXTURE_COLUMNS[table][column]!.kind);
  let chunk = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) line += ',';
      line += csvField(row[columns[c]!], kinds[c]!);
    }
    chunk += line + '\n';
    if ((r + 1) % CSV_CHUNK_ROWS === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export interface LoadCounts {
  workers: number;
  tasks: number;
  system_logs: number;
}

/**
 * Bulk-loads raw Supabase-shaped rows into a schema made by `createForensicsSchema`, all or nothing
 * (one read-write transaction). Per table: COPY … FROM STDIN into an all-text staging table, then
 * one INSERT … SELECT casting each column to its real type, with keys and indexes dropped before
 * and rebuilt after (a duplicate id fails the load there).
 *
 * Why the staging table: when the server rejects a row of a COPY after the client has sent its
 * end (the last rows), postgres.js 3.4.9 never settles the writable, so the load would hang with
 * the reason lost (porsager/postgres#1173). Text columns cannot reject anything our CSV holds, and
 * the casts fail as an ordinary statement does, with the server's message (e.g. `invalid input
 * value for enum task_status: "Completed"`). It costs nothing measurable: ~4 s for 10⁶ log lines.
 * Timestamps and jsonb reach Postgres as text, so the server parses every shape the rows carry;
 * one without an offset is read as UTC, as `parseInstant` reads it.
 */
export async function copyRows(sql: postgres.Sql, schema: string, raw: RawFleetRows): Promise<LoadCounts> {
  const counts: LoadCounts = { workers: 0, tasks: 0, system_logs: 0 };
  await sql.begin('read write', async (tx) => {
    await tx.unsafe(`set local time zone 'UTC'`);
    for (const table of FIXTURE_TABLES) {
      const rows = raw[table];
      if (rows.length === 0) continue;
      const columns = loadedColumns(table, rows);
      const staging = `${quoteIdentifier(schema)}.${quoteIdentifier(`staging_${table}`)}`;
      const names = columns.map(quoteIdentifier).join(', ');
      await tx.unsafe(`create unlogged table ${staging} (${columns.map((c) => `${quoteIdentifier(c)} text`).join(', ')})`);
      const sink: Writable = await tx.unsafe(`copy ${staging} (${names}) from stdin with (format csv)`).writable();
      await pipeline(csvChunks(table, columns, rows), sink);
      for (const index of FIXTURE_INDEXES[table]) await tx.unsafe(dropIndexStatement(schema, table, index));
      const casts = columns.map((c) => `${quoteIdentifier(c)}::${columnType(FIXTURE_COLUMNS[table][c]!, schema)}`).join(', ');
      await tx.unsafe(`insert into ${qualified(schema, table)} (${names}) select ${casts} from ${staging}`);
      await tx.unsafe(`drop table ${staging}`);
      for (const index of FIXTURE_INDEXES[table]) await tx.unsafe(createIndexStatement(schema, table, index));
      // Statistics now, not whenever autovacuum comes by: the first query plans on the real sizes.
      await tx.unsafe(`analyze ${qualified(schema, table)}`);
      counts[table] = rows.length;
    }
  });
  return counts;
}

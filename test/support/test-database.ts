/**
 * A real Postgres for the tests, in a throwaway schema.
 *
 * Uses TEST_DATABASE_URL, else the local server (`postgres://postgres@127.0.0.1:5432/test`). When
 * that server cannot be reached, an embedded PGlite is started and served over a socket, so the
 * tests still run against Postgres (never skipped). One line on stderr says which server is used.
 * A server that answers but refuses us (bad credentials, missing database) fails loudly instead.
 *
 * PGlite differences the tests must know: it is one session shared by every client, so it ignores
 * startup parameters (`default_transaction_read_only`, `statement_timeout`), and COPY … FROM STDIN
 * over its socket hangs; rows are loaded through its own `/dev/blob` COPY instead.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  copyRows,
  copyTarget,
  createForensicsSchema,
  csvChunks,
  dropForensicsSchema,
  loadedColumns,
  type RawFleetRows,
} from '../../dev/postgres-fixture.js';
import type { TableName } from '../../src/rows/schemas.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Where the source under test connects. */
  url: string;
  /** The throwaway schema holding the three tables. */
  schema: string;
  server: 'postgresql' | 'pglite';
  /** A WRITER connection, for fixtures only (never hand it to the code under test). */
  sql: postgres.Sql;
  /** Bulk-loads raw Supabase-shaped rows into the schema. */
  load(raw: RawFleetRows): Promise<void>;
  /** Drops the schema and closes everything. */
  close(): Promise<void>;
}

/** Driver and OS codes meaning nobody answered at that address. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const PROBE_CONNECT_TIMEOUT_S = 3;
/** Several sources (each a small pool) plus the writer may be open at once in one test file. */
const PGLITE_MAX_CONNECTIONS = 64;
const TABLES_IN_LOAD_ORDER: readonly TableName[] = ['workers', 'tasks', 'system_logs'];

function writerFor(url: string): postgres.Sql {
  return postgres(url, { max: 1, connect_timeout: PROBE_CONNECT_TIMEOUT_S, onnotice: () => {} });
}

/** `host:port/db` of a URL, fit to print. */
function placeOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const configured = process.env['TEST_DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL;
  const writer = writerFor(configured);
  try {
    await writer`select 1`;
  } catch (error) {
    await writer.end({ timeout: 1 });
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return openPglite(`${placeOf(configured)} unreachable (${code})`);
    throw new Error(`test database ${placeOf(configured)} answered but cannot be used: ${(error as Error).message}`);
  }
  process.stderr.write(`test database: PostgreSQL at ${placeOf(configured)}\n`);
  return withSchema({
    url: configured,
    server: 'postgresql',
    writer,
    load: (schema, raw) => copyRows(writer, schema, raw).then(() => undefined),
    stop: async () => {},
  });
}

async function openPglite(reason: string): Promise<TestDatabase> {
  const db = await PGlite.create();
  // Its one session is everybody's: raw timestamps without an offset are read as UTC, as parseInstant reads them.
  await db.exec(`set time zone 'UTC'`);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: PGLITE_MAX_CONNECTIONS });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  process.stderr.write(`test database: ${reason}; using embedded PGlite at ${server.getServerConn()}\n`);
  return withSchema({
    url,
    server: 'pglite',
    writer: writerFor(url),
    load: async (schema, raw) => {
      for (const table of TABLES_IN_LOAD_ORDER) {
        const rows = raw[table];
        if (rows.length === 0) continue;
        const columns = loadedColumns(table, rows);
        const blob = new Blob([...csvChunks(table, columns, rows)]);
        await db.query(`copy ${copyTarget(schema, table, columns)} from '/dev/blob' with (format csv)`, [], { blob });
      }
    },
    stop: async () => {
      await server.stop();
      await db.close();
    },
  });
}

interface Server {
  url: string;
  server: TestDatabase['server'];
  writer: postgres.Sql;
  load(schema: string, raw: RawFleetRows): Promise<void>;
  stop(): Promise<void>;
}

async function withSchema(server: Server): Promise<TestDatabase> {
  const schema = `wf_test_${randomBytes(6).toString('hex')}`;
  await createForensicsSchema(server.writer, schema);
  return {
    url: server.url,
    schema,
    server: server.server,
    sql: server.writer,
    load: (raw) => server.load(schema, raw),
    close: async () => {
      try {
        await dropForensicsSchema(server.writer, schema);
      } finally {
        await server.writer.end({ timeout: 5 });
        await server.stop();
      }
    },
  };
}

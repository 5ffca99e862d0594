/**
 * The fixture is the only code that writes to a database: it must write only into a schema it
 * created, with the real column types, and load text exactly as given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForensicsSchema, dropForensicsSchema, loadedColumns } from '../../dev/postgres-fixture.js';
import { UsageError } from '../../src/errors.js';
import { TASK_STATUSES } from '../../src/rows/schemas.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const DATABASE_START_TIMEOUT_MS = 60_000;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
});

const log = (id: string, message: string) => ({
  id,
  timestamp: '2025-10-17T13:10:00.000001+00:00',
  source_type: 'worker',
  source_id: 'w',
  log_level: 'INFO',
  message,
  task_id: null,
  worker_id: 'w',
  cycle_number: null,
  metadata: { quote: 'say "hi"', comma: 'a,b' },
});

describe('postgres fixture', () => {
  it('creates task_status with exactly the five real values', async () => {
    const labels = await db.sql<{ label: string }[]>`
      select e.enumlabel as label from pg_enum e
      join pg_type t on t.oid = e.enumtypid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = ${db.schema} and t.typname = 'task_status' order by e.enumsortorder`;
    expect(labels.map((l) => l.label)).toEqual([...TASK_STATUSES]);
  });

  it('creates the real indexes of system_logs', async () => {
    const indexes = await db.sql<{ definition: string }[]>`
      select indexdef as definition from pg_indexes where schemaname = ${db.schema} and tablename = 'system_logs' order by indexname`;
    const definitions = indexes.map((i) => i.definition.replace(/^.* USING btree /, ''));
    expect(definitions).toEqual(['(id)', '(task_id, "timestamp" DESC)', '(worker_id, "timestamp" DESC)']);
  });

  it('loads quotes, commas, newlines, backslashes and empty text exactly, and NULL as NULL', async () => {
    const messages = ['say "hi", then leave', 'two\nlines', 'C:\\models\\', '', '\\N', 'NULL'];
    await db.load({
      workers: [],
      tasks: [],
      system_logs: messages.map((m, i) => log(`b0000000-0000-4000-8000-00000000000${i}`, m)),
    });
    const rows = await db.sql<{ message: string; task_id: string | null; metadata: unknown }[]>`
      select message, task_id, metadata from ${db.sql(db.schema)}.system_logs
      where id::text like 'b0000000-%' order by id`;
    expect(rows.map((r) => r.message)).toEqual(messages);
    expect(rows.every((r) => r.task_id === null)).toBe(true);
    expect(rows[0]!.metadata).toEqual({ quote: 'say "hi"', comma: 'a,b' });
  });

  it("refuses a guide-style 'Completed' status and a duplicate id, loading nothing", async () => {
    const task = (id: string, status: string) => ({ id, task_type: 'single_image', status, created_at: '2025-10-17T13:00:00Z' });
    await expect(db.load({ workers: [], tasks: [task('c0000000-0000-4000-8000-000000000001', 'Completed')], system_logs: [] })).rejects.toThrow(
      /task_status/,
    );
    const twice = log('c0000000-0000-4000-8000-000000000002', 'twice');
    await expect(db.load({ workers: [], tasks: [], system_logs: [twice, twice] })).rejects.toThrow();
    const [left] = await db.sql`select count(*)::int as n from ${db.sql(db.schema)}.system_logs where id::text like 'c0000000-%'`;
    expect(left!['n']).toBe(0);
  });

  it('rejects a column the real table does not have', () => {
    expect(() => loadedColumns('workers', [{ id: 'w', created_at: '2025-10-17T13:00:00Z', status: 'active', colour: 'red' }])).toThrow(UsageError);
  });

  it('never creates over, nor drops, a schema it did not create', async () => {
    await expect(createForensicsSchema(db.sql, db.schema)).rejects.toThrow(/already exists/);
    await expect(dropForensicsSchema(db.sql, 'public')).rejects.toThrow(UsageError);
    const [still] = await db.sql`select count(*)::int as n from pg_namespace where nspname = 'public'`;
    expect(still!['n']).toBe(1);
  });
});

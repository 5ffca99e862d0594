/**
 * Row validation that never loses a whole load to one bad row: each malformed row is reported
 * (table, row id, field, what was expected, never the value itself, which may hold log text or
 * secrets) and skipped; every good row is kept.
 */
import { parseInstant } from './time.js';
import { TABLES, type RowOf, type SystemLog, type TableName } from './schemas.js';

export interface RowProblem {
  table: TableName;
  /** The row's id when it has a usable one, else its position in the input (`#12`). */
  rowId: string;
  field: string;
  message: string;
  /** The row's worker_id when it has a usable one: a read for some workers reports only their rows' problems. */
  workerId?: string;
}

export interface Parsed<T> {
  rows: T[];
  problems: RowProblem[];
}

const NOT_FAST = Symbol('not the usual shape');

function nullableText(value: unknown): string | null | typeof NOT_FAST {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : NOT_FAST;
}

/**
 * `system_logs` rows are most of any load (10^6 at fleet scale), and zod's per-field objects cost
 * more in garbage collection than the checks themselves. A row of the usual shape is read here
 * directly, to exactly what SystemLogRow returns (a test holds the two equal on random rows);
 * anything else, valid or not, is left to zod, which also words the problems.
 */
function fastSystemLog(raw: Record<string, unknown>): SystemLog | undefined {
  const { id, timestamp, source_type, log_level, message, cycle_number } = raw;
  if (typeof id !== 'string' || id === '' || typeof timestamp !== 'string') return undefined;
  if (typeof source_type !== 'string' || typeof log_level !== 'string' || typeof message !== 'string') return undefined;
  const instant = parseInstant(timestamp);
  const source_id = nullableText(raw['source_id']);
  const task_id = nullableText(raw['task_id']);
  const worker_id = nullableText(raw['worker_id']);
  if (instant === null || source_id === NOT_FAST || task_id === NOT_FAST || worker_id === NOT_FAST) return undefined;
  let cycle: number | null = null;
  if (cycle_number !== undefined && cycle_number !== null) {
    if (typeof cycle_number !== 'number' || !Number.isSafeInteger(cycle_number)) return undefined;
    cycle = cycle_number;
  }
  return { id, timestamp: instant, source_type, source_id, log_level: log_level.toUpperCase(), message, task_id, worker_id, cycle_number: cycle };
}

export function parseRows<K extends TableName>(table: K, input: readonly unknown[]): Parsed<RowOf[K]> {
  const schema = TABLES[table];
  const rows: RowOf[K][] = [];
  const problems: RowProblem[] = [];
  input.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ table, rowId: `#${index}`, field: '(row)', message: 'expected an object' });
      return;
    }
    if (table === 'system_logs') {
      const fast = fastSystemLog(raw as Record<string, unknown>);
      if (fast) {
        rows.push(fast as RowOf[K]);
        return;
      }
    }
    const result = schema.safeParse(raw);
    if (result.success) {
      rows.push(result.data as RowOf[K]);
      return;
    }
    const issue = result.error.issues[0];
    const workerId = (raw as Record<string, unknown>)['worker_id'];
    problems.push({
      table,
      rowId: rowIdOf(raw as Record<string, unknown>, index),
      field: issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(row)',
      message: issue?.message ?? 'invalid row',
      ...(typeof workerId === 'string' ? { workerId } : {}),
    });
  });
  return { rows, problems };
}

function rowIdOf(raw: Record<string, unknown>, index: number): string {
  const id = raw['id'];
  if ((typeof id === 'string' && id.length > 0 && id.length <= 200) || typeof id === 'number') return String(id);
  return `#${index}`;
}

/** Row id of a problem that concerns a whole table (e.g. a snapshot without that table). */
export const WHOLE_TABLE = '*';

/** `system_logs[id=…].timestamp: expected an ISO-8601 instant` */
export function formatRowProblem(problem: RowProblem): string {
  if (problem.rowId === WHOLE_TABLE) return `${problem.table}: ${problem.message}`;
  return `${problem.table}[id=${problem.rowId}].${problem.field}: ${problem.message}`;
}

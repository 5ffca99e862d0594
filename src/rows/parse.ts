/**
 * Row validation that never loses a whole load to one bad row: each malformed row is reported
 * (table, row id, field, what was expected, never the value itself, which may hold log text or
 * secrets) and skipped; every good row is kept.
 */
import { TABLES, type RowOf, type TableName } from './schemas.js';

export interface RowProblem {
  table: TableName;
  /** The row's id when it has a usable one, else its position in the input (`#12`). */
  rowId: string;
  field: string;
  message: string;
}

export interface Parsed<T> {
  rows: T[];
  problems: RowProblem[];
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
    const result = schema.safeParse(raw);
    if (result.success) {
      rows.push(result.data as RowOf[K]);
      return;
    }
    const issue = result.error.issues[0];
    problems.push({
      table,
      rowId: rowIdOf(raw as Record<string, unknown>, index),
      field: issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(row)',
      message: issue?.message ?? 'invalid row',
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

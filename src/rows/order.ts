/**
 * The one order each table is read in, and grouping by worker. Log lines: by timestamp, then id
 * (the unique tie-breaker the sources page by); tasks: by creation, then id. Comparisons are
 * numeric on instants and code-unit on ids, so no answer depends on input order or locale.
 */
import type { SystemLog, Task } from './schemas.js';

export function compareLogs(a: Pick<SystemLog, 'timestamp' | 'id'>, b: Pick<SystemLog, 'timestamp' | 'id'>): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return compareIds(a.id, b.id);
}

/** A sorted copy (the input is left as it was). */
export function sortLogs<T extends Pick<SystemLog, 'timestamp' | 'id'>>(logs: readonly T[]): T[] {
  return [...logs].sort(compareLogs);
}

export function compareTasks(a: Pick<Task, 'created_at' | 'id'>, b: Pick<Task, 'created_at' | 'id'>): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  return compareIds(a.id, b.id);
}

/** Code-unit order of text (ids, names): what the database's `C` collation and `Array.sort` do, never the locale's. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups rows (log lines, tasks) by worker_id in one pass; rows without a worker_id are dropped. */
export function groupByWorker<T extends Pick<SystemLog, 'worker_id'>>(logs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const log of logs) {
    if (log.worker_id === null) continue;
    let group = groups.get(log.worker_id);
    if (!group) groups.set(log.worker_id, (group = []));
    group.push(log);
  }
  return groups;
}

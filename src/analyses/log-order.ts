/**
 * The one order every analysis reads log lines in: by timestamp, then id (the unique tie-breaker
 * the sources page by). Analyses sort for themselves so that no answer depends on input order.
 */
import type { SystemLog } from '../rows/schemas.js';
import { WORKER_SOURCE_TYPE } from '../config/markers.js';

export function compareLogs(a: Pick<SystemLog, 'timestamp' | 'id'>, b: Pick<SystemLog, 'timestamp' | 'id'>): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy (the input is left as it was). */
export function sortLogs<T extends Pick<SystemLog, 'timestamp' | 'id'>>(logs: readonly T[]): T[] {
  return [...logs].sort(compareLogs);
}

export function isWorkerLine(log: Pick<SystemLog, 'source_type'>): boolean {
  return log.source_type === WORKER_SOURCE_TYPE;
}

/** Groups lines by worker_id in one pass (lines without a worker_id are dropped). */
export function groupLogsByWorker<T extends Pick<SystemLog, 'worker_id'>>(logs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const log of logs) {
    if (log.worker_id === null) continue;
    let group = groups.get(log.worker_id);
    if (!group) groups.set(log.worker_id, (group = []));
    group.push(log);
  }
  return groups;
}

/**
 * The one order every analysis reads log lines in: by timestamp, then id (the unique tie-breaker
 * the sources page by). Analyses sort for themselves so that no answer depends on input order.
 */
import type { SystemLog } from '../rows/schemas.js';
import { ERROR_LEVELS, MARKERS, WORKER_SOURCE_TYPE, containsMarker } from '../config/markers.js';

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

/** §4A: a heartbeat line the worker logged (`✅ [HEARTBEAT] Worker … active`). */
export function isLoggedHeartbeat(log: Pick<SystemLog, 'source_type' | 'message'>): boolean {
  return isWorkerLine(log) && containsMarker(log.message, MARKERS.loggedHeartbeat);
}

/** §4B: the worker's `🔄 MODEL SWITCH: a -> b` line. */
export function isModelSwitch(log: Pick<SystemLog, 'source_type' | 'message'>): boolean {
  return isWorkerLine(log) && containsMarker(log.message, MARKERS.modelSwitch);
}

/** §5 pattern 3. */
export function isVlmLoading(log: Pick<SystemLog, 'source_type' | 'message'>): boolean {
  return isWorkerLine(log) && containsMarker(log.message, MARKERS.vlmLoading);
}

/** §14. */
export function isMemoryProfileLine(log: Pick<SystemLog, 'source_type' | 'message'>): boolean {
  return isWorkerLine(log) && containsMarker(log.message, MARKERS.memoryProfile);
}

/** An error the worker logged itself (ERROR or CRITICAL). */
export function isWorkerError(log: Pick<SystemLog, 'source_type' | 'log_level'>): boolean {
  return isWorkerLine(log) && ERROR_LEVELS.has(log.log_level);
}

/**
 * §2 Get worker logs. Fixes the guide: "the last log before the crash" is the last line the worker
 * wrote itself; orchestrator lines about it (e.g. "Marking worker … as error") carry the same
 * worker_id and come minutes after its death.
 */
import { LOG_LEVELS, type LogLevel } from '../config/markers.js';
import type { SystemLog } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { isWorkerLine } from '../rows/log-lines.js';
import { sortLogs } from '../rows/order.js';

export interface LogLine {
  timestamp: Instant;
  source_type: string;
  log_level: string;
  task_id: string | null;
  message: string;
}

export interface LastWorkerLog {
  timestamp: Instant;
  log_level: string;
  message: string;
}

export interface LogFilter {
  /** Show only the newest N matching lines (the total still counts them all). */
  limit?: number;
  /** Minimum level: `WARNING` shows WARNING, ERROR and CRITICAL. */
  level?: LogLevel;
  /** Case-insensitive text the message must contain. */
  search?: string;
}

export interface WorkerLogs {
  worker_id: string;
  /** Every line matching the filter, however many `logs` shows. */
  total: number;
  /** All lines with this worker_id, before filtering. */
  total_unfiltered: number;
  logs: LogLine[];
  last_worker_log: LastWorkerLog | null;
  /** From the worker's own last line to as-of. */
  silence_s: number | null;
  /** Orchestrator lines about the worker written after its own last line. */
  orchestrator_lines_after_last_worker_log: number;
  by_level: Record<string, number>;
  by_source_type: Record<string, number>;
}

export function toLogLine(log: SystemLog): LogLine {
  return {
    timestamp: log.timestamp,
    source_type: log.source_type,
    log_level: log.log_level,
    task_id: log.task_id,
    message: log.message,
  };
}

export function levelRank(level: string): number {
  return LOG_LEVELS.indexOf(level as LogLevel);
}

export function matchesFilter(log: SystemLog, filter: LogFilter): boolean {
  if (filter.level !== undefined && levelRank(log.log_level) < levelRank(filter.level)) return false;
  if (filter.search !== undefined && !log.message.toLowerCase().includes(filter.search.toLowerCase())) return false;
  return true;
}

/** The worker's own last line (source_type 'worker'), or undefined. */
export function lastWorkerLine(sortedLogs: readonly SystemLog[]): SystemLog | undefined {
  for (let i = sortedLogs.length - 1; i >= 0; i--) if (isWorkerLine(sortedLogs[i]!)) return sortedLogs[i];
  return undefined;
}

export function workerLogs(workerId: string, logs: readonly SystemLog[], asOf: Instant, filter: LogFilter = {}): WorkerLogs {
  const sorted = sortLogs(logs.filter((l) => l.timestamp <= asOf));
  const matching = sorted.filter((l) => matchesFilter(l, filter));
  const shown = filter.limit !== undefined ? matching.slice(Math.max(0, matching.length - filter.limit)) : matching;
  const last = lastWorkerLine(sorted);
  const byLevel: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  for (const l of sorted) {
    byLevel[l.log_level] = (byLevel[l.log_level] ?? 0) + 1;
    bySource[l.source_type] = (bySource[l.source_type] ?? 0) + 1;
  }
  return {
    worker_id: workerId,
    total: matching.length,
    total_unfiltered: sorted.length,
    logs: shown.map(toLogLine),
    last_worker_log: last ? { timestamp: last.timestamp, log_level: last.log_level, message: last.message } : null,
    silence_s: last ? secondsBetween(last.timestamp, asOf) : null,
    orchestrator_lines_after_last_worker_log: last ? sorted.filter((l) => !isWorkerLine(l) && l.timestamp > last.timestamp).length : 0,
    by_level: byLevel,
    by_source_type: bySource,
  };
}

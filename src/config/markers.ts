/**
 * The log texts the guide's checks look for, matched case-insensitively as substrings (the guide's
 * `ilike('%…%')`). Only lines the worker itself wrote (`source_type = 'worker'`) count: the
 * orchestrator writes lines about a worker (e.g. `STALE_HEARTBEAT_ACTIVE_TASK`) under the same
 * `worker_id`, and those are not the worker's heartbeats or switches.
 */
export const MARKERS = {
  /** §4A: `✅ [HEARTBEAT] Worker … active`. */
  loggedHeartbeat: 'HEARTBEAT',
  /** §4B, §5, §12: `🔄 MODEL SWITCH: a -> b`. */
  modelSwitch: 'MODEL SWITCH',
  /** §5 pattern 3. */
  vlmLoading: 'Before VLM loading',
  /** §14. */
  memoryProfile: 'Memory Profile',
} as const;

/** The `source_type` of lines a worker wrote itself (schema page, system_logs). */
export const WORKER_SOURCE_TYPE = 'worker';

/** Log levels, least to most severe (schema page). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Levels that make a line an "error message" for §15 and the crash patterns. */
export const ERROR_LEVELS: ReadonlySet<string> = new Set(['ERROR', 'CRITICAL']);

const markerPatterns = new Map<string, RegExp>();

/** Case-insensitive substring test, the in-process twin of SQL `ILIKE '%marker%'`. */
export function containsMarker(message: string, marker: string): boolean {
  let pattern = markerPatterns.get(marker);
  if (!pattern) {
    pattern = new RegExp(marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    markerPatterns.set(marker, pattern);
  }
  return pattern.test(message);
}

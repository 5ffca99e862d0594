/**
 * What kind of line a log row is, by the markers of config/markers.ts. Only lines the worker wrote
 * itself (`source_type = 'worker'`) count as its heartbeats, switches, VLM and memory-profile lines.
 */
import { ERROR_LEVELS, MARKERS, WORKER_SOURCE_TYPE, containsMarker } from '../config/markers.js';
import type { SystemLog } from './schemas.js';

export function isWorkerLine(log: Pick<SystemLog, 'source_type'>): boolean {
  return log.source_type === WORKER_SOURCE_TYPE;
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

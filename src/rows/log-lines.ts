/**
 * Who wrote a log line, and whether it is an error. Which event a line reports is the vocabulary's
 * business (config/vocabulary.ts `isFamilyLine`): only lines the worker wrote itself
 * (`source_type = 'worker'`) count as its heartbeats, switches, VLM and memory lines.
 */
import { ERROR_LEVELS, WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { SystemLog } from './schemas.js';

export function isWorkerLine(log: Pick<SystemLog, 'source_type'>): boolean {
  return log.source_type === WORKER_SOURCE_TYPE;
}

/** An error the worker logged itself (ERROR or CRITICAL). */
export function isWorkerError(log: Pick<SystemLog, 'source_type' | 'log_level'>): boolean {
  return isWorkerLine(log) && ERROR_LEVELS.has(log.log_level);
}

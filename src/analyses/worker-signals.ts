/**
 * Per-worker log signals: everything the crash-pattern classifier, the crash-timing comparison and
 * the fleet views need from `system_logs`, reduced to a few figures and evidence lines per worker.
 *
 * This in-process implementation is the reference. The postgres source computes the same record in
 * the database with window functions (`Source.workerSignals`) so that a fleet with millions of log
 * lines sends only results; tests hold the two equal field by field. Keep the definitions below and
 * the SQL in step.
 *
 * Definitions (lines ordered by (timestamp, id); "worker lines" are `source_type = 'worker'`):
 * - `log_count`: all lines carrying the worker_id (the worker's and the orchestrator's).
 * - `worker_log_count`, `worker_non_heartbeat_count`, `worker_error_count` (level ERROR/CRITICAL).
 * - `first_worker_log`, `last_worker_log`: first and last worker line.
 * - `logged_heartbeat_count`: worker lines containing MARKERS.loggedHeartbeat (case-insensitive).
 * - `heartbeat_gaps`: between consecutive logged heartbeats, the gaps longer than
 *   THRESHOLDS.loggedHeartbeatGapS, `at` = the later line; `heartbeat_span_s` = last − first.
 * - `last_model_switch`: the last worker line containing MARKERS.modelSwitch; `after_switch`
 *   counts the worker lines strictly after it in (timestamp, id) order.
 * - `vlm_hang`: over worker lines containing MARKERS.vlmLoading that another worker line follows,
 *   the one followed by the longest silence (time to that next line; ties: the earliest). A VLM line
 *   nothing follows is the worker's last line (`last_worker_log`): how long that silence lasted
 *   depends on the worker row (its last DB heartbeat), so the classifier measures it.
 * - `memory_profile_line`: the last worker line containing MARKERS.memoryProfile.
 * - `last_error`: the last worker line with level ERROR/CRITICAL.
 */
import type { SystemLog } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { emptySignals, evidenceOf, type AfterSwitch, type WorkerSignals } from '../rows/signals.js';
import { gapsOver } from './heartbeat-gaps.js';
import { compareLogs, groupByWorker } from '../rows/order.js';
import { isLoggedHeartbeat, isMemoryProfileLine, isModelSwitch, isVlmLoading, isWorkerError, isWorkerLine } from '../rows/log-lines.js';

/**
 * Signals of one worker from its log lines (any order; lines after `asOf` are ignored).
 * Linear after one sort of the worker's own lines.
 */
export function computeSignalsForWorker(workerId: string, logs: readonly SystemLog[], asOf: Instant): WorkerSignals {
  const signals = emptySignals(workerId);
  const lines = logs.filter((l) => l.timestamp <= asOf).sort(compareLogs);
  signals.log_count = lines.length;

  const heartbeatTimes: Instant[] = [];
  let lastSwitchIndex = -1;
  const workerLines: SystemLog[] = [];
  for (const line of lines) {
    if (!isWorkerLine(line)) continue;
    workerLines.push(line);
    if (isLoggedHeartbeat(line)) heartbeatTimes.push(line.timestamp);
    else signals.worker_non_heartbeat_count++;
    if (isWorkerError(line)) {
      signals.worker_error_count++;
      signals.last_error = evidenceOf(line);
    }
    if (isModelSwitch(line)) lastSwitchIndex = workerLines.length - 1;
    if (isMemoryProfileLine(line)) signals.memory_profile_line = evidenceOf(line);
  }
  signals.worker_log_count = workerLines.length;
  if (workerLines.length > 0) {
    signals.first_worker_log = evidenceOf(workerLines[0]!);
    signals.last_worker_log = evidenceOf(workerLines[workerLines.length - 1]!);
  }
  signals.logged_heartbeat_count = heartbeatTimes.length;
  // The same gap rule as §4A (lines are already in order).
  signals.heartbeat_gaps = gapsOver(heartbeatTimes);
  if (heartbeatTimes.length > 0) signals.heartbeat_span_s = secondsBetween(heartbeatTimes[0]!, heartbeatTimes[heartbeatTimes.length - 1]!);

  if (lastSwitchIndex >= 0) {
    const switchLine = workerLines[lastSwitchIndex]!;
    signals.last_model_switch = evidenceOf(switchLine);
    const after: AfterSwitch = { worker_lines: 0, logged_heartbeats: 0, errors: 0, last_heartbeat_after_s: null };
    for (let i = lastSwitchIndex + 1; i < workerLines.length; i++) {
      const line = workerLines[i]!;
      after.worker_lines++;
      if (isWorkerError(line)) after.errors++;
      if (isLoggedHeartbeat(line)) {
        after.logged_heartbeats++;
        after.last_heartbeat_after_s = secondsBetween(switchLine.timestamp, line.timestamp);
      }
    }
    signals.after_switch = after;
  }

  for (let i = 0; i + 1 < workerLines.length; i++) {
    const line = workerLines[i]!;
    if (!isVlmLoading(line)) continue;
    const silence = secondsBetween(line.timestamp, workerLines[i + 1]!.timestamp);
    if (signals.vlm_hang === null || silence > signals.vlm_hang.silence_s) signals.vlm_hang = { line: evidenceOf(line), silence_s: silence };
  }
  return signals;
}

/** Signals for many workers from one batch of log lines: one grouping pass, no re-scans. */
export function computeWorkerSignals(
  workerIds: readonly string[],
  logs: readonly SystemLog[],
  asOf: Instant,
): Map<string, WorkerSignals> {
  const groups = groupByWorker(logs);
  const out = new Map<string, WorkerSignals>();
  for (const id of workerIds) out.set(id, computeSignalsForWorker(id, groups.get(id) ?? [], asOf));
  return out;
}

/**
 * Per-worker log signals (rows/signals.ts) from log lines, in process. This implementation is the
 * reference: the Postgres source computes the same record in the database with window functions
 * (`Source.workerSignals`, sources/postgres-signals.ts) so that a fleet with millions of log lines
 * sends only results; tests hold the two equal field by field. Keep the definitions below and the
 * SQL in step.
 *
 * Definitions (lines up to as-of, in (timestamp, id) order; "worker lines" are `source_type =
 * 'worker'`; a family's lines are those of its writer that its vocabulary matches):
 * - `log_count`: all lines carrying the worker_id. `worker_log_count`, `worker_non_heartbeat_count`,
 *   `worker_error_count` (level ERROR/CRITICAL), `family_counts`.
 * - `first_worker_log`, `last_worker_log`, `last_non_heartbeat_log`.
 * - `heartbeat_gaps`: between consecutive heartbeat lines, the gaps longer than
 *   THRESHOLDS.loggedHeartbeatGapS, `at` = the later line; `heartbeat_span_s` = last − first.
 * - `last_model_switch`: the last `model_switch` line; `after_switch` reads the worker lines strictly
 *   after it: how many, heartbeats, errors, the last heartbeat's delay, the first `model_loaded` line.
 * - `vlm_hang`: over `vlm_loading` lines another worker line other than a heartbeat line follows,
 *   the one followed by the longest silence until that line (ties: the earliest). `vlm_open`: the
 *   last worker line other than a heartbeat line, when it is a `vlm_loading` line.
 * - `memory_profile_line`, `last_ram_line`, `last_error`, `last_shutdown_log`, `last_heartbeat_log`: the last of each kind;
 *   `ram_before_switch`: the last `ram` line before the last switch.
 * - `startup_end`: the first worker line that is a `ready` line, a `task_claim` line or the second
 *   heartbeat line (by that precedence when one line is several).
 * - `orchestrator_kill`: the first `orchestrator_error` line; `log_tail`: the last LOG_TAIL_LINES
 *   `log_tail` lines.
 */
import type { MarkerFamily } from '../config/markers.js';
import { lineFamilies, type Vocabulary } from '../config/vocabulary.js';
import { isWorkerError, isWorkerLine } from '../rows/log-lines.js';
import { compareLogs, groupByWorker } from '../rows/order.js';
import type { SystemLog } from '../rows/schemas.js';
import { emptySignals, evidenceOf, LOG_TAIL_LINES, type AfterSwitch, type WorkerSignals } from '../rows/signals.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { gapsOver } from './heartbeat-gaps.js';

/**
 * Signals of one worker from its log lines (any order; lines after `asOf` are ignored).
 * Linear after one sort of the worker's own lines.
 */
export function computeSignalsForWorker(workerId: string, logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): WorkerSignals {
  const signals = emptySignals(workerId);
  const lines = logs.filter((l) => l.timestamp <= asOf).sort(compareLogs);
  signals.log_count = lines.length;

  const heartbeatTimes: Instant[] = [];
  let lastSwitchIndex = -1;
  let lastRamIndex = -1;
  let ramBeforeSwitchIndex = -1;
  const workerLines: SystemLog[] = [];
  const tail: SystemLog[] = [];
  // Which families each worker line belongs to, read once: the loops below and after the switch reuse it.
  const kinds: ReadonlySet<MarkerFamily>[] = [];
  for (const line of lines) {
    const families = lineFamilies(vocabulary, line);
    for (const family of families) signals.family_counts[family]++;
    const is = new Set(families);
    if (!isWorkerLine(line)) {
      if (signals.orchestrator_kill === null && is.has('orchestrator_error')) signals.orchestrator_kill = evidenceOf(line);
      if (is.has('log_tail')) tail.push(line);
      continue;
    }
    workerLines.push(line);
    kinds.push(is);
    const heartbeat = is.has('heartbeat');
    if (heartbeat) {
      heartbeatTimes.push(line.timestamp);
      signals.last_heartbeat_log = evidenceOf(line);
    } else {
      signals.worker_non_heartbeat_count++;
      signals.last_non_heartbeat_log = evidenceOf(line);
    }
    if (isWorkerError(line)) {
      signals.worker_error_count++;
      signals.last_error = evidenceOf(line);
    }
    if (signals.startup_end === null) {
      const by = is.has('ready') ? 'ready' : is.has('task_claim') ? 'task_claim' : heartbeat && heartbeatTimes.length === 2 ? 'heartbeat_loop' : null;
      if (by !== null) signals.startup_end = { at: line.timestamp, by };
    }
    if (is.has('model_switch')) {
      lastSwitchIndex = workerLines.length - 1;
      ramBeforeSwitchIndex = lastRamIndex;
    }
    if (is.has('ram')) lastRamIndex = workerLines.length - 1;
    if (is.has('memory_profile')) signals.memory_profile_line = evidenceOf(line);
    if (is.has('shutdown')) signals.last_shutdown_log = evidenceOf(line);
  }
  signals.worker_log_count = workerLines.length;
  if (workerLines.length > 0) {
    signals.first_worker_log = evidenceOf(workerLines[0]!);
    signals.last_worker_log = evidenceOf(workerLines[workerLines.length - 1]!);
  }
  if (lastRamIndex >= 0) signals.last_ram_line = evidenceOf(workerLines[lastRamIndex]!);
  if (ramBeforeSwitchIndex >= 0) signals.ram_before_switch = evidenceOf(workerLines[ramBeforeSwitchIndex]!);
  signals.log_tail = tail.slice(-LOG_TAIL_LINES).map(evidenceOf);
  signals.logged_heartbeat_count = heartbeatTimes.length;
  // The same gap rule as §4A (lines are already in order).
  signals.heartbeat_gaps = gapsOver(heartbeatTimes);
  if (heartbeatTimes.length > 0) signals.heartbeat_span_s = secondsBetween(heartbeatTimes[0]!, heartbeatTimes[heartbeatTimes.length - 1]!);

  if (lastSwitchIndex >= 0) {
    const switchLine = workerLines[lastSwitchIndex]!;
    signals.last_model_switch = evidenceOf(switchLine);
    const after: AfterSwitch = { worker_lines: 0, logged_heartbeats: 0, errors: 0, last_heartbeat_after_s: null, model_loaded: null };
    for (let i = lastSwitchIndex + 1; i < workerLines.length; i++) {
      const line = workerLines[i]!;
      after.worker_lines++;
      if (isWorkerError(line)) after.errors++;
      if (kinds[i]!.has('heartbeat')) {
        after.logged_heartbeats++;
        after.last_heartbeat_after_s = secondsBetween(switchLine.timestamp, line.timestamp);
      }
      if (after.model_loaded === null && kinds[i]!.has('model_loaded')) after.model_loaded = evidenceOf(line);
    }
    signals.after_switch = after;
  }

  // A VLM line's silence lasts until the worker's next line other than a heartbeat line (a
  // heartbeat process outlives a hung main loop); walked from the end, so each line knows it.
  let nextSpoken: Instant | null = null;
  for (let i = workerLines.length - 1; i >= 0; i--) {
    const line = workerLines[i]!;
    if (kinds[i]!.has('vlm_loading')) {
      if (nextSpoken === null) signals.vlm_open ??= evidenceOf(line);
      else {
        const silence = secondsBetween(line.timestamp, nextSpoken);
        // Walking backwards, `>=` keeps the earliest of equal silences.
        if (signals.vlm_hang === null || silence >= signals.vlm_hang.silence_s) signals.vlm_hang = { line: evidenceOf(line), silence_s: silence };
      }
    }
    if (!kinds[i]!.has('heartbeat')) nextSpoken = line.timestamp;
  }
  return signals;
}

/** Signals for many workers from one batch of log lines: one grouping pass, no re-scans. */
export function computeWorkerSignals(
  workerIds: readonly string[],
  logs: readonly SystemLog[],
  asOf: Instant,
  vocabulary: Vocabulary,
): Map<string, WorkerSignals> {
  const groups = groupByWorker(logs);
  const out = new Map<string, WorkerSignals>();
  for (const id of workerIds) out.set(id, computeSignalsForWorker(id, groups.get(id) ?? [], asOf, vocabulary));
  return out;
}

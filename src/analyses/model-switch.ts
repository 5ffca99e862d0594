/**
 * §4B Model switch crash pattern. Fixes the guide: it timed the crash from the switch to "now"
 * (silence > 120 s ⇒ crashed); the death is the last DB heartbeat of a dead worker, so the time
 * from MODEL SWITCH to death is `workers.last_heartbeat − switch`. A switch is the vocabulary's
 * `model_switch` family (logged before the load); a `model_loaded` line after it says the load
 * finished, which is evidence against a death during that load.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Vocabulary } from '../config/vocabulary.js';
import { compareLogs, sortLogs } from '../rows/order.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { coverageOf, type Coverage } from './coverage.js';
import { crashAfterSwitchS, deathOf, isModelLoadCrash } from './death.js';
import type { HeartbeatState } from './heartbeat.js';
import { computeSignalsForWorker } from './worker-signals.js';

export interface LineAfterSwitch {
  timestamp: Instant;
  after_s: number;
  source_type: string;
  log_level: string;
  message: string;
}

export interface ModelSwitch {
  worker_id: string;
  /** The worker's last switch line, or null. */
  switch_at: Instant | null;
  switch_message: string | null;
  switches_total: number;
  /** The first line after the switch saying the load finished (null: none did). */
  load_finished_at: Instant | null;
  /** Every line for the worker after the switch (its own and the orchestrator's). */
  logs_after: LineAfterSwitch[];
  heartbeat_state: HeartbeatState;
  crashed: boolean;
  died_at: Instant | null;
  /** Switch to the last DB heartbeat, when the worker is dead. */
  crash_after_s: number | null;
  /** Within §5's 1.5–5 min OOM window. */
  in_oom_window: boolean;
  /** Within §12's 10 min model-loading window. */
  in_model_load_window: boolean;
  /** Switch lines and finished-load lines in the worker's whole life. */
  coverage: Coverage;
}

export function modelSwitch(worker: Worker, tasks: readonly Task[], logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): ModelSwitch {
  const own = logs.filter((l) => l.timestamp <= asOf && l.worker_id === worker.id);
  const signals = computeSignalsForWorker(worker.id, own, asOf, vocabulary);
  const ownTasks = tasks.filter((t) => t.worker_id === worker.id);
  const death = deathOf(worker, signals, asOf);
  const last = signals.last_model_switch;
  const crashAfter = crashAfterSwitchS({ worker, tasks: ownTasks, signals }, asOf);
  const after = last ? sortLogs(own).filter((l) => compareLogs(l, last) > 0) : [];
  return {
    worker_id: worker.id,
    switch_at: last ? last.timestamp : null,
    switch_message: last?.message ?? null,
    switches_total: signals.family_counts.model_switch,
    load_finished_at: signals.after_switch?.model_loaded?.timestamp ?? null,
    logs_after: after.map((l) => ({
      timestamp: l.timestamp,
      after_s: secondsBetween(last!.timestamp, l.timestamp),
      source_type: l.source_type,
      log_level: l.log_level,
      message: l.message,
    })),
    heartbeat_state: death.heartbeat_state,
    crashed: last !== null && death.dead,
    died_at: last !== null && death.dead ? death.died_at : null,
    crash_after_s: crashAfter,
    in_oom_window: crashAfter !== null && crashAfter >= THRESHOLDS.oomCrashWindowS.min && crashAfter <= THRESHOLDS.oomCrashWindowS.max,
    in_model_load_window: isModelLoadCrash(crashAfter),
    coverage: coverageOf(['model_switch', 'model_loaded'], signals.family_counts),
  };
}

/**
 * §4B Model switch crash pattern. Fixes the guide: it timed the crash from the switch to "now"
 * (silence > 120 s ⇒ crashed); the death is the last DB heartbeat of a dead worker, so the time
 * from MODEL SWITCH to death is `workers.last_heartbeat − switch`.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { crashAfterSwitchS, isModelLoadCrash } from './death.js';
import { evidenceOf } from '../rows/signals.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { deathOf } from './death.js';
import type { HeartbeatState } from './heartbeat.js';
import { compareLogs, sortLogs } from '../rows/order.js';
import { isModelSwitch } from '../rows/log-lines.js';

export interface LineAfterSwitch {
  timestamp: Instant;
  after_s: number;
  source_type: string;
  log_level: string;
  message: string;
}

export interface ModelSwitch {
  worker_id: string;
  /** The worker's last MODEL SWITCH line, or null. */
  switch_at: Instant | null;
  switch_message: string | null;
  switches_total: number;
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
}

export function modelSwitch(worker: Worker, tasks: readonly Task[], logs: readonly SystemLog[], asOf: Instant): ModelSwitch {
  const sorted = sortLogs(logs.filter((l) => l.timestamp <= asOf && l.worker_id === worker.id));
  const switches = sorted.filter(isModelSwitch);
  const last = switches[switches.length - 1];
  const ownTasks = tasks.filter((t) => t.worker_id === worker.id);
  const death = deathOf(worker, ownTasks, asOf);
  const crashAfter = crashAfterSwitchS({ worker, tasks: ownTasks, signals: { last_model_switch: last ? evidenceOf(last) : null, memory_profile_line: null } }, asOf);
  return {
    worker_id: worker.id,
    switch_at: last ? last.timestamp : null,
    switch_message: last?.message ?? null,
    switches_total: switches.length,
    logs_after: last
      ? sorted
          .filter((l) => compareLogs(l, last) > 0)
          .map((l) => ({
            timestamp: l.timestamp,
            after_s: secondsBetween(last.timestamp, l.timestamp),
            source_type: l.source_type,
            log_level: l.log_level,
            message: l.message,
          }))
      : [],
    heartbeat_state: death.heartbeat_state,
    crashed: last !== undefined && death.dead,
    died_at: last !== undefined && death.dead ? death.died_at : null,
    crash_after_s: crashAfter,
    in_oom_window: crashAfter !== null && crashAfter >= THRESHOLDS.oomCrashWindowS.min && crashAfter <= THRESHOLDS.oomCrashWindowS.max,
    in_model_load_window: isModelLoadCrash(crashAfter),
  };
}

/**
 * Whether a worker is dead, and when it died. Shared by §4B, §5, §12 and the crash-timing view.
 *
 * The guide reads death off the heartbeat age alone, but the real statuses say more (schema page):
 * `error`/`crashed` are deaths whatever the heartbeat; a `terminating`/`terminated` worker ended
 * cleanly unless the orchestrator recorded a failure (`metadata.error_code`/`error_reason`) or it
 * left a task In Progress (§16: an In Progress task with a stale heartbeat means it crashed);
 * any other status is dead when its DB heartbeat is 5 min old. The time of death is the last DB
 * heartbeat (~20 s cadence), never the last log line and never "now".
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { ERROR_STATUSES, TERMINATED_STATUSES, type Task, type Worker } from '../rows/schemas.js';
import { errorCode, errorReason } from '../rows/worker-metadata.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import type { SwitchCase } from './cases.js';
import { heartbeatOf, type HeartbeatState } from './heartbeat.js';

export type DeathReason = 'status_error' | 'heartbeat_stale' | 'terminated_after_failure';

export interface Death {
  dead: boolean;
  reason: DeathReason | null;
  /** The last DB heartbeat of a dead worker (null when alive, or dead without ever beating). */
  died_at: Instant | null;
  heartbeat_state: HeartbeatState;
  heartbeat_age_s: number | null;
  /** Terminated with no sign of failure. */
  terminated_cleanly: boolean;
}

export function deathOf(worker: Worker, tasks: readonly Pick<Task, 'status'>[], asOf: Instant): Death {
  const heartbeat = heartbeatOf(worker, asOf);
  const base = { heartbeat_state: heartbeat.state, heartbeat_age_s: heartbeat.age_s };
  const dead = (reason: DeathReason): Death => ({ ...base, dead: true, reason, died_at: worker.last_heartbeat, terminated_cleanly: false });
  if (ERROR_STATUSES.has(worker.status)) return dead('status_error');
  if (TERMINATED_STATUSES.has(worker.status)) {
    const failed = errorCode(worker) !== null || errorReason(worker) !== null || tasks.some((t) => t.status === 'In Progress');
    if (failed) return dead('terminated_after_failure');
    return { ...base, dead: false, reason: null, died_at: null, terminated_cleanly: true };
  }
  if (heartbeat.state === 'dead') return dead('heartbeat_stale');
  return { ...base, dead: false, reason: null, died_at: null, terminated_cleanly: false };
}

/** The switch → death time of a dead worker with a MODEL SWITCH, else null. */
export function crashAfterSwitchS(c: SwitchCase, asOf: Instant): number | null {
  const sw = c.signals.last_model_switch;
  if (!sw || c.worker.last_heartbeat === null) return null;
  if (!deathOf(c.worker, c.tasks, asOf).dead) return null;
  return secondsBetween(sw.timestamp, c.worker.last_heartbeat);
}

export function isModelLoadCrash(crashAfterS: number | null): crashAfterS is number {
  // The guide's `time_between < 10` (minutes): strictly under the window.
  return crashAfterS !== null && crashAfterS >= 0 && crashAfterS < THRESHOLDS.modelLoadCrashWindowS;
}

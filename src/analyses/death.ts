/**
 * Whether a worker's life is over, and when it ended. Shared by §4B, §5, §12 and the crash-timing
 * view.
 *
 * The guide reads death off the heartbeat age alone; the schema page adds that a status is not
 * proof of how a worker ended: the orchestrator marks a dead worker `error` minutes later and then
 * terminates it, so `terminated` often follows a crash. A life is over when the DB heartbeat is
 * 5 min old or the status says so (`error`, `crashed`, `terminating`, `terminated`). It ended
 * cleanly only on evidence of a clean end: a shutdown or drain line of the worker, or
 * `metadata.self_terminated` / `metadata.termination_reason`. Any other end is a death, timed to
 * the last DB heartbeat (~20 s cadence), never the last log line and never "now"; the crash
 * patterns (crash-patterns.ts) then say what kind of death, or that its life showed no crash.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { ERROR_STATUSES, TERMINATED_STATUSES, type Worker } from '../rows/schemas.js';
import type { WorkerSignals } from '../rows/signals.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { selfTerminated, terminationReason } from '../rows/worker-metadata.js';
import type { SwitchCase } from './cases.js';
import { heartbeatOf, type HeartbeatState } from './heartbeat.js';

/** Why the life is over: the status says so, or the heartbeat stopped. */
export type EndReason = 'status_error' | 'status_terminated' | 'heartbeat_stale';

/** The evidence of a clean end. */
export interface CleanEnd {
  by: 'shutdown_line' | 'self_terminated' | 'termination_reason';
  /** When the evidence was written (a shutdown line); null for metadata. */
  at: Instant | null;
  /** The line, or the metadata value. */
  text: string;
}

export interface Death {
  /** The life is over without evidence of a clean end. */
  dead: boolean;
  /** Why the life is over (null: it is not). */
  reason: EndReason | null;
  /** The last DB heartbeat of a worker whose life is over (null when alive, or over without ever beating). */
  died_at: Instant | null;
  heartbeat_state: HeartbeatState;
  heartbeat_age_s: number | null;
  clean_end: CleanEnd | null;
}

function endReason(worker: Pick<Worker, 'status'>, state: HeartbeatState): EndReason | null {
  if (ERROR_STATUSES.has(worker.status)) return 'status_error';
  if (TERMINATED_STATUSES.has(worker.status)) return 'status_terminated';
  return state === 'dead' ? 'heartbeat_stale' : null;
}

/** Evidence of a clean end, strongest first: the worker's own shutdown line, then its metadata. */
export function cleanEndOf(worker: Pick<Worker, 'metadata'>, signals: Pick<WorkerSignals, 'last_shutdown_log'> | null): CleanEnd | null {
  const line = signals?.last_shutdown_log ?? null;
  if (line) return { by: 'shutdown_line', at: line.timestamp, text: line.message };
  if (selfTerminated(worker)) return { by: 'self_terminated', at: null, text: 'metadata.self_terminated' };
  const reason = terminationReason(worker);
  if (reason !== null) return { by: 'termination_reason', at: null, text: reason };
  return null;
}

export function deathOf(worker: Worker, signals: Pick<WorkerSignals, 'last_shutdown_log'> | null, asOf: Instant): Death {
  const heartbeat = heartbeatOf(worker, asOf);
  const reason = endReason(worker, heartbeat.state);
  const clean = reason === null ? null : cleanEndOf(worker, signals);
  return {
    dead: reason !== null && clean === null,
    reason,
    died_at: reason === null ? null : worker.last_heartbeat,
    heartbeat_state: heartbeat.state,
    heartbeat_age_s: heartbeat.age_s,
    clean_end: clean,
  };
}

/** The switch → death time of a dead worker with a MODEL SWITCH, else null. */
export function crashAfterSwitchS(c: SwitchCase, asOf: Instant): number | null {
  const sw = c.signals.last_model_switch;
  if (!sw || c.worker.last_heartbeat === null) return null;
  if (!deathOf(c.worker, c.signals, asOf).dead) return null;
  return secondsBetween(sw.timestamp, c.worker.last_heartbeat);
}

export function isModelLoadCrash(crashAfterS: number | null): crashAfterS is number {
  // The guide's `time_between < 10` (minutes): strictly under the window.
  return crashAfterS !== null && crashAfterS >= 0 && crashAfterS < THRESHOLDS.modelLoadCrashWindowS;
}

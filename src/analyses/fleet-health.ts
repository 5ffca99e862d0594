/**
 * Issue 11, `health`: the fleet's verdict over the last N minutes, for cron and alert rules.
 *
 * - `finished`: tasks that reached `Complete` or `Failed` in the window, by `updated_at` (the
 *   instant of their last change, which for a finished task is the finish).
 * - The verdict reads the failure rate among them only (THRESHOLDS.health…): `IDLE` when none
 *   finished; `BLOCKED` over the blocked rate with at least the minimum finished; `WARNING` over
 *   the warning rate; else `OK`.
 * - Beside it, what on-call acts on next, as lists (their lengths are the counts): dead workers
 *   (died in the window, or still counted live with a dead heartbeat), stalled workers (the
 *   crash-pattern rule: heartbeat alive, main loop silent with a task) and orphaned tasks (§11).
 *   They do not change the verdict: a fleet that finishes its work is not failing, and the
 *   orchestrator reaps dead workers itself.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { isEndedStatus, type Task, type Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { heartbeatOf } from './heartbeat.js';
import { compareIds } from '../rows/order.js';
import { inWindow, type TimeWindow } from '../rows/window.js';
import type { StalledWorker } from './crash-patterns.js';
import type { OrphanedTask } from './orphaned-tasks.js';

export const HEALTH_VERDICTS = ['OK', 'WARNING', 'BLOCKED', 'IDLE'] as const;
export type HealthVerdict = (typeof HEALTH_VERDICTS)[number];

export interface DeadWorker {
  id: string;
  status: string;
  last_heartbeat: Instant;
  heartbeat_age_s: number;
  /** Its last DB heartbeat (the clock of death) lies in the window. */
  died_in_window: boolean;
  /** Its status still says it lives (not terminated, error or crashed): the orchestrator has not reaped it yet. */
  status_live: boolean;
}

export interface FleetHealth {
  window_minutes: number;
  from: Instant;
  to: Instant;
  /** Tasks that reached Complete or Failed in the window. */
  finished: number;
  complete: number;
  failed: number;
  /** failed / finished; null when none finished. */
  failure_rate: number | null;
  verdict: HealthVerdict;
  /** Most recent death first. */
  dead_workers: DeadWorker[];
  stalled_workers: StalledWorker[];
  orphaned_tasks: OrphanedTask[];
}

/** The verdict for `finished` tasks of which `failed` failed. */
export function healthVerdict(finished: number, failed: number): HealthVerdict {
  if (finished === 0) return 'IDLE';
  const rate = failed / finished;
  if (rate > THRESHOLDS.healthBlockedFailureRate && finished >= THRESHOLDS.healthBlockedMinFinished) return 'BLOCKED';
  if (rate > THRESHOLDS.healthWarningFailureRate) return 'WARNING';
  return 'OK';
}

/**
 * Workers dead now (DB heartbeat at least THRESHOLDS.heartbeatDeadS old) that died in the window,
 * or whose status still says they live. A worker that never beat is not here (it never lived).
 */
export function deadWorkers(workers: readonly Worker[], window: TimeWindow, asOf: Instant): DeadWorker[] {
  const dead: DeadWorker[] = [];
  for (const w of workers) {
    const heartbeat = heartbeatOf(w, asOf);
    if (w.last_heartbeat === null || heartbeat.state !== 'dead') continue;
    const diedInWindow = inWindow(w.last_heartbeat, window);
    const statusLive = !isEndedStatus(w.status);
    if (!diedInWindow && !statusLive) continue;
    dead.push({ id: w.id, status: w.status, last_heartbeat: w.last_heartbeat, heartbeat_age_s: heartbeat.age_s!, died_in_window: diedInWindow, status_live: statusLive });
  }
  return dead.sort((a, b) => b.last_heartbeat - a.last_heartbeat || compareIds(a.id, b.id));
}

/**
 * `tasks`: any tasks (only Complete and Failed ones updated in the window count); `workers`: the
 * fleet's rows; `stalled` and `orphans`: what crash-patterns.ts and orphaned-tasks.ts found.
 */
export function fleetHealth(
  tasks: readonly Task[],
  workers: readonly Worker[],
  window: TimeWindow,
  asOf: Instant,
  stalled: readonly StalledWorker[] = [],
  orphans: readonly OrphanedTask[] = [],
): FleetHealth {
  let complete = 0;
  let failed = 0;
  for (const t of tasks) {
    if (t.updated_at === null || !inWindow(t.updated_at, window)) continue;
    if (t.status === 'Complete') complete++;
    else if (t.status === 'Failed') failed++;
  }
  const finished = complete + failed;
  return {
    window_minutes: secondsBetween(window.from, window.to) / 60,
    from: window.from,
    to: window.to,
    finished,
    complete,
    failed,
    failure_rate: finished === 0 ? null : failed / finished,
    verdict: healthVerdict(finished, failed),
    dead_workers: deadWorkers(workers, window, asOf),
    stalled_workers: [...stalled].sort((a, b) => compareIds(a.worker_id, b.worker_id)),
    orphaned_tasks: [...orphans],
  };
}

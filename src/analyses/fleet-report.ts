/**
 * §13 Worker summary report. Fixes the guide: success counts `Complete` (the real enum; the guide's
 * `Completed` gives 0 % on real data, though both spellings are read as one state); every worker
 * falls in exactly one of six states (the guide dropped workers with no heartbeat, and counted
 * `error` workers by heartbeat); the average lifetime is over workers that sent a heartbeat (the
 * guide divided by all workers, counting the never-started as zero).
 */
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { errorTemplates, type ErrorTemplate } from './error-templates.js';
import { gpuType, ramTier } from '../rows/worker-metadata.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { ERROR_STATUSES, TERMINATED_STATUSES } from '../rows/schemas.js';
import { heartbeatAgeS, heartbeatStateOf } from './heartbeat.js';
import { inWindow, type TimeWindow } from '../rows/window.js';
import type { StalledWorker } from './crash-patterns.js';
import { compareIds } from '../rows/order.js';

export const FLEET_STATES = ['alive', 'aging', 'stale', 'never', 'terminated', 'error'] as const;
export type FleetState = (typeof FLEET_STATES)[number];

/** terminating/terminated → terminated; error/crashed → error; any other status by its heartbeat. */
export function fleetStateOf(worker: Worker, asOf: Instant): FleetState {
  if (TERMINATED_STATUSES.has(worker.status)) return 'terminated';
  if (ERROR_STATUSES.has(worker.status)) return 'error';
  // The §1 bands, with a dead heartbeat on a live status called what §13 calls it: stale.
  const state = heartbeatStateOf(heartbeatAgeS(worker, asOf));
  return state === 'dead' ? 'stale' : state;
}

export interface WorkerLifetime {
  id: string;
  state: FleetState;
  created_at: Instant;
  lifetime_s: number | null;
  gpu_type: string | null;
  ram_tier: number | null;
}

export interface FleetReport {
  window_hours: number;
  from: Instant;
  to: Instant;
  workers: { total: number } & Record<FleetState, number>;
  tasks: { total: number; queued: number; in_progress: number; complete: number; failed: number; cancelled: number };
  /** Complete / all tasks created in the window (null when there are none). */
  success_rate: number | null;
  failure_rate: number | null;
  /** Creation to last DB heartbeat, averaged over workers that sent one. */
  avg_lifetime_s: number | null;
  by_task_type: { task_type: string; total: number; complete: number; failed: number }[];
  lifetimes: WorkerLifetime[];
  /** Live workers (alive or aging) whose main loop stopped while they hold a task: their work is lost. */
  stalled_workers: StalledWorker[];
  /** Issue 11: the window's failed tasks and ERROR/CRITICAL lines as message templates, largest first (error-templates.ts). */
  error_templates: ErrorTemplate[];
}

/**
 * `stalled`: the live workers of the window whose main loop stopped with a task (crash-patterns.ts
 * `stalledWorkers`); `errorLines`: the window's ERROR/CRITICAL lines (others are ignored), grouped
 * into templates with the failed tasks created in the window.
 */
export function fleetReport(
  workers: readonly Worker[],
  tasks: readonly Task[],
  window: TimeWindow,
  asOf: Instant,
  stalled: readonly StalledWorker[] = [],
  errorLines: readonly SystemLog[] = [],
): FleetReport {
  const inScope = workers.filter((w) => inWindow(w.created_at, window));
  const states = Object.fromEntries(FLEET_STATES.map((s) => [s, 0])) as Record<FleetState, number>;
  const lifetimes: WorkerLifetime[] = [];
  for (const w of inScope) {
    const state = fleetStateOf(w, asOf);
    states[state]++;
    const lifetime = w.last_heartbeat === null ? null : secondsBetween(w.created_at, w.last_heartbeat);
    lifetimes.push({ id: w.id, state, created_at: w.created_at, lifetime_s: lifetime, gpu_type: gpuType(w), ram_tier: ramTier(w) });
  }
  lifetimes.sort((a, b) => a.created_at - b.created_at || compareIds(a.id, b.id));
  // Summed in that one order: a float sum in input order differs in its last digits from one
  // source (or row order) to another.
  let lifetimeSum = 0;
  let lifetimeCount = 0;
  for (const { lifetime_s } of lifetimes) {
    if (lifetime_s === null) continue;
    lifetimeSum += lifetime_s;
    lifetimeCount++;
  }

  const windowTasks = tasks.filter((t) => inWindow(t.created_at, window));
  const counts = { total: windowTasks.length, queued: 0, in_progress: 0, complete: 0, failed: 0, cancelled: 0 };
  const byType = new Map<string, { total: number; complete: number; failed: number }>();
  for (const t of windowTasks) {
    if (t.status === 'Queued') counts.queued++;
    else if (t.status === 'In Progress') counts.in_progress++;
    else if (t.status === 'Complete') counts.complete++;
    else if (t.status === 'Failed') counts.failed++;
    else if (t.status === 'Cancelled') counts.cancelled++;
    const entry = byType.get(t.task_type) ?? { total: 0, complete: 0, failed: 0 };
    entry.total++;
    if (t.status === 'Complete') entry.complete++;
    if (t.status === 'Failed') entry.failed++;
    byType.set(t.task_type, entry);
  }
  return {
    window_hours: secondsBetween(window.from, window.to) / 3600,
    from: window.from,
    to: window.to,
    workers: { total: inScope.length, ...states },
    tasks: counts,
    success_rate: counts.total === 0 ? null : counts.complete / counts.total,
    failure_rate: counts.total === 0 ? null : counts.failed / counts.total,
    avg_lifetime_s: lifetimeCount === 0 ? null : lifetimeSum / lifetimeCount,
    by_task_type: [...byType.entries()]
      .map(([task_type, e]) => ({ task_type, ...e }))
      .sort((a, b) => b.total - a.total || compareIds(a.task_type, b.task_type)),
    lifetimes,
    stalled_workers: stalled.filter((s) => inScope.some((w) => w.id === s.worker_id)),
    // Issue 11: templates, not raw messages.
    error_templates: errorTemplates(windowTasks, errorLines.filter((l) => inWindow(l.timestamp, window))).templates,
  };
}

/**
 * §11 Find orphaned tasks: In Progress tasks whose worker cannot finish them. The guide asked the
 * workers table once per task (N+1) and skipped workers with a NULL heartbeat; here the workers are
 * read in one batch and a NULL heartbeat counts as stale (no fresh heartbeat). A stalled worker
 * (crash-patterns.ts: heartbeat fresh, main loop silent) will not finish its task either: its
 * task is lost work too.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Task, Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { compareIds } from '../rows/order.js';

export type OrphanReason = 'no_worker' | 'worker_missing' | 'heartbeat_stale' | 'worker_stalled';

export interface OrphanedTask {
  id: string;
  task_type: string;
  worker_id: string | null;
  reason: OrphanReason;
  worker_status: string | null;
  heartbeat_age_s: number | null;
  generation_started_at: Instant | null;
  /** Since the worker claimed it, as of the as-of instant. */
  runtime_s: number | null;
}

export interface OrphanedTasks {
  in_progress: number;
  by_reason: Record<OrphanReason, number>;
  tasks: OrphanedTask[];
}

/**
 * `tasks`: In Progress tasks (others are ignored); `workers`: the rows of their workers;
 * `stalledWorkerIds`: the workers classified `stalled`.
 */
export function orphanedTasks(tasks: readonly Task[], workers: readonly Worker[], asOf: Instant, stalledWorkerIds: ReadonlySet<string> = new Set()): OrphanedTasks {
  const byId = new Map(workers.map((w) => [w.id, w]));
  const inProgress = tasks
    .filter((t) => t.status === 'In Progress')
    .sort((a, b) => a.created_at - b.created_at || compareIds(a.id, b.id));
  const orphans: OrphanedTask[] = [];
  for (const task of inProgress) {
    const worker = task.worker_id === null ? undefined : byId.get(task.worker_id);
    let reason: OrphanReason | null = null;
    let age: number | null = null;
    if (task.worker_id === null) reason = 'no_worker';
    else if (!worker) reason = 'worker_missing';
    else {
      age = worker.last_heartbeat === null ? null : secondsBetween(worker.last_heartbeat, asOf);
      if (age === null || age > THRESHOLDS.heartbeatDeadS) reason = 'heartbeat_stale';
      else if (stalledWorkerIds.has(worker.id)) reason = 'worker_stalled';
    }
    if (reason === null) continue;
    orphans.push({
      id: task.id,
      task_type: task.task_type,
      worker_id: task.worker_id,
      reason,
      worker_status: worker?.status ?? null,
      heartbeat_age_s: age,
      generation_started_at: task.generation_started_at,
      runtime_s: task.generation_started_at === null ? null : secondsBetween(task.generation_started_at, asOf),
    });
  }
  const byReason: Record<OrphanReason, number> = { no_worker: 0, worker_missing: 0, heartbeat_stale: 0, worker_stalled: 0 };
  for (const o of orphans) byReason[o.reason]++;
  return { in_progress: inProgress.length, by_reason: byReason, tasks: orphans };
}

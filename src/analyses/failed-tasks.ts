/** §10 Find workers with failed tasks: the newest failed tasks, grouped by worker. */
import type { Task } from '../rows/schemas.js';
import { compareIds } from '../rows/order.js';
import type { Instant } from '../rows/time.js';
import { errorTemplates, type ErrorTemplate } from './error-templates.js';

export interface FailedTask {
  id: string;
  worker_id: string | null;
  task_type: string;
  error_message: string | null;
  attempts: number | null;
  created_at: Instant;
  updated_at: Instant | null;
}

export interface FailedTasks {
  /** Failed tasks read (the list may be limited). */
  total: number;
  tasks: FailedTask[];
  by_worker: { worker_id: string | null; failed: number; task_types: string[] }[];
  by_error: { error_message: string | null; failed: number }[];
  /** Issue 11: the listed tasks' messages as templates (figures, ids, paths masked), largest first. */
  by_template: ErrorTemplate[];
}

/** Newest first; `tasks` may hold other statuses: only `Failed` ones count. */
export function failedTasks(tasks: readonly Task[], limit?: number): FailedTasks {
  const failed = tasks
    .filter((t) => t.status === 'Failed')
    .sort((a, b) => b.created_at - a.created_at || compareIds(a.id, b.id));
  const shown = limit === undefined ? failed : failed.slice(0, limit);
  const byWorker = new Map<string | null, { failed: number; types: Set<string> }>();
  const byError = new Map<string | null, number>();
  for (const t of shown) {
    const entry = byWorker.get(t.worker_id) ?? { failed: 0, types: new Set<string>() };
    entry.failed++;
    entry.types.add(t.task_type);
    byWorker.set(t.worker_id, entry);
    byError.set(t.error_message, (byError.get(t.error_message) ?? 0) + 1);
  }
  return {
    total: failed.length,
    tasks: shown.map((t) => ({
      id: t.id,
      worker_id: t.worker_id,
      task_type: t.task_type,
      error_message: t.error_message,
      attempts: t.attempts,
      created_at: t.created_at,
      updated_at: t.updated_at,
    })),
    by_worker: [...byWorker.entries()]
      .map(([worker_id, e]) => ({ worker_id, failed: e.failed, task_types: [...e.types].sort() }))
      .sort((a, b) => b.failed - a.failed || compareIds(String(a.worker_id), String(b.worker_id))),
    by_error: [...byError.entries()]
      .map(([error_message, n]) => ({ error_message, failed: n }))
      .sort((a, b) => b.failed - a.failed || compareIds(String(a.error_message), String(b.error_message))),
    by_template: errorTemplates(shown, []).templates,
  };
}

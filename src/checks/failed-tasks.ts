import { DEFAULT_FAILED_TASK_LIMIT } from '../config/thresholds.js';
import { failedTasks } from '../analyses/failed-tasks.js';
import { loadWorkerEvidence, validateWorkerId, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §10: the newest failed tasks fleet-wide (default 50), or all of one worker's. */
export async function failed(read: ReadContext, options: { workerId?: string; limit?: number } = {}) {
  const workerId = options.workerId === undefined || options.workerId.trim() === '' ? undefined : validateWorkerId(options.workerId);
  const limit = options.limit ?? (workerId ? undefined : DEFAULT_FAILED_TASK_LIMIT);
  const rows = await read.source.tasks(
    { statuses: ['Failed'], newestFirst: true, ...(workerId ? { workerIds: [workerId] } : {}), ...(limit ? { limit } : {}) },
    read.read,
  );
  read.problems.add(rows.problems);
  // No failed task of a worker the source has never heard of is "not found", not "none".
  if (workerId && rows.rows.length === 0) await loadWorkerEvidence(read, workerId, { logs: false });
  return { ...asOfOf(read), worker_id: workerId ?? null, limit: limit ?? null, ...failedTasks(rows.rows, limit) };
}

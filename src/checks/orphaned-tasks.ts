import { orphanedTasks } from '../analyses/orphaned-tasks.js';
import { loadStalledWorkers, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/**
 * §11: In Progress tasks, then their workers in one batch (no query per task), then the log signals
 * of those still beating, to find the stalled ones (their tasks are lost work too).
 */
export async function orphans(read: ReadContext) {
  const inProgress = await read.source.tasks({ statuses: ['In Progress'] }, read.read);
  read.problems.add(inProgress.problems);
  const workerIds = [...new Set(inProgress.rows.flatMap((t) => (t.worker_id === null ? [] : [t.worker_id])))];
  const workers = workerIds.length ? await read.source.workers({ ids: workerIds }, read.read) : { rows: [], problems: [] };
  read.problems.add(workers.problems);
  const stalled = await loadStalledWorkers(read, workers.rows);
  return { ...asOfOf(read), ...orphanedTasks(inProgress.rows, workers.rows, read.asOf, new Set(stalled.map((s) => s.worker_id))) };
}

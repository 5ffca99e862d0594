import { orphanedTasks } from '../analyses/orphaned-tasks.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §11: In Progress tasks, then their workers in one batch (no query per task). */
export async function orphans(read: ReadContext) {
  const inProgress = await read.source.tasks({ statuses: ['In Progress'] }, read.read);
  read.problems.add(inProgress.problems);
  const workerIds = [...new Set(inProgress.rows.flatMap((t) => (t.worker_id === null ? [] : [t.worker_id])))];
  const workers = workerIds.length ? await read.source.workers({ ids: workerIds }, read.read) : { rows: [], problems: [] };
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...orphanedTasks(inProgress.rows, workers.rows, read.asOf) };
}

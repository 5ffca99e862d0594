import { workerTasks } from '../analyses/worker-tasks.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §3 */
export async function tasks(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { logs: false });
  return { ...asOfOf(read), ...workerTasks(evidence.workerId, evidence.tasks) };
}

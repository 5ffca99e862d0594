import { workerStatus } from '../analyses/worker-status.js';
import { requireWorkerRow, type ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §1 */
export async function status(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { tasks: false, logs: false });
  return { ...asOfOf(read), ...workerStatus(requireWorkerRow(read, evidence), read.asOf) };
}

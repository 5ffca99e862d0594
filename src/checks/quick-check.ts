import { quickCheck } from '../analyses/quick-check.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §6 */
export async function quick(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker);
  return { ...asOfOf(read), ...quickCheck(evidence.workerId, evidence.worker, evidence.tasks, evidence.logs, read.asOf) };
}

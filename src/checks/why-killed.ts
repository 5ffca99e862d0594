import { whyKilled } from '../analyses/why-killed.js';
import { requireWorkerRow, type ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** Issue 11, `why-killed <worker>`: the worker's row, tasks and lines, read concurrently. */
export async function whyKilledCheck(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker);
  return { ...asOfOf(read), ...whyKilled(requireWorkerRow(read, evidence), evidence.tasks, evidence.logs, read.asOf, read.vocabulary) };
}

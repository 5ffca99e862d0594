import { memoryProfile } from '../analyses/memory-profile.js';
import { computeSignalsForWorker } from '../analyses/worker-signals.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §14 */
export async function memory(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { tasks: false });
  const signals = computeSignalsForWorker(evidence.workerId, evidence.logs, read.asOf);
  return { ...asOfOf(read), ...memoryProfile(evidence.workerId, signals.memory_profile_line) };
}

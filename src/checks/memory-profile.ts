import { memoryProfile } from '../analyses/memory-profile.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §14: the memory profile, the `[RAM]` samples and the VRAM figures of one worker. */
export async function memory(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { tasks: false });
  return { ...asOfOf(read), ...memoryProfile(evidence.workerId, evidence.logs, read.asOf, read.vocabulary, evidence.worker) };
}

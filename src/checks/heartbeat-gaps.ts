import { heartbeatGaps } from '../analyses/heartbeat-gaps.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §4A */
export async function heartbeats(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { tasks: false });
  return { ...asOfOf(read), ...heartbeatGaps(evidence.workerId, evidence.logs, read.asOf, read.vocabulary, evidence.worker) };
}

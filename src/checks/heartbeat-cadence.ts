import { heartbeatCadence } from '../analyses/heartbeat-cadence.js';
import { requireWorkerRow, type ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §16 */
export async function cadence(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker, { tasks: false });
  return { ...asOfOf(read), ...heartbeatCadence(requireWorkerRow(read, evidence), evidence.logs, read.asOf, read.vocabulary) };
}

import { modelSwitch } from '../analyses/model-switch.js';
import { requireWorkerRow, type ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §4B */
export async function modelSwitchCheck(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker);
  return { ...asOfOf(read), ...modelSwitch(requireWorkerRow(read, evidence), evidence.tasks, evidence.logs, read.asOf, read.vocabulary) };
}

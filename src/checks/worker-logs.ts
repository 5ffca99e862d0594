import type { LogLevel } from '../config/markers.js';
import { workerLogs } from '../analyses/worker-logs.js';
import type { ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** §2 */
export async function logs(read: ReadContext, worker: WorkerRef, filter: { limit?: number; level?: LogLevel; search?: string } = {}) {
  const evidence = await workerEvidence(read, worker, { tasks: false });
  return { ...asOfOf(read), ...workerLogs(evidence.workerId, evidence.logs, read.asOf, filter) };
}

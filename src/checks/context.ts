import { loadWorkerEvidence, type ReadContext, type WorkerEvidence } from './load.js';

export const asOfOf = (read: ReadContext) => ({ as_of: read.asOf });

/**
 * A worker to check: its id (the check reads what it needs), or evidence already read with
 * `loadWorkerEvidence` (a notebook reads once, then runs several checks and draws figures).
 */
export type WorkerRef = string | WorkerEvidence;

export function workerEvidence(read: ReadContext, ref: WorkerRef, parts: { tasks?: boolean; logs?: boolean } = {}): Promise<WorkerEvidence> {
  return typeof ref === 'string' ? loadWorkerEvidence(read, ref, parts) : Promise.resolve(ref);
}

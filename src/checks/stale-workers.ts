import { THRESHOLDS } from '../config/thresholds.js';
import { staleWorkers } from '../analyses/stale-workers.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §9 */
export async function stale(read: ReadContext, thresholdS: number = THRESHOLDS.heartbeatDeadS) {
  const workers = await read.source.workers({ statuses: ['active'] }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...staleWorkers(workers.rows, read.asOf, thresholdS) };
}

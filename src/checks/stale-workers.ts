import { THRESHOLDS } from '../config/thresholds.js';
import { staleWorkers } from '../analyses/stale-workers.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §9: `minutes` is the stale threshold; absent or 0, the guide's dead-heartbeat threshold. */
export async function stale(read: ReadContext, options: { minutes?: number } = {}) {
  const thresholdS = options.minutes !== undefined && options.minutes > 0 ? options.minutes * 60 : THRESHOLDS.heartbeatDeadS;
  const workers = await read.source.workers({ statuses: ['active'] }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...staleWorkers(workers.rows, read.asOf, thresholdS) };
}

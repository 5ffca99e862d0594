import { activeWorkers } from '../analyses/active-workers.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §7 */
export async function active(read: ReadContext) {
  const workers = await read.source.workers({ statuses: ['active'] }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...activeWorkers(workers.rows, read.asOf) };
}

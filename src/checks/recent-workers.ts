import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { recentWorkers } from '../analyses/recent-workers.js';
import type { TimeWindow } from '../rows/window.js';
import { hoursWindow } from '../rows/window.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §8 */
export async function recent(read: ReadContext, window: TimeWindow = hoursWindow(read.asOf, DEFAULT_WINDOW_HOURS.recent)) {
  const workers = await read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...recentWorkers(workers.rows, window, read.asOf) };
}

import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { ERROR_LEVELS } from '../config/markers.js';
import { fleetReport } from '../analyses/fleet-report.js';
import { hoursWindow } from '../rows/window.js';
import { loadStalledWorkers, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §13 */
export async function report(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.report) {
  const window = hoursWindow(read.asOf, hours);
  const [workers, windowTasks, errorLines] = await Promise.all([
    read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read),
    read.source.tasks({ createdFrom: window.from, createdTo: window.to }, read.read),
    read.source.logs({ levels: [...ERROR_LEVELS], since: window.from, until: window.to }, read.read),
  ]);
  read.problems.add(workers.problems);
  read.problems.add(windowTasks.problems);
  read.problems.add(errorLines.problems);
  const stalled = await loadStalledWorkers(read, workers.rows);
  return { ...asOfOf(read), ...fleetReport(workers.rows, windowTasks.rows, window, read.asOf, stalled, errorLines.rows), window_hours: hours };
}

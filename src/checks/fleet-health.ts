import { THRESHOLDS } from '../config/thresholds.js';
import { fleetHealth } from '../analyses/fleet-health.js';
import { orphanedTasks } from '../analyses/orphaned-tasks.js';
import { hoursWindow } from '../rows/window.js';
import { loadStalledWorkers, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/**
 * Issue 11 `health`: tasks finished (Complete or Failed) in the last `minutes` by `updated_at`, the
 * fleet's workers (one read: a dead worker is judged by its row), the In Progress tasks (orphans)
 * and the log signals of the live workers holding one (stalled). Five reads, whatever the fleet's size.
 */
export async function health(read: ReadContext, options: { minutes?: number } = {}) {
  const minutes = options.minutes ?? THRESHOLDS.healthWindowS / 60;
  const window = hoursWindow(read.asOf, minutes / 60);
  const [finished, workers, inProgress] = await Promise.all([
    read.source.tasks({ statuses: ['Complete', 'Failed'], updatedFrom: window.from, updatedTo: window.to }, read.read),
    read.source.workers({}, read.read),
    read.source.tasks({ statuses: ['In Progress'] }, read.read),
  ]);
  for (const r of [finished, workers, inProgress]) read.problems.add(r.problems);
  const stalled = await loadStalledWorkers(read, workers.rows);
  const orphans = orphanedTasks(inProgress.rows, workers.rows, read.asOf, new Set(stalled.map((s) => s.worker_id)));
  return { ...asOfOf(read), ...fleetHealth(finished.rows, workers.rows, window, read.asOf, stalled, orphans.tasks), window_minutes: minutes };
}

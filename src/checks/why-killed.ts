import { whyKilled } from '../analyses/why-killed.js';
import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { NotFoundError } from '../errors.js';
import { compareIds } from '../rows/order.js';
import { errorCode, errorReason, errorTime } from '../rows/worker-metadata.js';
import { hoursWindow } from '../rows/window.js';
import { requireWorkerRow, validateWorkerId, type ReadContext } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/** Issue 11, `why-killed <worker>`: the worker's row, tasks and lines, read concurrently. */
export async function whyKilledCheck(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker);
  return { ...asOfOf(read), ...whyKilled(requireWorkerRow(read, evidence), evidence.tasks, evidence.logs, read.asOf, read.vocabulary) };
}

/**
 * Which worker a notebook asks about: the one given, else the worker of the last `hours` whose
 * orchestrator kill (metadata.error_time) is the most recent, else one with an orchestrator error
 * recorded but no time.
 */
export async function resolveKilledWorker(read: ReadContext, workerId: string, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<{ id: string; reason: string }> {
  if (workerId.trim() !== '') return { id: validateWorkerId(workerId), reason: 'as given' };
  const window = hoursWindow(read.asOf, hours);
  const workers = await read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read);
  read.problems.add(workers.problems);
  const killed = workers.rows.filter((w) => errorTime(w) !== null || errorReason(w) !== null || errorCode(w) !== null);
  killed.sort((a, b) => (errorTime(b) ?? -Infinity) - (errorTime(a) ?? -Infinity) || compareIds(a.id, b.id));
  const newest = killed[0];
  if (newest) return { id: newest.id, reason: `no workerId given: the most recent orchestrator kill among workers of the last ${hours} h (${errorCode(newest) ?? 'no code'})` };
  throw new NotFoundError(`no worker of the last ${hours} h in ${read.source.label} has an orchestrator error recorded: set workerId`);
}

import { readTaskTrace, taskJourney } from '../analyses/task-journey.js';
import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { hoursWindow } from '../rows/window.js';
import { NotFoundError, UsageError } from '../errors.js';
import { shownInput } from '../redact.js';
import { compareIds } from '../rows/order.js';
import { formatInstant } from '../rows/time.js';
import { loadFleetCases, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Task ids are UUIDs; reject what cannot be one before querying. */
export function validateTaskId(id: string): string {
  const trimmed = id.trim();
  if (!TASK_ID.test(trimmed)) {
    throw new UsageError(`malformed task id "${shownInput(trimmed, 60)}": expected a UUID (e.g. 7a5c0001-0000-4000-8000-000000000000)`);
  }
  return trimmed.toLowerCase();
}

/**
 * Issue 11, `task <id>`: the task row and the lines carrying its id, read concurrently; then the
 * rows, tasks and log signals of every worker that held it or wrote for it (to tell which death
 * interrupted it).
 */
export async function taskJourneyCheck(read: ReadContext, taskId: string) {
  const id = validateTaskId(taskId);
  const [tasks, lines] = await Promise.all([read.source.tasks({ ids: [id] }, read.read), read.source.logs({ taskIds: [id], until: read.asOf }, read.read)]);
  read.problems.add(tasks.problems);
  read.problems.add(lines.problems);
  const task = tasks.rows.find((t) => t.id === id);
  if (!task) {
    const hint = lines.rows.length > 0 ? `, though ${lines.rows.length} log line(s) carry its id (deleted?)` : '';
    throw new NotFoundError(`task ${id} not found in ${read.source.label} as of ${formatInstant(read.asOf)}${hint}`);
  }
  const workerIds = [...new Set([task.worker_id, ...lines.rows.map((l) => l.worker_id)].filter((w): w is string => w !== null))].sort(compareIds);
  const fleet = await loadFleetCases(read, { ids: workerIds });
  return { ...asOfOf(read), ...taskJourney(task, lines.rows, fleet.cases, read.asOf, read.vocabulary) };
}

/**
 * Which task a notebook follows: the one given, else the newest task of the last `hours` that
 * carries an orchestrator trace (requeued, reset, auto-failed), else the newest failed one, else
 * the newest.
 */
export async function resolveTask(read: ReadContext, taskId: string, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<{ id: string; reason: string }> {
  if (taskId.trim() !== '') return { id: validateTaskId(taskId), reason: 'as given' };
  const window = hoursWindow(read.asOf, hours);
  const tasks = await read.source.tasks({ createdFrom: window.from, createdTo: window.to, newestFirst: true }, read.read);
  read.problems.add(tasks.problems);
  const traced = tasks.rows.find((t) => readTaskTrace(t.error_message) !== null);
  if (traced) return { id: traced.id, reason: `no taskId given: the newest task of the last ${hours} h with an orchestrator trace (${traced.error_message})` };
  const failed = tasks.rows.find((t) => t.status === 'Failed');
  if (failed) return { id: failed.id, reason: `no taskId given and no trace in the last ${hours} h: the newest failed task` };
  const newest = tasks.rows[0];
  if (newest) return { id: newest.id, reason: `no taskId given, no trace and no failure in the last ${hours} h: the newest task` };
  throw new NotFoundError(`no task was created in the last ${hours} h in ${read.source.label}: set taskId`);
}

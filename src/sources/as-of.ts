/**
 * A source seen as of an instant. Rows created after it (workers, tasks) and lines written after
 * it did not exist then, so no read returns them.
 *
 * The tables keep only a row's current state, so for an as-of earlier than the data's own instant
 * (`dataAt`: the demo fleet's or snapshot's instant, else now) what changed after the as-of is
 * undone as far as the timestamps tell: a worker that still beat after it was alive then (its last
 * heartbeat is the as-of, its status `active`, no orchestrator error yet); a task finished, failed
 * or cancelled after it was then In Progress (claimed) or Queued. Status filters are then applied
 * after that reconstruction, which costs reading every row of the table the query names; so are
 * `updated_at` bounds (the read narrowed by them is a superset: reconstruction only clears `updated_at`).
 */
import { isEndedStatus } from '../rows/schemas.js';
import type { Task, TaskStatus, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import type { Source, TaskQuery, WorkerQuery } from './types.js';

/** An as-of within this of the data's instant is "now": nothing to reconstruct (clock skew). */
const RECONSTRUCT_TOLERANCE_US = 60 * 1_000_000;

const upTo = (bound: Instant | undefined, asOf: Instant) => (bound === undefined ? asOf : Math.min(bound, asOf));

const ORCHESTRATOR_ERROR_KEYS = ['error_reason', 'error_code', 'error_time', 'diagnostics'];

/** The worker row as it stood at `asOf` (unchanged when nothing tells it changed since). */
export function workerAsOf(worker: Worker, asOf: Instant): Worker {
  if (worker.last_heartbeat === null || worker.last_heartbeat <= asOf) return worker;
  const ended = isEndedStatus(worker.status);
  const metadata = worker.metadata && Object.fromEntries(Object.entries(worker.metadata).filter(([key]) => !ORCHESTRATOR_ERROR_KEYS.includes(key)));
  return { ...worker, last_heartbeat: asOf, status: ended ? 'active' : worker.status, metadata };
}

/** The task row as it stood at `asOf`. */
export function taskAsOf(task: Task, asOf: Instant): Task {
  const startedAfter = task.generation_started_at !== null && task.generation_started_at > asOf;
  const endedAfter =
    (task.generation_processed_at !== null && task.generation_processed_at > asOf) ||
    (task.status !== 'Queued' && task.status !== 'In Progress' && task.updated_at !== null && task.updated_at > asOf);
  if (!startedAfter && !endedAfter) return task;
  const claimed = task.generation_started_at !== null && !startedAfter;
  const status: TaskStatus = claimed ? 'In Progress' : 'Queued';
  return {
    ...task,
    status,
    worker_id: claimed ? task.worker_id : null,
    generation_started_at: claimed ? task.generation_started_at : null,
    generation_processed_at: null,
    error_message: null,
    updated_at: task.updated_at !== null && task.updated_at > asOf ? null : task.updated_at,
  };
}

export function asOfView(source: Source, asOf: Instant, dataAt: Instant | null = null): Source {
  const reconstruct = dataAt !== null && asOf < dataAt - RECONSTRUCT_TOLERANCE_US;
  const view: Source = {
    kind: source.kind,
    label: source.label,
    frozenAt: source.frozenAt,
    async workers(query, options) {
      const bounded: WorkerQuery = { ...query, createdTo: upTo(query.createdTo, asOf) };
      if (!reconstruct) return source.workers(bounded, options);
      const { statuses, limit, ...rest } = bounded;
      const read = await source.workers(rest, options);
      let rows = read.rows.map((w) => workerAsOf(w, asOf));
      if (statuses) rows = rows.filter((w) => statuses.includes(w.status));
      return { rows: limit === undefined ? rows : rows.slice(0, limit), problems: read.problems };
    },
    async tasks(query, options) {
      const bounded: TaskQuery = { ...query, createdTo: upTo(query.createdTo, asOf) };
      if (!reconstruct) return source.tasks(bounded, options);
      const { statuses, limit, ...rest } = bounded;
      const read = await source.tasks(rest, options);
      let rows = read.rows.map((t) => taskAsOf(t, asOf));
      if (statuses) rows = rows.filter((t) => statuses.includes(t.status));
      // A task updated after the as-of had not reached that state then (its updated_at is put back to NULL).
      const { updatedFrom, updatedTo } = rest;
      if (updatedFrom !== undefined || updatedTo !== undefined) {
        rows = rows.filter((t) => t.updated_at !== null && (updatedFrom === undefined || t.updated_at >= updatedFrom) && (updatedTo === undefined || t.updated_at <= updatedTo));
      }
      // A task not yet claimed at the as-of belonged to no worker then.
      if (rest.workerIds) rows = rows.filter((t) => t.worker_id !== null && rest.workerIds!.includes(t.worker_id));
      return { rows: limit === undefined ? rows : rows.slice(0, limit), problems: read.problems };
    },
    logs: (query, options) => source.logs({ ...query, until: upTo(query.until, asOf) }, options),
    close: () => source.close(),
  };
  if (source.workerSignals) {
    const signals = source.workerSignals.bind(source);
    view.workerSignals = (ids, at, vocabulary, options) => signals(ids, Math.min(at, asOf), vocabulary, options);
  }
  return view;
}

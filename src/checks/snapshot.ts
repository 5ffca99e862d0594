/**
 * Evidence snapshots: every row the other commands read for the given workers (or the fleet
 * window), complete past the row cap, so that each command answers the same from the file.
 */
import { DEFAULT_FAILED_TASK_LIMIT } from '../config/thresholds.js';
import { toolVersion } from '../package-root.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import { hoursWindow } from '../rows/window.js';
import { snapshotMeta, writeSnapshotFile, type SnapshotContents, type SnapshotMeta } from '../sources/snapshot.js';
import { loadWorkerEvidence, workersThatSwitched, type ReadContext } from './load.js';
import { tasksNamedByLines } from './worker-timeline.js';
import { ERROR_LEVELS } from '../config/markers.js';
import { deadWorkers } from '../analyses/fleet-health.js';
import { compareIds, compareLogs } from '../rows/order.js';

function byId<T extends { id: string }>(rows: Iterable<T>): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(row.id, row);
  return [...map.values()];
}

/**
 * The named workers: their rows, all their tasks and all their log lines up to as-of, and the tasks
 * their lines name that are no longer theirs (requeued, taken by another worker: `timeline` shows
 * where they went).
 */
async function workerScope(read: ReadContext, ids: readonly string[]): Promise<SnapshotContents> {
  const evidence = await Promise.all(ids.map((id) => loadWorkerEvidence(read, id)));
  const named = await Promise.all(evidence.map((e) => tasksNamedByLines(read, e)));
  return {
    workers: evidence.flatMap((e) => (e.worker ? [e.worker] : [])),
    tasks: byId([...evidence.flatMap((e) => e.tasks), ...named.flat()]),
    system_logs: byId(evidence.flatMap((e) => e.logs)),
  };
}

/**
 * The fleet window: workers created in it, every active worker, every worker with a task In
 * Progress or a MODEL SWITCH in the window; all their tasks and logs; plus the tasks created in
 * the window, every In Progress task and the newest failed ones. That is what `report`, `recent`,
 * `active`, `stale`, `orphans`, `failed-tasks`, `classify`, `model-load-crashes` and
 * `crash-timing` read for the same window. For `health` and `errors` (issue 11) over a window no
 * longer than it: the tasks finished in it (by `updated_at`), the ERROR/CRITICAL lines written in
 * it, and the rows of workers that died in it or are dead with a live status (rows only).
 */
async function fleetScope(read: ReadContext, hours: number): Promise<SnapshotContents> {
  const window = hoursWindow(read.asOf, hours);
  const { source } = read;
  const [created, active, windowTasks, inProgress, failed, switched] = await Promise.all([
    source.workers({ createdFrom: window.from, createdTo: window.to }, read.read),
    source.workers({ statuses: ['active'] }, read.read),
    source.tasks({ createdFrom: window.from, createdTo: window.to }, read.read),
    source.tasks({ statuses: ['In Progress'] }, read.read),
    source.tasks({ statuses: ['Failed'], newestFirst: true, limit: DEFAULT_FAILED_TASK_LIMIT }, read.read),
    workersThatSwitched(read, window),
  ]);
  for (const r of [created, active, windowTasks, inProgress, failed]) read.problems.add(r.problems);
  const ids = [
    ...new Set([
      ...created.rows.map((w) => w.id),
      ...active.rows.map((w) => w.id),
      ...switched,
      ...inProgress.rows.flatMap((t) => (t.worker_id ? [t.worker_id] : [])),
    ]),
  ];
  const [workers, tasks, logs] = ids.length
    ? await Promise.all([
        source.workers({ ids }, read.read),
        source.tasks({ workerIds: ids }, read.read),
        source.logs({ workerIds: ids, until: read.asOf }, read.read),
      ])
    : [{ rows: [] as Worker[], problems: [] }, { rows: [] as Task[], problems: [] }, { rows: [] as SystemLog[], problems: [] }];
  for (const r of [workers, tasks, logs]) read.problems.add(r.problems);
  // health and errors (issue 11)
  const [allWorkers, finished, errorLines] = await Promise.all([
    source.workers({}, read.read),
    source.tasks({ statuses: ['Complete', 'Failed'], updatedFrom: window.from, updatedTo: window.to }, read.read),
    source.logs({ levels: [...ERROR_LEVELS], since: window.from, until: window.to }, read.read),
  ]);
  for (const r of [allWorkers, finished, errorLines]) read.problems.add(r.problems);
  const dead = deadWorkers(allWorkers.rows, window, read.asOf).map((d) => d.id);
  const deadRows = allWorkers.rows.filter((w) => dead.includes(w.id));
  return {
    workers: byId([...workers.rows, ...deadRows]).sort(compareWorkers),
    tasks: byId([...tasks.rows, ...windowTasks.rows, ...inProgress.rows, ...failed.rows, ...finished.rows]),
    system_logs: byId([...logs.rows, ...errorLines.rows]).sort(compareLogs),
  };
}

function compareWorkers(a: Worker, b: Worker): number {
  return a.created_at - b.created_at || compareIds(a.id, b.id);
}

export interface SavedSnapshot {
  as_of: Instant;
  file: string;
  bytes: number;
  workers: number;
  tasks: number;
  system_logs: number;
  scope: SnapshotMeta['scope'];
}

/** Reads the evidence of the named workers or of the fleet window and writes it to `file` (made at `createdAt`). */
export async function saveSnapshot(read: ReadContext, scope: SnapshotMeta['scope'], file: string, createdAt: Instant): Promise<SavedSnapshot> {
  const contents = 'workers' in scope ? await workerScope(read, scope.workers) : await fleetScope(read, scope.hours);
  const counts = { workers: contents.workers.length, tasks: contents.tasks.length, system_logs: contents.system_logs.length };
  const meta = snapshotMeta(read.asOf, read.source.label, scope, counts, createdAt, toolVersion());
  const bytes = await writeSnapshotFile(file, contents, meta);
  return { as_of: read.asOf, file, bytes, ...counts, scope: meta.scope };
}

/**
 * Evidence snapshots: every row the other commands read for the given workers (or the fleet
 * window), complete past the row cap, so that each command answers the same from the file.
 */
import { DEFAULT_FAILED_TASK_LIMIT, DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { UsageError } from '../../errors.js';
import { hoursWindow } from '../../rows/window.js';
import { loadWorkerEvidence, validateWorkerId, workersThatSwitched, type ReadContext } from '../../checks/load.js';
import { toolVersion } from '../../package-root.js';
import type { SystemLog, Task, Worker } from '../../rows/schemas.js';
import { snapshotMeta, writeSnapshotFile, type SnapshotContents } from '../../sources/snapshot.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';
import { keyValues } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

function byId<T extends { id: string }>(rows: Iterable<T>): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(row.id, row);
  return [...map.values()];
}

/** The named workers: their rows, all their tasks and all their log lines up to as-of. */
async function workerScope(read: ReadContext, ids: string[]): Promise<SnapshotContents> {
  const evidence = await Promise.all(ids.map((id) => loadWorkerEvidence(read, id)));
  return {
    workers: evidence.flatMap((e) => (e.worker ? [e.worker] : [])),
    tasks: byId(evidence.flatMap((e) => e.tasks)),
    system_logs: byId(evidence.flatMap((e) => e.logs)),
  };
}

/**
 * The fleet window: workers created in it, every active worker, every worker with a task In
 * Progress or a MODEL SWITCH in the window; all their tasks and logs; plus the tasks created in
 * the window, every In Progress task and the newest failed ones. That is what `report`, `recent`,
 * `active`, `stale`, `orphans`, `failed-tasks`, `classify`, `model-load-crashes` and
 * `crash-timing` read for the same window.
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
  return {
    workers: workers.rows,
    tasks: byId([...tasks.rows, ...windowTasks.rows, ...inProgress.rows, ...failed.rows]),
    system_logs: logs.rows,
  };
}

export const snapshotCommand: Command = {
  name: 'snapshot',
  section: '–',
  summary: 'Save the evidence (worker rows, all their tasks and logs) to a JSON or .json.gz file before log retention deletes it',
  args: '(<worker>... | --hours N) --out FILE',
  positionals: { min: 0, max: Infinity },
  options: {
    out: { type: 'string', value: 'FILE', description: 'file to write (.json, or .json.gz to compress)' },
    hours: { type: 'string', value: 'N', description: 'the fleet window instead of named workers' },
  },
  details: ['Read it back with --source snapshot:FILE: every command gives the same answer at the same --as-of.'],
  async run(ctx, args) {
    const { read } = ctx;
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError('snapshot needs --out FILE');
    const ids = args.positionals.map(validateWorkerId);
    const hoursGiven = stringOption(args, 'hours') !== undefined;
    if (ids.length === 0 && !hoursGiven) throw new UsageError('snapshot needs worker ids or --hours N');
    if (ids.length > 0 && hoursGiven) throw new UsageError('give worker ids or --hours, not both');
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes);
    const contents = ids.length ? await workerScope(read, ids) : await fleetScope(read, hours);
    const counts = { workers: contents.workers.length, tasks: contents.tasks.length, system_logs: contents.system_logs.length };
    const meta = snapshotMeta(read.asOf, read.source.label, ids.length ? { workers: ids } : { hours }, counts, ctx.io.now(), toolVersion());
    const bytes = await writeSnapshotFile(out, contents, meta);
    ctx.notice(`worker-forensics: ${out} holds log text from the orchestrator (secret-shaped strings redacted); share it as you would the logs`);
    const result = { as_of: read.asOf, file: out, bytes, ...counts, scope: meta.scope };
    return {
      result,
      text: [
        `Evidence saved to ${out} (${(bytes / 1024).toFixed(1)} KiB)`,
        ...keyValues([
          ['Workers', counts.workers],
          ['Tasks', counts.tasks],
          ['Log lines', counts.system_logs],
          ['As of', instantText(result.as_of)],
        ]),
        `Read it back with: worker-forensics <command> --source snapshot:${out} --as-of ${instantText(result.as_of)}`,
      ],
    };
  },
};

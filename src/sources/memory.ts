/**
 * The query engine of the sources whose rows are already in memory (the demo fleet and evidence
 * snapshots). It applies the Source interface's filters and orders exactly as the database sources
 * do, so that every command gives the same answer from a snapshot as from where it was taken.
 */
import { parseRows, type Parsed, type RowProblem } from '../rows/parse.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import type { LogQuery, ReadOptions, Source, SourceKind, TaskQuery, WorkerQuery } from './types.js';
import { compareLogs } from '../rows/order.js';
import { WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { FamilyMatcher } from '../config/vocabulary.js';
import { compareIds } from '../rows/order.js';

export interface RawTables {
  workers: readonly unknown[];
  tasks: readonly unknown[];
  system_logs: readonly unknown[];
}

export interface MemorySourceOptions {
  kind: SourceKind;
  label: string;
  /** The instant the data describes; `'latest'`: the latest heartbeat or log line in it. */
  frozenAt: Instant | null | 'latest';
}

function byCreatedThenId(a: { created_at: Instant; id: string }, b: { created_at: Instant; id: string }): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  return compareIds(a.id, b.id);
}

/** An `updated_at` bound: a NULL `updated_at` is outside any bound (as SQL and PostgREST compare). */
function withinUpdated(value: Instant | null, from: Instant | undefined, to: Instant | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  return value !== null && within(value, from, to);
}

function within(value: Instant, from: Instant | undefined, to: Instant | undefined): boolean {
  return (from === undefined || value >= from) && (to === undefined || value <= to);
}

/**
 * The problems a database read would have met: a read for some ids or workers meets only their
 * malformed rows; any other read cannot tell what a malformed row would have matched, and reports
 * them all.
 */
function problemsFor(problems: RowProblem[], ids: ReadonlySet<string> | null, workerIds: ReadonlySet<string> | null): RowProblem[] {
  if (ids) return problems.filter((p) => ids.has(p.rowId));
  if (workerIds) return problems.filter((p) => p.workerId !== undefined && workerIds.has(p.workerId));
  return problems;
}

/** A line of the family: written by its writer, matched by its expression (what the databases' `~` does). */
function familyMatches(family: FamilyMatcher, line: SystemLog): boolean {
  if (family.test === null || (line.source_type === WORKER_SOURCE_TYPE) !== (family.writer === 'worker')) return false;
  return family.test.test(line.message);
}

function checkAborted(options?: ReadOptions): void {
  options?.signal?.throwIfAborted();
}

export class MemorySource implements Source {
  readonly kind: SourceKind;
  readonly label: string;
  readonly frozenAt: Instant | null;
  private readonly workerRows: Worker[];
  private readonly taskRows: Task[];
  private readonly logRows: SystemLog[];
  private readonly logsByWorker = new Map<string, SystemLog[]>();
  private readonly problems: Record<'workers' | 'tasks' | 'system_logs', RowProblem[]>;

  constructor(raw: RawTables, options: MemorySourceOptions) {
    this.kind = options.kind;
    this.label = options.label;
    const workers = parseRows('workers', raw.workers);
    const tasks = parseRows('tasks', raw.tasks);
    const logs = parseRows('system_logs', raw.system_logs);
    this.workerRows = workers.rows.sort(byCreatedThenId);
    this.taskRows = tasks.rows.sort(byCreatedThenId);
    this.logRows = logs.rows.sort(compareLogs);
    // An index by worker, like the real table's (worker_id, timestamp) index: one worker's read
    // does not scan the whole fleet.
    for (const log of this.logRows) {
      if (log.worker_id === null) continue;
      let list = this.logsByWorker.get(log.worker_id);
      if (!list) this.logsByWorker.set(log.worker_id, (list = []));
      list.push(log);
    }
    this.problems = { workers: workers.problems, tasks: tasks.problems, system_logs: logs.problems };
    this.frozenAt = options.frozenAt === 'latest' ? this.latestInstant() : options.frozenAt;
  }

  private latestInstant(): Instant | null {
    let latest: Instant | null = this.logRows.at(-1)?.timestamp ?? null;
    for (const w of this.workerRows) {
      if (w.last_heartbeat !== null && (latest === null || w.last_heartbeat > latest)) latest = w.last_heartbeat;
    }
    return latest;
  }

  async workers(query: WorkerQuery, options?: ReadOptions): Promise<Parsed<Worker>> {
    checkAborted(options);
    const ids = query.ids ? new Set(query.ids) : null;
    const statuses = query.statuses ? new Set(query.statuses) : null;
    let rows = this.workerRows.filter(
      (w) =>
        (!ids || ids.has(w.id)) &&
        (!statuses || statuses.has(w.status)) &&
        within(w.created_at, query.createdFrom, query.createdTo) &&
        (query.idPrefix === undefined || w.id.startsWith(query.idPrefix)),
    );
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    return { rows, problems: ids ? this.problems.workers.filter((p) => ids.has(p.rowId)) : this.problems.workers };
  }

  async tasks(query: TaskQuery, options?: ReadOptions): Promise<Parsed<Task>> {
    checkAborted(options);
    const ids = query.ids ? new Set(query.ids) : null;
    const workerIds = query.workerIds ? new Set(query.workerIds) : null;
    const statuses = query.statuses ? new Set<string>(query.statuses) : null;
    let rows = this.taskRows.filter(
      (t) =>
        (!ids || ids.has(t.id)) &&
        (!workerIds || (t.worker_id !== null && workerIds.has(t.worker_id))) &&
        (!statuses || statuses.has(t.status)) &&
        within(t.created_at, query.createdFrom, query.createdTo) &&
        withinUpdated(t.updated_at, query.updatedFrom, query.updatedTo),
    );
    if (query.newestFirst) rows = rows.reverse();
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    return { rows, problems: problemsFor(this.problems.tasks, ids, workerIds) };
  }

  async logs(query: LogQuery, options?: ReadOptions): Promise<Parsed<SystemLog>> {
    checkAborted(options);
    let candidates: SystemLog[];
    if (query.workerIds) {
      candidates = [];
      for (const id of new Set(query.workerIds)) candidates.push(...(this.logsByWorker.get(id) ?? []));
      if (query.workerIds.length > 1) candidates.sort(compareLogs);
    } else {
      candidates = this.logRows;
    }
    const families = query.families;
    const taskIds = query.taskIds ? new Set(query.taskIds) : null;
    const levels = query.levels ? new Set(query.levels.map((level) => level.toUpperCase())) : null;
    const rows = candidates.filter(
      (l) =>
        within(l.timestamp, query.since, query.until) &&
        (!taskIds || (l.task_id !== null && taskIds.has(l.task_id))) &&
        (levels === null || levels.has(l.log_level)) &&
        (families === undefined || families.some((f) => familyMatches(f, l))),
    );
    return { rows, problems: problemsFor(this.problems.system_logs, null, query.workerIds ? new Set(query.workerIds) : null) };
  }

  async close(): Promise<void> {
    /* nothing to release */
  }
}

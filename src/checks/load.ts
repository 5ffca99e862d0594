/**
 * Reading what an analysis needs, in as few dependent rounds as possible: one worker's row, tasks
 * and logs are read concurrently (one round, plus the log pages past the first); a fleet is read
 * as workers, then their tasks and log signals in batches, never one query per worker.
 */
import { BUILT_IN_VOCABULARY, isFamilyLine, type FamilyMatcher, type Vocabulary } from '../config/vocabulary.js';
import { NotFoundError, UsageError } from '../errors.js';
import { shownInput } from '../redact.js';
import { ProblemLog } from '../rows/problems.js';
import { asOfView } from '../sources/as-of.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { formatInstant, type Instant } from '../rows/time.js';
import type { ReadOptions, Source, WorkerQuery } from '../sources/types.js';
import type { WorkerCase } from '../analyses/cases.js';
import { computeWorkerSignals } from '../analyses/worker-signals.js';
import { stalledWorkers, type StalledWorker } from '../analyses/crash-patterns.js';
import { heartbeatOf } from '../analyses/heartbeat.js';
import { evidenceOf, type EvidenceLine, type WorkerSignals } from '../rows/signals.js';
import { compareLogs, groupByWorker } from '../rows/order.js';
import type { SwitchCase } from '../analyses/cases.js';
import type { TimeWindow } from '../rows/window.js';

export interface ReadContext {
  source: Source;
  asOf: Instant;
  problems: ProblemLog;
  read?: ReadOptions;
  /** Compute log signals in-process even when the source can do it in the database. */
  inProcess?: boolean;
  /** The marker families the checks read lines by: built in, or extended by a markers file. */
  vocabulary: Vocabulary;
}

/**
 * Reads of `source` as of `asOf`: nothing created or written after it, and, when `dataAt` (the
 * instant the data describes) is later, rows put back as they stood then (see sources/as-of.ts).
 */
export function readContext(source: Source, asOf: Instant, extra: Partial<ReadContext> & { dataAt?: Instant | null } = {}): ReadContext {
  const { dataAt = null, ...rest } = extra;
  return { problems: rest.problems ?? new ProblemLog(), vocabulary: BUILT_IN_VOCABULARY, ...rest, source: asOfView(source, asOf, dataAt), asOf };
}

const WORKER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const MIN_SUGGESTION_STEM = 8;

/** Worker ids are text like `gpu-20251017_130952-95cd7f4c`; reject what cannot be one before querying. */
export function validateWorkerId(id: string): string {
  const trimmed = id.trim();
  if (!WORKER_ID.test(trimmed)) {
    throw new UsageError(
      `malformed worker id "${shownInput(trimmed, 60)}": expected letters, digits and . _ : - (e.g. gpu-20251017_130952-95cd7f4c)`,
    );
  }
  return trimmed;
}

/** Ids that start like the one asked for: the id itself (a shortened id), then shorter stems. */
async function suggestWorkerIds(ctx: ReadContext, id: string): Promise<string[]> {
  // The id itself (a shortened id), the id without its hex suffix, its creation day
  // (`gpu-20251017_`); shorter stems would only list arbitrary workers.
  const stems = [id, id.replace(/[0-9a-f]+$/i, ''), id.slice(0, Math.min(id.length, 13))];
  for (const stem of [...new Set(stems)].filter((s) => s.length >= MIN_SUGGESTION_STEM)) {
    const found = await ctx.source.workers({ idPrefix: stem, limit: 5 }, ctx.read);
    if (found.rows.length > 0) return found.rows.map((w) => w.id);
  }
  return [];
}

export async function workerNotFound(ctx: ReadContext, id: string): Promise<NotFoundError> {
  const suggestions = (await suggestWorkerIds(ctx, id)).filter((s) => s !== id);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
  return new NotFoundError(`worker ${id} not found in ${ctx.source.label} as of ${formatInstant(ctx.asOf)}${hint}`, suggestions);
}

export interface WorkerEvidence {
  workerId: string;
  /** Null when the row is gone (a deleted worker) while logs or tasks still name it. */
  worker: Worker | null;
  tasks: Task[];
  logs: SystemLog[];
}

/**
 * One worker's row, all its tasks and all its log lines up to as-of, read concurrently. `tasks` or
 * `logs` false skips that read (their list is then empty). Not found: no row and nothing read names it.
 */
export async function loadWorkerEvidence(
  ctx: ReadContext,
  workerId: string,
  parts: { tasks?: boolean; logs?: boolean } = {},
): Promise<WorkerEvidence> {
  const id = validateWorkerId(workerId);
  const none = { rows: [], problems: [] };
  const [workers, tasks, logs] = await Promise.all([
    ctx.source.workers({ ids: [id] }, ctx.read),
    parts.tasks === false ? none : ctx.source.tasks({ workerIds: [id] }, ctx.read),
    parts.logs === false ? none : ctx.source.logs({ workerIds: [id], until: ctx.asOf }, ctx.read),
  ]);
  for (const r of [workers, tasks, logs]) ctx.problems.add(r.problems);
  const worker = workers.rows.find((w) => w.id === id) ?? null;
  if (!worker && tasks.rows.length === 0 && logs.rows.length === 0) throw await workerNotFound(ctx, id);
  return { workerId: id, worker, tasks: tasks.rows, logs: logs.rows };
}

/** The worker row, or a NotFoundError saying what remains of a deleted worker. */
export function requireWorkerRow(ctx: ReadContext, evidence: WorkerEvidence): Worker {
  if (evidence.worker) return evidence.worker;
  throw new NotFoundError(
    `worker ${evidence.workerId} has no row in ${ctx.source.label} (deleted?), but ${evidence.logs.length} log line(s) and ${evidence.tasks.length} task(s) name it: try \`worker-forensics logs ${evidence.workerId}\``,
  );
}

/** Per-worker log signals: in the database when the source can, else from the rows. */
export async function loadSignals(ctx: ReadContext, workerIds: readonly string[]): Promise<Map<string, WorkerSignals>> {
  if (workerIds.length === 0) return new Map();
  if (ctx.source.workerSignals && !ctx.inProcess) return ctx.source.workerSignals(workerIds, ctx.asOf, ctx.vocabulary, ctx.read);
  const logs = await ctx.source.logs({ workerIds, until: ctx.asOf }, ctx.read);
  ctx.problems.add(logs.problems);
  return computeWorkerSignals(workerIds, logs.rows, ctx.asOf, ctx.vocabulary);
}

export interface FleetCases {
  workers: Worker[];
  tasks: Task[];
  cases: WorkerCase[];
}

/** Workers matching the query, with their tasks and log signals (two rounds, batched). */
export async function loadFleetCases(ctx: ReadContext, query: WorkerQuery): Promise<FleetCases> {
  const workers = await ctx.source.workers(query, ctx.read);
  ctx.problems.add(workers.problems);
  const ids = workers.rows.map((w) => w.id);
  if (ids.length === 0) return { workers: [], tasks: [], cases: [] };
  const [tasks, signals] = await Promise.all([ctx.source.tasks({ workerIds: ids }, ctx.read), loadSignals(ctx, ids)]);
  ctx.problems.add(tasks.problems);
  const tasksByWorker = groupByWorker(tasks.rows);
  const cases = workers.rows.map((worker) => ({
    worker,
    tasks: tasksByWorker.get(worker.id) ?? [],
    signals: signals.get(worker.id)!,
  }));
  return { workers: workers.rows, tasks: tasks.rows, cases };
}

/**
 * Of these workers, the live ones whose main loop stopped while they hold a task (stalled, or hung
 * loading a VLM): their In Progress tasks and log signals are read for the live ones only.
 */
export async function loadStalledWorkers(ctx: ReadContext, workers: readonly Worker[]): Promise<StalledWorker[]> {
  const live = workers.filter((w) => { const state = heartbeatOf(w, ctx.asOf).state; return state === 'alive' || state === 'aging'; });
  if (live.length === 0) return [];
  const ids = live.map((w) => w.id);
  const tasks = await ctx.source.tasks({ workerIds: ids, statuses: ['In Progress'] }, ctx.read);
  ctx.problems.add(tasks.problems);
  const byWorker = groupByWorker(tasks.rows);
  const holding = live.filter((w) => byWorker.has(w.id));
  if (holding.length === 0) return [];
  const signals = await loadSignals(ctx, holding.map((w) => w.id));
  return stalledWorkers(
    holding.map((worker) => ({ worker, tasks: byWorker.get(worker.id)!, signals: signals.get(worker.id)! })),
    ctx.asOf,
    ctx.vocabulary,
  );
}

/** The workers' switch lines in the window (the guide's §12 entry query), by the vocabulary's `model_switch` family. */
async function switchLines(ctx: ReadContext, window: TimeWindow): Promise<SystemLog[]> {
  const lines = await ctx.source.logs(
    { families: [ctx.vocabulary.families.model_switch], since: window.from, until: Math.min(window.to, ctx.asOf) },
    ctx.read,
  );
  ctx.problems.add(lines.problems);
  return lines.rows;
}

/** Ids of the workers that logged a MODEL SWITCH in the window. */
export async function workersThatSwitched(ctx: ReadContext, window: TimeWindow): Promise<string[]> {
  const lines = await switchLines(ctx, window);
  return [...new Set(lines.map((l) => l.worker_id).filter((id): id is string => id !== null))].sort();
}

/**
 * Workers that switched models in the window, as what crash timing needs: their rows, their
 * In Progress tasks, their last switch, and their memory-profile, RAM and shutdown lines. Three
 * reads after the switch lines, none of them the workers' whole logs: an investigation's fleet
 * comparison stays quick on a large fleet. Equal, for `crashTiming`, to the full cases of
 * `loadSwitchedCases`.
 */
export async function loadSwitchTimingCases(ctx: ReadContext, window: TimeWindow): Promise<SwitchCase[]> {
  const lastSwitch = lastLineByWorker(await switchLines(ctx, window));
  const ids = [...lastSwitch.keys()].sort();
  if (ids.length === 0) return [];
  const { memory_profile, ram, shutdown } = ctx.vocabulary.families;
  const [workers, tasks, lines] = await Promise.all([
    ctx.source.workers({ ids }, ctx.read),
    ctx.source.tasks({ workerIds: ids, statuses: ['In Progress'] }, ctx.read),
    ctx.source.logs({ workerIds: ids, families: [memory_profile, ram, shutdown], until: ctx.asOf }, ctx.read),
  ]);
  for (const r of [workers, tasks, lines]) ctx.problems.add(r.problems);
  const ofFamily = (family: FamilyMatcher) => lines.rows.filter((l) => isFamilyLine(ctx.vocabulary, family.family, l));
  const lastProfile = lastLineByWorker(ofFamily(memory_profile));
  const lastShutdown = lastLineByWorker(ofFamily(shutdown));
  const ramBefore = lastLineByWorker(ofFamily(ram).filter((l) => compareLogs(l, lastSwitch.get(l.worker_id!)!) < 0));
  const tasksByWorker = groupByWorker(tasks.rows);
  return workers.rows.map((worker) => ({
    worker,
    tasks: tasksByWorker.get(worker.id) ?? [],
    signals: {
      last_model_switch: evidenceOrNull(lastSwitch.get(worker.id)),
      memory_profile_line: evidenceOrNull(lastProfile.get(worker.id)),
      ram_before_switch: evidenceOrNull(ramBefore.get(worker.id)),
      last_shutdown_log: evidenceOrNull(lastShutdown.get(worker.id)),
    },
  }));
}

function lastLineByWorker(lines: readonly SystemLog[]): Map<string, SystemLog> {
  const last = new Map<string, SystemLog>();
  for (const line of lines) {
    if (line.worker_id === null) continue;
    const seen = last.get(line.worker_id);
    if (!seen || compareLogs(line, seen) > 0) last.set(line.worker_id, line);
  }
  return last;
}

function evidenceOrNull(line: SystemLog | undefined): EvidenceLine | null {
  return line ? evidenceOf(line) : null;
}

/** Workers that switched models in the window, as full cases (for §12, which counts the lines after each switch). */
export async function loadSwitchedCases(ctx: ReadContext, window: TimeWindow): Promise<FleetCases> {
  const ids = await workersThatSwitched(ctx, window);
  if (ids.length === 0) return { workers: [], tasks: [], cases: [] };
  return loadFleetCases(ctx, { ids });
}


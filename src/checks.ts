/**
 * Every check of the guide as one typed call: read what it needs from the session's source, run
 * the pure analysis, return the result object (the CLI's --json document). The CLI commands and
 * the notebooks both call these, so a notebook shows exactly what the CLI prints.
 */
import { DEFAULT_FAILED_TASK_LIMIT, DEFAULT_WINDOW_HOURS, THRESHOLDS } from './config/thresholds.js';
import type { LogLevel } from './config/markers.js';
import { activeWorkers } from './analyses/active-workers.js';
import { classifyWorkers, countByPattern, type Classification } from './analyses/crash-patterns.js';
import { crashTiming, type CrashTiming, type CrashTimingDimension } from './analyses/crash-timing.js';
import { failedTasks } from './analyses/failed-tasks.js';
import { fleetReport } from './analyses/fleet-report.js';
import { iso } from './analyses/format.js';
import { heartbeatCadence } from './analyses/heartbeat-cadence.js';
import { heartbeatGaps } from './analyses/heartbeat-gaps.js';
import { investigateWorker, type Investigation } from './analyses/investigation.js';
import { memoryProfile } from './analyses/memory-profile.js';
import { modelLoadCrashes } from './analyses/model-load-crashes.js';
import { modelSwitch } from './analyses/model-switch.js';
import { orphanedTasks } from './analyses/orphaned-tasks.js';
import { quickCheck } from './analyses/quick-check.js';
import { recentWorkers, type TimeWindow } from './analyses/recent-workers.js';
import { staleWorkers } from './analyses/stale-workers.js';
import { computeSignalsForWorker } from './analyses/worker-signals.js';
import { workerLogs } from './analyses/worker-logs.js';
import { workerStatus } from './analyses/worker-status.js';
import { workerTasks } from './analyses/worker-tasks.js';
import { NotFoundError } from './errors.js';
import {
  hoursWindow,
  loadFleetCases,
  loadSwitchedCases,
  loadSwitchTimingCases,
  loadWorkerEvidence,
  requireWorkerRow,
  validateWorkerId,
  workerNotFound,
  type ReadContext,
  type WorkerEvidence,
} from './load.js';

const asOfOf = (read: ReadContext) => ({ as_of: iso(read.asOf) });

/**
 * A worker to check: its id (the check reads what it needs), or evidence already read with
 * `loadWorkerEvidence` (a notebook reads once, then runs several checks and draws figures).
 */
export type WorkerRef = string | WorkerEvidence;

function evidenceOf(read: ReadContext, ref: WorkerRef, parts: { tasks?: boolean; logs?: boolean } = {}): Promise<WorkerEvidence> {
  return typeof ref === 'string' ? loadWorkerEvidence(read, ref, parts) : Promise.resolve(ref);
}

/** §1 */
export async function status(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker, { tasks: false, logs: false });
  return { ...asOfOf(read), ...workerStatus(requireWorkerRow(read, evidence), read.asOf) };
}

/** §2 */
export async function logs(read: ReadContext, worker: WorkerRef, filter: { limit?: number; level?: LogLevel; search?: string } = {}) {
  const evidence = await evidenceOf(read, worker, { tasks: false });
  return { ...asOfOf(read), ...workerLogs(evidence.workerId, evidence.logs, read.asOf, filter) };
}

/** §3 */
export async function tasks(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker, { logs: false });
  return { ...asOfOf(read), ...workerTasks(evidence.workerId, evidence.tasks) };
}

/** §4A */
export async function heartbeats(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker, { tasks: false });
  return { ...asOfOf(read), ...heartbeatGaps(evidence.workerId, evidence.logs, read.asOf, evidence.worker) };
}

/** §4B */
export async function modelSwitchCheck(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker);
  return { ...asOfOf(read), ...modelSwitch(requireWorkerRow(read, evidence), evidence.tasks, evidence.logs, read.asOf) };
}

export interface ClassifyResult {
  as_of: string;
  window_hours?: number;
  counts: ReturnType<typeof countByPattern>;
  workers: Classification[];
}

/**
 * §5: the named workers (in the order given; unknown ones come back in `missing`), or those
 * created in the last `hours`, newest first.
 */
export async function classify(
  read: ReadContext,
  options: { workerIds?: readonly string[]; hours?: number } = {},
): Promise<{ result: ClassifyResult; missing: NotFoundError[] }> {
  // Empty ids are "not given" (a notebook parameter left blank), so the window applies.
  const ids = (options.workerIds ?? []).filter((id) => id.trim() !== '').map(validateWorkerId);
  const hours = options.hours ?? DEFAULT_WINDOW_HOURS.crashes;
  const window = hoursWindow(read.asOf, hours);
  const fleet = await loadFleetCases(read, ids.length ? { ids } : { createdFrom: window.from, createdTo: window.to });
  const found = new Set(fleet.workers.map((w) => w.id));
  const missing = await Promise.all(ids.filter((id) => !found.has(id)).map((id) => workerNotFound(read, id)));
  const byId = new Map(classifyWorkers(fleet.cases, read.asOf).map((c) => [c.id, c]));
  const workers = ids.length ? ids.flatMap((id) => byId.get(id) ?? []) : [...fleet.workers].reverse().flatMap((w) => byId.get(w.id) ?? []);
  return {
    result: { ...asOfOf(read), ...(ids.length ? {} : { window_hours: hours }), counts: countByPattern(workers), workers },
    missing,
  };
}

/** §6 */
export async function quick(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker);
  return { ...asOfOf(read), ...quickCheck(evidence.workerId, evidence.worker, evidence.tasks, evidence.logs, read.asOf) };
}

/** §7 */
export async function active(read: ReadContext) {
  const workers = await read.source.workers({ statuses: ['active'] }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...activeWorkers(workers.rows, read.asOf) };
}

/** §8 */
export async function recent(read: ReadContext, window: TimeWindow = hoursWindow(read.asOf, DEFAULT_WINDOW_HOURS.recent)) {
  const workers = await read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...recentWorkers(workers.rows, window, read.asOf) };
}

/** §9 */
export async function stale(read: ReadContext, thresholdS: number = THRESHOLDS.heartbeatDeadS) {
  const workers = await read.source.workers({ statuses: ['active'] }, read.read);
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...staleWorkers(workers.rows, read.asOf, thresholdS) };
}

/** §10: the newest failed tasks fleet-wide (default 50), or all of one worker's. */
export async function failed(read: ReadContext, options: { workerId?: string; limit?: number } = {}) {
  const workerId = options.workerId === undefined || options.workerId.trim() === '' ? undefined : validateWorkerId(options.workerId);
  const limit = options.limit ?? (workerId ? undefined : DEFAULT_FAILED_TASK_LIMIT);
  const rows = await read.source.tasks(
    { statuses: ['Failed'], newestFirst: true, ...(workerId ? { workerIds: [workerId] } : {}), ...(limit ? { limit } : {}) },
    read.read,
  );
  read.problems.add(rows.problems);
  // No failed task of a worker the source has never heard of is "not found", not "none".
  if (workerId && rows.rows.length === 0) await loadWorkerEvidence(read, workerId, { logs: false });
  return { ...asOfOf(read), worker_id: workerId ?? null, limit: limit ?? null, ...failedTasks(rows.rows, limit) };
}

/** §11: In Progress tasks, then their workers in one batch (no query per task). */
export async function orphans(read: ReadContext) {
  const inProgress = await read.source.tasks({ statuses: ['In Progress'] }, read.read);
  read.problems.add(inProgress.problems);
  const workerIds = [...new Set(inProgress.rows.flatMap((t) => (t.worker_id === null ? [] : [t.worker_id])))];
  const workers = workerIds.length ? await read.source.workers({ ids: workerIds }, read.read) : { rows: [], problems: [] };
  read.problems.add(workers.problems);
  return { ...asOfOf(read), ...orphanedTasks(inProgress.rows, workers.rows, read.asOf) };
}

/** §12 */
export async function modelLoadCrashesCheck(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.crashes) {
  const window = hoursWindow(read.asOf, hours);
  const fleet = await loadSwitchedCases(read, window);
  return { ...asOfOf(read), window_hours: hours, ...modelLoadCrashes(fleet.cases, window, read.asOf) };
}

/** §13 */
export async function report(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.report) {
  const window = hoursWindow(read.asOf, hours);
  const [workers, windowTasks] = await Promise.all([
    read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read),
    read.source.tasks({ createdFrom: window.from, createdTo: window.to }, read.read),
  ]);
  read.problems.add(workers.problems);
  read.problems.add(windowTasks.problems);
  return { ...asOfOf(read), ...fleetReport(workers.rows, windowTasks.rows, window, read.asOf), window_hours: hours };
}

/** §14 */
export async function memory(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker, { tasks: false });
  const signals = computeSignalsForWorker(evidence.workerId, evidence.logs, read.asOf);
  return { ...asOfOf(read), ...memoryProfile(evidence.workerId, signals.memory_profile_line) };
}

/** Crash timings across failed workers, split by one attribute. */
export async function crashTimingCheck(
  read: ReadContext,
  options: { hours?: number; by?: CrashTimingDimension } = {},
): Promise<CrashTiming & { as_of: string; window_hours: number }> {
  const hours = options.hours ?? DEFAULT_WINDOW_HOURS.crashes;
  const window = hoursWindow(read.asOf, hours);
  const cases = await loadSwitchTimingCases(read, window);
  return { ...asOfOf(read), window_hours: hours, ...crashTiming(cases, window, read.asOf, options.by ?? 'gpu') };
}

/** The crash-timing comparison split every way at once (one read of the fleet). */
export async function crashTimingAllSplits(
  read: ReadContext,
  hours: number = DEFAULT_WINDOW_HOURS.crashes,
): Promise<Record<CrashTimingDimension, CrashTiming & { as_of: string; window_hours: number }>> {
  const window = hoursWindow(read.asOf, hours);
  const cases = await loadSwitchTimingCases(read, window);
  const split = (by: CrashTimingDimension) => ({ ...asOfOf(read), window_hours: hours, ...crashTiming(cases, window, read.asOf, by) });
  return { gpu: split('gpu'), ram_tier: split('ram_tier'), memory_profile: split('memory_profile'), model: split('model') };
}

export interface InvestigationData {
  investigation: Investigation;
  evidence: WorkerEvidence;
  fleetTiming: CrashTiming;
}

/** §15 for one worker, with the evidence behind it and the fleet's crash timings of the last `hours`. */
export async function investigation(read: ReadContext, workerId: string, options: { hours?: number } = {}): Promise<InvestigationData> {
  const window = hoursWindow(read.asOf, options.hours ?? DEFAULT_WINDOW_HOURS.crashes);
  const [evidence, fleet] = await Promise.all([loadWorkerEvidence(read, workerId), loadSwitchTimingCases(read, window)]);
  const worker = requireWorkerRow(read, evidence);
  const fleetTiming = crashTiming(fleet, window, read.asOf);
  return { investigation: investigateWorker(worker, evidence.tasks, evidence.logs, read.asOf, fleetTiming), evidence, fleetTiming };
}

/** §16 */
export async function cadence(read: ReadContext, worker: WorkerRef) {
  const evidence = await evidenceOf(read, worker, { tasks: false });
  return { ...asOfOf(read), ...heartbeatCadence(requireWorkerRow(read, evidence), evidence.logs, read.asOf) };
}

/** Crash patterns that are deaths worth a postmortem (not `no_crash`, not `not_started`). */
const DEATH_PATTERNS: ReadonlySet<string> = new Set(['oom_model_load', 'init_failure', 'vlm_loading_hang', 'unexplained']);

/**
 * The worker a notebook looks at: the one named, else the most recent death among workers created
 * in the last `hours`, else the newest worker. Says which and why; NotFoundError when none exists.
 */
export async function resolveWorker(read: ReadContext, workerId: string, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<{ id: string; reason: string }> {
  if (workerId.trim() !== '') return { id: validateWorkerId(workerId), reason: 'as given' };
  const { result } = await classify(read, { hours });
  const deaths = result.workers.filter((c) => DEATH_PATTERNS.has(c.pattern) && c.died_at !== null);
  deaths.sort((a, b) => b.died_at!.localeCompare(a.died_at!) || a.id.localeCompare(b.id));
  if (deaths[0]) return { id: deaths[0].id, reason: `no workerId given: the most recent death in the last ${hours} h (${deaths[0].pattern}, died ${deaths[0].died_at})` };
  const newest = result.workers[0];
  if (newest) return { id: newest.id, reason: `no workerId given and no death in the last ${hours} h: the newest worker` };
  throw new NotFoundError(`no worker was created in the last ${hours} h in ${read.source.label}: set workerId`);
}

/** For each crash pattern seen in the window, its most recent example (newest death first). */
export async function patternExamples(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<Classification[]> {
  const { result } = await classify(read, { hours });
  const examples = new Map<string, Classification>();
  const byDeath = [...result.workers].sort((a, b) => (b.died_at ?? '').localeCompare(a.died_at ?? '') || a.id.localeCompare(b.id));
  for (const c of byDeath) if (DEATH_PATTERNS.has(c.pattern) && !examples.has(c.pattern)) examples.set(c.pattern, c);
  return [...examples.values()];
}

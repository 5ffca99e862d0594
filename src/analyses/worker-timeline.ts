/**
 * Issue 11 `timeline <worker>`: one ordered list of a worker's lifecycle events from all three
 * tables, the idle time before its end, and what ended it.
 *
 * Events (instants in epoch µs; `at: null` for undated metadata, listed last):
 * - `created` (workers.created_at); `startup` lines (the `startup` family); `first_heartbeat`: the
 *   first logged heartbeat line — the DB keeps only the last heartbeat, so the first one is known
 *   only when the worker logs heartbeat lines (`first_heartbeat_known` says so);
 * - `ready`: the first `ready` line, else the first task claim (`via`), whatever
 *   `metadata.startup_phase` says (it carries no time; it is returned beside the events);
 * - `task_claimed` (the worker's `task_claim` line for the task, else `generation_started_at`, else
 *   its first line for the task); `task_completed` / `task_failed` / `task_cancelled` (the task row,
 *   still the worker's: `generation_processed_at`, else `updated_at`); `task_released`: a task the
 *   worker wrote lines for whose row is no longer its own (requeued, reset, taken by another
 *   worker), at the worker's last line for it, with the row's status, holder and error trace;
 * - `model_switch` (the `model_switch` family, its `to` model) and `model_loaded`;
 * - the worker's `warning_line`s and `error_line`s (WARNING; ERROR/CRITICAL);
 * - `heartbeat_line`s after the first; `shutdown` lines; `last_own_line`; `last_heartbeat` (the DB's);
 * - the orchestrator's `orchestrator_mark` lines (the `orchestrator_error` family), its
 *   `orchestrator_verdict` (`metadata.error_time`, `error_code`, `error_reason`), and the row's
 *   `final_status` when it is ended (`error`, `crashed`, `terminating`, `terminated`, or
 *   `self_terminated` / `termination_reason` recorded): undated.
 *
 * Collapsing: consecutive events with the same key — heartbeat lines; switches to the same model;
 * loads of the same model; warning, error, start-up, shutdown and orchestrator lines with the same
 * text — become one entry with `count` and `until` (the last one's instant). Heartbeat lines never
 * break another kind's run (they run beside everything); any other event breaks a heartbeat run.
 * Task events and the single lifecycle instants never collapse.
 *
 * `ended_by` (from death.ts and the crash-pattern classification, which read the same evidence):
 * - `still_running`: the life is not over (DB heartbeat alive or aging, status not ended);
 * - `clean_shutdown`: over with evidence of a clean end (a shutdown line, `self_terminated`,
 *   `termination_reason`) or a quiet end (terminated, no error recorded, no task left);
 * - `crash`: the worker reported `crashed`, or its heartbeat stopped before any kill (a kill after
 *   the death is the aftermath);
 * - `orchestrator_kill`: the orchestrator marked it as error while its heartbeat was alive or aging.
 * The end instant: the kill for `orchestrator_kill`, the shutdown line (else the last DB heartbeat)
 * for `clean_shutdown`, the last DB heartbeat for `crash`.
 *
 * `idle_before_end_s` = end − the last task the worker finished (completed, failed or cancelled as
 * its own row; a released task ends at its last line unless that is the worker's last own line).
 * Null, with `idle_unknown` saying why: `still_running`, `no_task_finished`, `busy_at_end` (it held
 * a task when it ended: a crash mid-task is no idle time), `end_unknown` (no heartbeat ever).
 */
import { ERROR_LEVELS, type MarkerFamily } from '../config/markers.js';
import { lineFamilies, readFamilyValues, type Vocabulary } from '../config/vocabulary.js';
import { isWorkerLine } from '../rows/log-lines.js';
import { compareLogs } from '../rows/order.js';
import { isEndedStatus, taskFinishedAt, type SystemLog, type Task, type TaskStatus, type Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { errorCode, errorReason, errorTime, gpuType, selfTerminated, startupPhase, terminationReason } from '../rows/worker-metadata.js';
import { classifyWorker, type Confidence, type CrashPattern } from './crash-patterns.js';
import { coverageOf, type Coverage } from './coverage.js';
import type { HeartbeatState } from './heartbeat.js';
import { computeSignalsForWorker } from './worker-signals.js';

export const TIMELINE_EVENT_KINDS = [
  'created',
  'startup',
  'first_heartbeat',
  'ready',
  'task_claimed',
  'task_completed',
  'task_failed',
  'task_cancelled',
  'model_switch',
  'model_loaded',
  'heartbeat_line',
  'warning_line',
  'error_line',
  // After the line it is read from: a task leaves the worker after the worker's last line for it.
  'task_released',
  'shutdown',
  'last_own_line',
  'last_heartbeat',
  'orchestrator_mark',
  'orchestrator_verdict',
  'final_status',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];

export const ENDED_BY = ['crash', 'orchestrator_kill', 'clean_shutdown', 'still_running'] as const;
export type EndedBy = (typeof ENDED_BY)[number];

/** What `ended_by` rests on. */
export type EndBasis =
  | 'heartbeat_fresh'
  | 'shutdown_line'
  | 'self_terminated'
  | 'termination_reason'
  | 'quiet_end'
  | 'status_crashed'
  | 'killed_while_alive'
  | 'killed_after_death'
  | 'status_error'
  | 'status_terminated'
  | 'heartbeat_stale';

/** Why there is no idle time before the end. */
export type IdleUnknown = 'still_running' | 'no_task_finished' | 'busy_at_end' | 'end_unknown';

export interface TimelineEvent {
  /** Null: undated (metadata), listed last. */
  at: Instant | null;
  kind: TimelineEventKind;
  /** The evidence as read: the log line, the task's type and id (and error trace), the metadata value. */
  detail: string;
  /** How many identical events this entry stands for. */
  count: number;
  /** `workers`, `tasks`, or `system_logs:<source_type>`. */
  source: string;
  /** The last collapsed event's instant (only when count > 1). */
  until?: Instant;
  /** Task events: the task. */
  task_id?: string;
  /** Task events: the task row's status now (a released task's may be another worker's). */
  task_status?: TaskStatus | null;
  /** `task_released`: who holds the task now (null: nobody, or the row is gone). */
  task_worker_id?: string | null;
  /** Model events: the model switched to or loaded (when the line names it). */
  model?: string;
  /** `ready`: a ready line, or the first task claim. */
  via?: 'ready_line' | 'first_claim';
}

export interface WorkerTimeline {
  worker_id: string;
  status: string;
  created_at: Instant;
  last_heartbeat: Instant | null;
  heartbeat_state: HeartbeatState;
  /** `metadata.startup_phase` (undated). */
  startup_phase: string | null;
  events: TimelineEvent[];
  /** The end of the worker's life (null while it runs, or when it never sent a heartbeat). */
  end_at: Instant | null;
  ended_by: EndedBy;
  end_basis: EndBasis;
  /** The crash pattern of the same evidence (classify), and its confidence. */
  pattern: CrashPattern;
  confidence: Confidence | null;
  /** The last task the worker finished, and when. */
  last_finished_at: Instant | null;
  last_finished_task_id: string | null;
  idle_before_end_s: number | null;
  idle_unknown: IdleUnknown | null;
  /** The DB keeps only the last heartbeat: the first is known from a logged heartbeat line only. */
  first_heartbeat_known: boolean;
  /** Lines of each marker family the timeline reads. */
  coverage: Coverage;
}

/** The marker families the timeline reads: its coverage. */
export const TIMELINE_FAMILIES: readonly MarkerFamily[] = [
  'startup',
  'ready',
  'task_claim',
  'heartbeat',
  'model_switch',
  'model_loaded',
  'shutdown',
  'orchestrator_error',
];

/** Order of kinds at the same instant: the order of a life. */
const KIND_RANK: Readonly<Record<TimelineEventKind, number>> = Object.fromEntries(TIMELINE_EVENT_KINDS.map((k, i) => [k, i])) as Record<TimelineEventKind, number>;

interface Draft {
  event: TimelineEvent;
  /** Events with the same non-null key collapse when consecutive. */
  key: string | null;
  /** The log line's id, for a stable order at equal instants. */
  lineId: string;
}

const lineSource = (l: Pick<SystemLog, 'source_type'>) => `system_logs:${l.source_type}`;

function lineDraft(line: SystemLog, kind: TimelineEventKind, key: string | null, extra: Partial<TimelineEvent> = {}): Draft {
  return { event: { at: line.timestamp, kind, detail: line.message, count: 1, source: lineSource(line), ...extra }, key, lineId: line.id };
}

function rowDraft(at: Instant | null, kind: TimelineEventKind, detail: string, source: string, extra: Partial<TimelineEvent> = {}): Draft {
  return { event: { at, kind, detail, count: 1, source, ...extra }, key: null, lineId: '' };
}

function compareDrafts(a: Draft, b: Draft): number {
  const at = a.event.at;
  const bt = b.event.at;
  if (at !== bt) {
    if (at === null) return 1;
    if (bt === null) return -1;
    return at - bt;
  }
  return KIND_RANK[a.event.kind] - KIND_RANK[b.event.kind] || (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0);
}

/** Consecutive events with the same key as one entry; heartbeat lines run beside the others (see the module comment). */
export function collapseEvents(drafts: readonly Draft[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  let lastKey: string | null = null;
  let lastIndex = -1;
  let heartbeatIndex = -1;
  const extend = (index: number, e: TimelineEvent) => {
    const entry = out[index]!;
    entry.count++;
    if (e.at !== null) entry.until = e.at;
  };
  for (const d of drafts) {
    if (d.event.kind === 'heartbeat_line') {
      if (heartbeatIndex >= 0) extend(heartbeatIndex, d.event);
      else heartbeatIndex = out.push({ ...d.event }) - 1;
      continue;
    }
    heartbeatIndex = -1;
    if (d.key !== null && d.key === lastKey) {
      extend(lastIndex, d.event);
      continue;
    }
    lastIndex = out.push({ ...d.event }) - 1;
    lastKey = d.key;
  }
  return out;
}

const taskText = (t: Pick<Task, 'task_type' | 'id'> | null, id: string) => (t ? `${t.task_type} ${t.id}` : id);
const withTrace = (text: string, t: Pick<Task, 'error_message'> | null) => (t?.error_message ? `${text}: ${t.error_message}` : text);

const FINISHED_KIND: Partial<Record<TaskStatus, TimelineEventKind>> = { Complete: 'task_completed', Failed: 'task_failed', Cancelled: 'task_cancelled' };

/**
 * The worker's timeline. `tasks`: its own tasks and those its lines name (any order); `logs`: the
 * lines carrying its id (the worker's and the orchestrator's; lines after `asOf` are ignored).
 */
export function workerTimeline(worker: Worker, tasks: readonly Task[], logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): WorkerTimeline {
  const id = worker.id;
  const lines = logs.filter((l) => l.timestamp <= asOf && l.worker_id === id).sort(compareLogs);
  const ownTasks = tasks.filter((t) => t.worker_id === id);
  const signals = computeSignalsForWorker(id, lines, asOf, vocabulary);
  const classification = classifyWorker({ worker, tasks: ownTasks, signals }, asOf, vocabulary);
  const taskById = new Map(tasks.map((t) => [t.id, t]));

  const drafts: Draft[] = [rowDraft(worker.created_at, 'created', [worker.instance_type, gpuType(worker)].filter((v) => v !== null).join(' '), 'workers')];

  // Per task the worker touched: its claim line, its first and last own line.
  const claimLine = new Map<string, SystemLog>();
  const firstLine = new Map<string, SystemLog>();
  const lastLine = new Map<string, SystemLog>();
  let firstHeartbeat: SystemLog | null = null;
  let readyLine: SystemLog | null = null;
  let lastOwn: SystemLog | null = null;
  /** The worker's last own line other than a heartbeat line. */
  let lastSpoken: SystemLog | null = null;
  for (const line of lines) {
    const families = new Set(lineFamilies(vocabulary, line));
    if (!isWorkerLine(line)) {
      if (families.has('orchestrator_error')) drafts.push(lineDraft(line, 'orchestrator_mark', `orchestrator_mark\u0000${line.message}`));
      continue;
    }
    lastOwn = line;
    if (families.has('task_claim')) {
      const claimed = line.task_id ?? readFamilyValues(vocabulary, 'task_claim', line.message)?.['task'] ?? null;
      if (claimed !== null && !claimLine.has(claimed)) claimLine.set(claimed, line);
    }
    if (line.task_id !== null) {
      if (!firstLine.has(line.task_id)) firstLine.set(line.task_id, line);
      lastLine.set(line.task_id, line);
    }
    if (families.has('heartbeat')) {
      if (firstHeartbeat === null) {
        firstHeartbeat = line;
        drafts.push(lineDraft(line, 'first_heartbeat', null));
      } else drafts.push(lineDraft(line, 'heartbeat_line', 'heartbeat_line'));
      continue;
    }
    lastSpoken = line;
    if (families.has('ready') && readyLine === null) {
      readyLine = line;
      drafts.push(lineDraft(line, 'ready', null, { via: 'ready_line' }));
    } else if (families.has('startup')) drafts.push(lineDraft(line, 'startup', `startup\u0000${line.message}`));
    if (families.has('model_switch')) {
      const model = readFamilyValues(vocabulary, 'model_switch', line.message)?.['to'];
      drafts.push(lineDraft(line, 'model_switch', `model_switch\u0000${model ?? line.message}`, model ? { model } : {}));
    } else if (families.has('model_loaded')) {
      const model = readFamilyValues(vocabulary, 'model_loaded', line.message)?.['to'];
      drafts.push(lineDraft(line, 'model_loaded', `model_loaded\u0000${model ?? line.message}`, model ? { model } : {}));
    }
    if (families.has('shutdown')) drafts.push(lineDraft(line, 'shutdown', `shutdown\u0000${line.message}`));
    if (ERROR_LEVELS.has(line.log_level)) drafts.push(lineDraft(line, 'error_line', `error_line\u0000${line.log_level}\u0000${line.message}`));
    else if (line.log_level === 'WARNING') drafts.push(lineDraft(line, 'warning_line', `warning_line\u0000${line.message}`));
  }
  if (lastOwn) drafts.push(lineDraft(lastOwn, 'last_own_line', null));

  // Tasks: the worker's own rows, and every task its lines name.
  const touched = new Set<string>([...ownTasks.map((t) => t.id), ...firstLine.keys(), ...claimLine.keys()]);
  let firstClaim: Draft | null = null;
  let lastFinished: { at: Instant; id: string } | null = null;
  let busyAtEnd = false;
  for (const taskId of [...touched].sort()) {
    const row = taskById.get(taskId) ?? null;
    const own = row !== null && row.worker_id === id;
    const claim = claimLine.get(taskId) ?? null;
    const claimAt = claim?.timestamp ?? (own ? (row.generation_started_at ?? firstLine.get(taskId)?.timestamp ?? null) : (firstLine.get(taskId)?.timestamp ?? null));
    const extra = { task_id: taskId, task_status: row?.status ?? null };
    if (claimAt !== null) {
      const d = claim
        ? lineDraft(claim, 'task_claimed', null, extra)
        : { ...rowDraft(claimAt, 'task_claimed', taskText(row, taskId), own && row.generation_started_at !== null ? 'tasks' : lineSource(firstLine.get(taskId)!), extra) };
      if (claim) d.event.detail = taskText(row, taskId);
      drafts.push(d);
      if (firstClaim === null || compareDrafts(d, firstClaim) < 0) firstClaim = d;
    }
    let endAt: Instant | null = null;
    if (own && FINISHED_KIND[row.status]) {
      endAt = taskFinishedAt(row) ?? lastLine.get(taskId)?.timestamp ?? null;
      const detail = row.status === 'Complete' ? taskText(row, taskId) : withTrace(taskText(row, taskId), row);
      drafts.push(rowDraft(endAt, FINISHED_KIND[row.status]!, detail, 'tasks', extra));
    } else if (own && row.status === 'In Progress') {
      busyAtEnd = true;
    } else {
      const last = lastLine.get(taskId) ?? null;
      if (last !== null) {
        drafts.push(
          rowDraft(last.timestamp, 'task_released', withTrace(taskText(row, taskId), row), row ? 'tasks' : lineSource(last), {
            ...extra,
            task_worker_id: row?.worker_id ?? null,
          }),
        );
        // The worker's work on it ended at its last line for it, unless it wrote nothing but heartbeat lines after that (it ended on it).
        if (lastSpoken !== null && last.id === lastSpoken.id) busyAtEnd = true;
        else endAt = last.timestamp;
      }
    }
    if (endAt !== null && (lastFinished === null || endAt > lastFinished.at)) lastFinished = { at: endAt, id: taskId };
  }
  if (readyLine === null && firstClaim !== null) {
    drafts.push({ ...rowDraft(firstClaim.event.at, 'ready', firstClaim.event.detail, firstClaim.event.source, { via: 'first_claim' }), lineId: firstClaim.lineId });
  }

  if (worker.last_heartbeat !== null) drafts.push(rowDraft(worker.last_heartbeat, 'last_heartbeat', classification.heartbeat_state, 'workers'));
  const code = errorCode(worker);
  const reason = errorReason(worker);
  if (code !== null || reason !== null || errorTime(worker) !== null) {
    drafts.push(rowDraft(errorTime(worker), 'orchestrator_verdict', [code, reason].filter((v) => v !== null).join(': '), 'workers'));
  }
  const termination = terminationReason(worker);
  if (isEndedStatus(worker.status) || selfTerminated(worker) || termination !== null) {
    const detail = [worker.status, selfTerminated(worker) ? 'self_terminated' : null, termination].filter((v) => v !== null).join(': ');
    drafts.push(rowDraft(null, 'final_status', detail, 'workers'));
  }

  drafts.sort(compareDrafts);
  const events = collapseEvents(drafts);

  // What ended it.
  const orchestrator = classification.orchestrator;
  let endedBy: EndedBy;
  let basis: EndBasis;
  let endAt: Instant | null;
  if (classification.end_reason === null) {
    endedBy = 'still_running';
    basis = 'heartbeat_fresh';
    endAt = null;
  } else if (classification.clean_end !== null) {
    endedBy = 'clean_shutdown';
    basis = classification.clean_end.by === 'shutdown_line' ? 'shutdown_line' : classification.clean_end.by;
    endAt = classification.clean_end.at ?? worker.last_heartbeat;
  } else if (worker.status === 'crashed') {
    endedBy = 'crash';
    basis = 'status_crashed';
    endAt = worker.last_heartbeat;
  } else if (orchestrator?.while_alive === true) {
    endedBy = 'orchestrator_kill';
    basis = 'killed_while_alive';
    endAt = orchestrator.killed_at;
  } else {
    endedBy = 'crash';
    basis = orchestrator?.while_alive === false ? 'killed_after_death' : classification.end_reason;
    endAt = worker.last_heartbeat;
  }

  let idle: number | null = null;
  let idleUnknown: IdleUnknown | null = null;
  if (endedBy === 'still_running') idleUnknown = 'still_running';
  else if (endAt === null) idleUnknown = 'end_unknown';
  else if (busyAtEnd) idleUnknown = 'busy_at_end';
  else if (lastFinished === null) idleUnknown = 'no_task_finished';
  else idle = secondsBetween(lastFinished.at, endAt);

  return {
    worker_id: id,
    status: worker.status,
    created_at: worker.created_at,
    last_heartbeat: worker.last_heartbeat,
    heartbeat_state: classification.heartbeat_state,
    startup_phase: startupPhase(worker),
    events,
    end_at: endAt,
    ended_by: endedBy,
    end_basis: basis,
    pattern: classification.pattern,
    confidence: classification.confidence,
    last_finished_at: lastFinished?.at ?? null,
    last_finished_task_id: lastFinished?.id ?? null,
    idle_before_end_s: idle,
    idle_unknown: idleUnknown,
    first_heartbeat_known: firstHeartbeat !== null,
    coverage: coverageOf(TIMELINE_FAMILIES, signals.family_counts),
  };
}

/**
 * Issue 11, `task <id>`: one task's journey across workers, from the task row, the lines carrying its
 * id (`system_logs.task_id`, whoever wrote them) and the rows and classifications of the workers
 * that held it.
 *
 * Events, in time order:
 * - `created` (tasks.created_at);
 * - `claimed`: a worker's `task_claim` line carrying the id; and the row's claim
 *   (`generation_started_at` by `worker_id`) when no claim line of that worker follows the last
 *   claim of another. Claims are numbered in time order: claim N is attempt N;
 * - `requeued`, `reset`, `auto_failed`: the orchestrator's traces (config/traces.ts) in a line
 *   carrying the id, or in `tasks.error_message`. The column keeps only the latest trace, without a
 *   time: it is dated by `updated_at` when the task still stands as the trace left it (Queued, or
 *   Failed), else by the death of the worker of the attempt it names; else undated (`at` null),
 *   listed before the next claim;
 * - `line` (a worker's own line carrying the id) and `orchestrator_line` (any other writer's);
 * - `worker_died`: the death (last DB heartbeat) of a worker while it held the task;
 * - `completed`, `failed`, `cancelled` (the row's status; at `generation_processed_at`, else
 *   `updated_at`).
 *
 * A worker's hold on the task runs from its claim (or, with no claim seen, its first line for the
 * task) to the next worker's claim. A death interrupted the task when it falls in a hold, the
 * worker had not finished the task before it, and had not handed the task back itself (a requeue
 * line of its own in that hold). Queue time: creation → first claim. Processing time: last claim →
 * finish (Complete or Failed).
 */
import { TASK_TRACE_KINDS, TASK_TRACES, type TaskTraceKind } from '../config/traces.js';
import { isFamilyLine, type Vocabulary } from '../config/vocabulary.js';
import { isWorkerLine } from '../rows/log-lines.js';
import { compareIds, compareLogs } from '../rows/order.js';
import { taskFinishedAt, type SystemLog, type Task } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import type { WorkerCase } from './cases.js';
import { classifyWorker, type Confidence, type CrashPattern } from './crash-patterns.js';

export const JOURNEY_EVENT_KINDS = [
  'created',
  'claimed',
  'line',
  'orchestrator_line',
  'requeued',
  'reset',
  'auto_failed',
  'worker_died',
  'completed',
  'failed',
  'cancelled',
] as const;
export type JourneyEventKind = (typeof JOURNEY_EVENT_KINDS)[number];

export interface JourneyEvent {
  /** Null for a trace the rows cannot date (listed where it must have happened). */
  at: Instant | null;
  kind: JourneyEventKind;
  worker_id: string | null;
  /** The line, the trace, the status or the death's pattern. */
  detail: string;
  /** `tasks`, `tasks.error_message`, `workers`, or `system_logs:<source_type>`. */
  source: string;
  /** The attempt the event belongs to (claims numbered in time order; a trace's own number). */
  attempt: number | null;
  /** The log level of a line. */
  level: string | null;
}

export interface JourneyWorker {
  worker_id: string;
  /** The attempts it made (its claims' numbers). */
  attempts: number[];
  first_at: Instant;
  last_at: Instant;
  /** Lines it wrote carrying the task's id. */
  lines: number;
  /** Its row's status (null: no row, a deleted worker). */
  status: string | null;
  pattern: CrashPattern | null;
  confidence: Confidence | null;
  /** Its death (last DB heartbeat), when its life is over without a clean end. */
  died_at: Instant | null;
}

export interface Interruption {
  worker_id: string;
  attempt: number | null;
  /** When the interrupted hold began (its claim, or its first line for the task). */
  held_from_at: Instant;
  died_at: Instant;
  pattern: CrashPattern;
  confidence: Confidence | null;
  /** The orchestrator's trace names this attempt (`Requeued: worker crashed (attempt N)`). */
  trace_names_it: boolean;
}

export interface TaskTrace {
  kind: TaskTraceKind;
  attempt: number | null;
  minutes: number | null;
  reason: string | null;
  text: string;
}

export interface TaskJourney {
  id: string;
  status: string;
  task_type: string;
  /** The row's `attempts` (null when the row has none). */
  attempts: number | null;
  /** Claims seen (lines and the row). */
  claims: number;
  created_at: Instant;
  first_claim_at: Instant | null;
  last_claim_at: Instant | null;
  finished_at: Instant | null;
  queue_s: number | null;
  processing_s: number | null;
  /** The orchestrator's trace read from `error_message` (null: none). */
  trace: TaskTrace | null;
  error_message: string | null;
  workers: JourneyWorker[];
  events: JourneyEvent[];
  interrupted_by: Interruption[];
}

const TRACE_READERS: readonly [TaskTraceKind, RegExp][] = TASK_TRACE_KINDS.flatMap((kind) =>
  TASK_TRACES[kind].map((source) => [kind, new RegExp(source, 'iu')] as [TaskTraceKind, RegExp]),
);

/** The orchestrator's trace a text holds (the first kind and expression that match), or null. */
export function readTaskTrace(text: string | null): TaskTrace | null {
  if (text === null) return null;
  for (const [kind, reader] of TRACE_READERS) {
    const m = reader.exec(text);
    if (!m) continue;
    const groups = m.groups ?? {};
    const number = (key: string) => (groups[key] === undefined ? null : Number(groups[key]));
    const reason = groups['reason']?.trim();
    return { kind, attempt: number('attempt'), minutes: number('minutes'), reason: reason ? reason : null, text };
  }
  return null;
}


const END_KINDS: Partial<Record<string, JourneyEventKind>> = { Complete: 'completed', Failed: 'failed', Cancelled: 'cancelled' };

interface Hold {
  worker_id: string;
  from: Instant;
  attempt: number;
  claimed: boolean;
}

interface Keyed {
  event: JourneyEvent;
  /** Where an undated event sorts. */
  key: number;
  order: number;
}

export function taskJourney(task: Task, taskLines: readonly SystemLog[], cases: readonly WorkerCase[], asOf: Instant, vocabulary: Vocabulary): TaskJourney {
  const lines = taskLines.filter((l) => l.task_id === task.id && l.timestamp <= asOf).sort(compareLogs);
  const classifications = new Map(cases.map((c) => [c.worker.id, classifyWorker(c, asOf, vocabulary)]));
  const events: Keyed[] = [];
  const push = (event: JourneyEvent, key = event.at ?? Number.POSITIVE_INFINITY) => events.push({ event, key, order: events.length });

  push({ at: task.created_at, kind: 'created', worker_id: null, detail: task.task_type, source: 'tasks', attempt: null, level: null });

  // Claims and the lines for the task.
  const claimLines = lines.filter((l) => l.worker_id !== null && isFamilyLine(vocabulary, 'task_claim', l));
  const claims: { worker_id: string; at: Instant; line: SystemLog | null }[] = claimLines.map((l) => ({ worker_id: l.worker_id!, at: l.timestamp, line: l }));
  if (task.worker_id !== null && task.generation_started_at !== null) {
    const lastOther = Math.max(-Infinity, ...claims.filter((c) => c.worker_id !== task.worker_id).map((c) => c.at));
    const logged = claims.some((c) => c.worker_id === task.worker_id && c.at >= lastOther);
    if (!logged) claims.push({ worker_id: task.worker_id, at: task.generation_started_at, line: null });
  }
  claims.sort((a, b) => a.at - b.at || compareIds(a.worker_id, b.worker_id));

  // Holds: each claim, and a worker that wrote for the task with no claim seen holds it from its first line.
  const holds: Hold[] = claims.map((c, i) => ({ worker_id: c.worker_id, from: c.at, attempt: i + 1, claimed: true }));
  const claimed = new Set(claims.map((c) => c.worker_id));
  const firstLineOf = new Map<string, Instant>();
  for (const l of lines) if (l.worker_id !== null && isWorkerLine(l) && !firstLineOf.has(l.worker_id)) firstLineOf.set(l.worker_id, l.timestamp);
  for (const [worker, from] of firstLineOf) if (!claimed.has(worker)) holds.push({ worker_id: worker, from, attempt: 0, claimed: false });
  holds.sort((a, b) => a.from - b.from || compareIds(a.worker_id, b.worker_id));
  holds.forEach((h, i) => (h.attempt = i + 1));
  const holdAt = (worker: string | null, at: Instant): Hold | null => {
    let found: Hold | null = null;
    for (const h of holds) if (h.from <= at && (worker === null || h.worker_id === worker)) found = h;
    return found;
  };
  const nextHoldAfter = (hold: Hold) => holds[holds.indexOf(hold) + 1] ?? null;

  for (const c of claims) {
    const hold = holds.find((h) => h.claimed && h.worker_id === c.worker_id && h.from === c.at)!;
    push({
      at: c.at,
      kind: 'claimed',
      worker_id: c.worker_id,
      detail: c.line?.message ?? 'generation_started_at',
      source: c.line ? `system_logs:${c.line.source_type}` : 'tasks',
      attempt: hold.attempt,
      level: c.line?.log_level ?? null,
    });
  }
  const handedBack = new Set<Hold>();
  const claimLineIds = new Set(claimLines.map((l) => l.id));
  for (const l of lines) {
    if (claimLineIds.has(l.id)) continue;
    const trace = readTaskTrace(l.message);
    const own = isWorkerLine(l);
    const hold = l.worker_id === null ? null : holdAt(own ? l.worker_id : null, l.timestamp);
    if (trace && own && hold && hold.worker_id === l.worker_id) handedBack.add(hold);
    push({
      at: l.timestamp,
      kind: trace ? trace.kind : own ? 'line' : 'orchestrator_line',
      worker_id: l.worker_id,
      detail: l.message,
      source: `system_logs:${l.source_type}`,
      attempt: trace?.attempt ?? (own ? (hold?.attempt ?? null) : null),
      level: l.log_level,
    });
  }

  // The end of the task, and the deaths of the workers that held it.
  const finishedAt = taskFinishedAt(task);
  const lastHold = holds.at(-1) ?? null;
  const interrupted: Interruption[] = [];
  const trace = readTaskTrace(task.error_message);
  for (const hold of holds) {
    const c = classifications.get(hold.worker_id);
    if (!c || c.end_reason === null || c.clean_end !== null || c.died_at === null) continue;
    const next = nextHoldAfter(hold);
    const diedAt = c.died_at;
    if (diedAt < hold.from || (next !== null && diedAt > next.from)) continue;
    if (handedBack.has(hold)) continue;
    if (hold === lastHold && finishedAt !== null && finishedAt <= diedAt && task.worker_id === hold.worker_id) continue;
    const named = trace !== null && trace.kind === 'requeued' && trace.attempt === hold.attempt;
    interrupted.push({
      worker_id: hold.worker_id,
      attempt: hold.attempt,
      held_from_at: hold.from,
      died_at: diedAt,
      pattern: c.pattern,
      confidence: c.confidence,
      trace_names_it: named,
    });
    push({ at: diedAt, kind: 'worker_died', worker_id: hold.worker_id, detail: c.pattern, source: 'workers', attempt: hold.attempt, level: null });
  }

  if (trace !== null && !(trace.kind === 'auto_failed' && task.status === 'Failed')) {
    // Dated when the row still stands as the trace left it, else by the death it reports.
    const standing = task.status === 'Queued' || task.status === 'Failed';
    const named = trace.attempt === null ? null : (holds.find((h) => h.attempt === trace.attempt) ?? null);
    const death = named === null ? null : (interrupted.find((i) => i.attempt === named.attempt) ?? null);
    const at = standing ? task.updated_at : (death?.died_at ?? null);
    // Undated, it came before the claim that followed it: the next attempt's, else the last one.
    const before = (named === null ? null : nextHoldAfter(named)) ?? lastHold;
    push(
      { at, kind: trace.kind, worker_id: named?.worker_id ?? null, detail: trace.text, source: 'tasks.error_message', attempt: trace.attempt, level: null },
      at ?? (before !== null ? before.from - 0.5 : Number.POSITIVE_INFINITY),
    );
  }
  const endKind = END_KINDS[task.status];
  if (endKind !== undefined) {
    push({
      at: finishedAt,
      kind: endKind,
      worker_id: task.worker_id,
      detail: task.status === 'Complete' ? task.status : (task.error_message ?? task.status),
      source: 'tasks',
      attempt: lastHold?.attempt ?? null,
      level: null,
    });
  }

  events.sort((a, b) => a.key - b.key || a.order - b.order);
  const ordered = events.map((e) => e.event);

  const workers: JourneyWorker[] = [];
  for (const e of ordered) {
    if (e.worker_id === null || e.at === null || workers.some((w) => w.worker_id === e.worker_id)) continue;
    const id = e.worker_id;
    const mine = ordered.filter((x) => x.worker_id === id && x.at !== null);
    const c = classifications.get(id) ?? null;
    workers.push({
      worker_id: id,
      attempts: holds.filter((h) => h.worker_id === id).map((h) => h.attempt),
      first_at: mine[0]!.at!,
      last_at: mine.at(-1)!.at!,
      lines: lines.filter((l) => l.worker_id === id && isWorkerLine(l)).length,
      status: cases.find((k) => k.worker.id === id)?.worker.status ?? null,
      pattern: c?.pattern ?? null,
      confidence: c?.confidence ?? null,
      died_at: c && c.end_reason !== null && c.clean_end === null ? c.died_at : null,
    });
  }

  const firstClaim = claims[0]?.at ?? null;
  const lastClaim = claims.at(-1)?.at ?? null;
  const processingEnd = task.status === 'Complete' || task.status === 'Failed' ? finishedAt : null;
  return {
    id: task.id,
    status: task.status,
    task_type: task.task_type,
    attempts: task.attempts,
    claims: claims.length,
    created_at: task.created_at,
    first_claim_at: firstClaim,
    last_claim_at: lastClaim,
    finished_at: finishedAt,
    queue_s: firstClaim === null ? null : secondsBetween(task.created_at, firstClaim),
    processing_s: lastClaim === null || processingEnd === null ? null : secondsBetween(lastClaim, processingEnd),
    trace,
    error_message: task.error_message,
    workers,
    events: ordered,
    interrupted_by: interrupted,
  };
}

/**
 * Issue 11, `why-killed <worker>`: the orchestrator's kill, the age its reason claims, and the age
 * the rows show.
 *
 * - The kill: the orchestrator's first `orchestrator_error` line about the worker (`MARKING AS
 *   ERROR`, `Marking worker … as error`), else `metadata.error_time`. Its reason: `metadata.error_reason`,
 *   else the line's own reason; its code: `metadata.error_code`, else a code quoted in the line's
 *   reason (or, with none, in the line).
 * - The claimed age (config/traces.ts, CLAIMED_AGES) read from the reason (the line's, then the
 *   metadata's): an idle time (`idle for 20 minutes`) or a heartbeat age (`No heartbeat for 634s`).
 * - The observed age, at the kill, from rows up to the kill:
 *   - for an idle claim: the time since the worker's last sign of work — its last task claim (the
 *     row's `generation_started_at` or a `task_claim` line), its last task end (Complete, Failed or
 *     Cancelled) or its last own line other than a heartbeat line, whichever is latest; 0 when a
 *     task of its was In Progress at the kill; since its creation when it shows none;
 *   - for a heartbeat claim: the time since its last sign of life — its last DB heartbeat or its
 *     last own line (lines travel with the heartbeat), whichever is latest; 0 when the DB heartbeat
 *     went on after the kill; since its creation when it never beat.
 * - `suspicious`: the claimed age is over THRESHOLDS.whyKilledSuspiciousFactor × the observed one.
 *   Null, with `undecided` saying why, when no kill is found, the kill has no time, or the reason
 *   claims no age.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { AGE_UNIT_SECONDS, CLAIMED_AGE_KINDS, CLAIMED_AGES, ERROR_CODE_IN_TEXT, type ClaimedAgeKind } from '../config/traces.js';
import { isFamilyLine, readFamilyValues, type Vocabulary } from '../config/vocabulary.js';
import { isWorkerLine } from '../rows/log-lines.js';
import { compareIds, compareLogs } from '../rows/order.js';
import { taskFinishedAt, type SystemLog, type Task, type Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { errorCode, errorReason, errorTime } from '../rows/worker-metadata.js';

export type KillSource = 'orchestrator_line' | 'metadata';
export type ObservedFrom = 'task_in_progress' | 'last_task_end' | 'last_claim' | 'last_own_line' | 'db_heartbeat' | 'heartbeat_after_kill' | 'created';
export type Undecided = 'no_kill' | 'no_kill_time' | 'no_claimed_age';
export type KillEvidenceKind = 'kill_line' | 'kill_metadata' | 'db_heartbeat' | 'last_own_line' | 'last_claim' | 'last_task_end' | 'task_in_progress';

export interface KillEvidence {
  at: Instant | null;
  kind: KillEvidenceKind;
  /** `workers`, `tasks`, or `system_logs:<source_type>`. */
  source: string;
  text: string;
  /** From this evidence to the kill (negative: after it). */
  before_kill_s: number | null;
}

export interface ObservedAges {
  /** Negative: the DB heartbeat went on after the kill. */
  since_db_heartbeat_s: number | null;
  since_last_own_line_s: number | null;
  since_last_claim_s: number | null;
  since_last_task_end_s: number | null;
  task_in_progress: boolean;
}

export interface WhyKilled {
  worker_id: string;
  status: string;
  killed_at: Instant | null;
  kill_source: KillSource | null;
  reason: string | null;
  error_code: string | null;
  /** What the claimed age measures (null: the reason claims none). */
  claim_kind: ClaimedAgeKind | null;
  claimed_idle_s: number | null;
  observed_idle_s: number | null;
  observed_from: ObservedFrom | null;
  /** claimed / observed (null when either is unknown or observed is 0). */
  ratio: number | null;
  factor: number;
  suspicious: boolean | null;
  undecided: Undecided | null;
  observed: ObservedAges;
  evidence: KillEvidence[];
}

const AGE_READERS: readonly [ClaimedAgeKind, RegExp][] = CLAIMED_AGE_KINDS.flatMap((kind) =>
  CLAIMED_AGES[kind].map((source) => [kind, new RegExp(source, 'iu')] as [ClaimedAgeKind, RegExp]),
);
const CODE_READER = new RegExp(ERROR_CODE_IN_TEXT, 'u');

/** The age a kill reason claims, in seconds, and what it measures; null when it claims none. */
export function readClaimedAge(text: string | null): { kind: ClaimedAgeKind; seconds: number } | null {
  if (text === null) return null;
  for (const [kind, reader] of AGE_READERS) {
    const m = reader.exec(text);
    const value = m?.groups?.['value'];
    const unit = m?.groups?.['unit']?.toLowerCase();
    if (value === undefined || unit === undefined) continue;
    const per = AGE_UNIT_SECONDS[unit[0] as keyof typeof AGE_UNIT_SECONDS];
    if (per !== undefined) return { kind, seconds: Number(value) * per };
  }
  return null;
}

interface Dated {
  at: Instant;
  kind: KillEvidenceKind;
  source: string;
  text: string;
}

function latest(items: readonly (Dated | null)[]): Dated | null {
  let best: Dated | null = null;
  for (const item of items) if (item !== null && (best === null || item.at > best.at)) best = item;
  return best;
}

export function whyKilled(worker: Worker, tasks: readonly Task[], logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): WhyKilled {
  const lines = logs.filter((l) => l.timestamp <= asOf).sort(compareLogs);
  const killLine = lines.find((l) => isFamilyLine(vocabulary, 'orchestrator_error', l)) ?? null;
  const metadataReason = errorReason(worker);
  const metadataTime = errorTime(worker);
  const lineReason = killLine ? (readFamilyValues(vocabulary, 'orchestrator_error', killLine.message)?.['reason'] ?? null) : null;
  const found = killLine !== null || metadataTime !== null || metadataReason !== null || errorCode(worker) !== null;
  const killedAt = killLine?.timestamp ?? metadataTime;
  const reason = metadataReason ?? lineReason ?? killLine?.message ?? null;
  const code = errorCode(worker) ?? (killLine ? (CODE_READER.exec(lineReason ?? killLine.message)?.groups?.['code'] ?? null) : null);
  const claimed = readClaimedAge(lineReason) ?? readClaimedAge(metadataReason) ?? (killLine ? readClaimedAge(killLine.message) : null);

  const beforeKill = (at: Instant | null) => (at === null || killedAt === null ? null : secondsBetween(at, killedAt));
  const cutoff = killedAt ?? asOf;
  const own = lines.filter((l) => isWorkerLine(l) && l.timestamp <= cutoff);
  const ownWork = own.filter((l) => !isFamilyLine(vocabulary, 'heartbeat', l));
  const lastOwnAny = own.at(-1) ?? null;
  const lastOwn = ownWork.at(-1) ?? null;
  const lastClaimLine = own.filter((l) => isFamilyLine(vocabulary, 'task_claim', l)).at(-1) ?? null;
  const mine = tasks.filter((t) => t.worker_id === worker.id);
  const claimOf = (t: Task) => t.generation_started_at ?? t.created_at;
  const claimedTasks = mine.filter((t) => claimOf(t) <= cutoff);
  // Ties broken by id, so that the answer does not depend on the order rows arrive in.
  const later = (a: Instant, b: Instant, x: Task, y: Task) => a > b || (a === b && compareIds(x.id, y.id) > 0);
  const lastClaimTask = claimedTasks.reduce<Task | null>((best, t) => (best === null || later(claimOf(t), claimOf(best), t, best) ? t : best), null);
  const ended = claimedTasks.filter((t) => {
    const end = taskFinishedAt(t);
    return end !== null && end <= cutoff;
  });
  const lastEndTask = ended.reduce<Task | null>((best, t) => (best === null || later(taskFinishedAt(t)!, taskFinishedAt(best)!, t, best) ? t : best), null);
  const heldAtKill = claimedTasks.filter((t) => {
    const end = taskFinishedAt(t);
    return (end === null && t.status === 'In Progress') || (end !== null && end > cutoff);
  });
  heldAtKill.sort((a, b) => claimOf(a) - claimOf(b) || compareIds(a.id, b.id));

  const lastClaim = latest([
    lastClaimLine && { at: lastClaimLine.timestamp, kind: 'last_claim', source: `system_logs:${lastClaimLine.source_type}`, text: lastClaimLine.message },
    lastClaimTask && { at: claimOf(lastClaimTask), kind: 'last_claim', source: 'tasks', text: `${lastClaimTask.task_type} ${lastClaimTask.id}` },
  ]);
  const lastEnd: Dated | null = lastEndTask && { at: taskFinishedAt(lastEndTask)!, kind: 'last_task_end', source: 'tasks', text: `${lastEndTask.status}: ${lastEndTask.task_type} ${lastEndTask.id}` };
  const ownLine: Dated | null = lastOwn && { at: lastOwn.timestamp, kind: 'last_own_line', source: `system_logs:${lastOwn.source_type}`, text: lastOwn.message };
  const heartbeat = worker.last_heartbeat;

  const observed: ObservedAges = {
    since_db_heartbeat_s: beforeKill(heartbeat),
    since_last_own_line_s: beforeKill(ownLine?.at ?? null),
    since_last_claim_s: beforeKill(lastClaim?.at ?? null),
    since_last_task_end_s: beforeKill(lastEnd?.at ?? null),
    task_in_progress: killedAt !== null && heldAtKill.length > 0,
  };

  let observedS: number | null = null;
  let observedFrom: ObservedFrom | null = null;
  if (killedAt !== null) {
    const kind = claimed?.kind ?? 'idle';
    if (kind === 'idle') {
      if (heldAtKill.length > 0) [observedS, observedFrom] = [0, 'task_in_progress'];
      else {
        // Ties: a task's end or claim names the activity better than the line that reports it.
        const sign = [lastEnd, lastClaim, ownLine].reduce<Dated | null>((best, x) => (x !== null && (best === null || x.at > best.at) ? x : best), null);
        const from: ObservedFrom = sign === null ? 'created' : sign.kind === 'last_task_end' ? 'last_task_end' : sign.kind === 'last_claim' ? 'last_claim' : 'last_own_line';
        [observedS, observedFrom] = [secondsBetween(sign?.at ?? worker.created_at, killedAt), from];
      }
    } else if (heartbeat !== null && heartbeat > killedAt) {
      [observedS, observedFrom] = [0, 'heartbeat_after_kill'];
    } else {
      const signs = [heartbeat, lastOwnAny?.timestamp ?? null].filter((t): t is Instant => t !== null);
      const sign = signs.length ? Math.max(...signs) : null;
      const from: ObservedFrom = sign === null ? 'created' : sign === heartbeat ? 'db_heartbeat' : 'last_own_line';
      [observedS, observedFrom] = [secondsBetween(sign ?? worker.created_at, killedAt), from];
    }
  }

  const factor = THRESHOLDS.whyKilledSuspiciousFactor;
  const undecided: Undecided | null = !found ? 'no_kill' : killedAt === null ? 'no_kill_time' : claimed === null ? 'no_claimed_age' : null;
  const suspicious = undecided === null && observedS !== null ? claimed!.seconds > factor * observedS : null;

  const evidence: KillEvidence[] = [];
  const add = (item: Dated | null) => item && evidence.push({ ...item, before_kill_s: beforeKill(item.at) });
  if (killLine) add({ at: killLine.timestamp, kind: 'kill_line', source: `system_logs:${killLine.source_type}`, text: killLine.message });
  if (metadataReason !== null || metadataTime !== null || errorCode(worker) !== null) {
    const text = [errorCode(worker), metadataReason].filter((v) => v !== null).join(': ');
    evidence.push({ at: metadataTime, kind: 'kill_metadata', source: 'workers', text, before_kill_s: beforeKill(metadataTime) });
  }
  if (found) {
    if (heartbeat !== null) add({ at: heartbeat, kind: 'db_heartbeat', source: 'workers', text: worker.status });
    add(lastClaim);
    add(lastEnd);
    add(ownLine);
    for (const t of heldAtKill) add({ at: claimOf(t), kind: 'task_in_progress', source: 'tasks', text: `${t.task_type} ${t.id}` });
  }
  // In time order, undated evidence last (a stable sort keeps the order above for ties).
  evidence.sort((a, b) => (a.at === b.at ? 0 : a.at === null ? 1 : b.at === null ? -1 : a.at - b.at));

  return {
    worker_id: worker.id,
    status: worker.status,
    killed_at: killedAt,
    kill_source: killLine ? 'orchestrator_line' : found ? 'metadata' : null,
    reason,
    error_code: code,
    claim_kind: claimed?.kind ?? null,
    claimed_idle_s: claimed?.seconds ?? null,
    observed_idle_s: observedS,
    observed_from: observedFrom,
    ratio: claimed !== null && observedS !== null && observedS > 0 ? claimed.seconds / observedS : null,
    factor,
    suspicious,
    undecided,
    observed,
    evidence,
  };
}

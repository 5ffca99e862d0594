/**
 * The words of issue 11's `task` and `why-killed`: event kinds, what an observed age was measured
 * from, why a verdict is undecided, and the one-line verdicts. Thresholds quoted are read from
 * THRESHOLDS.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Interruption, JourneyEventKind, TaskJourney } from '../analyses/task-journey.js';
import type { KillEvidenceKind, ObservedFrom, Undecided, WhyKilled } from '../analyses/why-killed.js';
import type { ClaimedAgeKind } from '../config/traces.js';
import type { Verdict } from '../analyses/investigation.js';
import { patternWithConfidence } from './crash-patterns.js';
import { formatDuration, instantText } from './format.js';
import { keyValuesHtml, verdictLine } from './views.js';

export const JOURNEY_EVENT_WORDS: Readonly<Record<JourneyEventKind, string>> = {
  created: 'created',
  claimed: 'claimed',
  line: 'line',
  orchestrator_line: 'orchestrator',
  requeued: 'requeued',
  reset: 'reset',
  auto_failed: 'auto-failed',
  worker_died: 'worker died',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const OBSERVED_FROM_WORDS: Readonly<Record<ObservedFrom, string>> = {
  task_in_progress: 'a task was In Progress at the kill',
  last_task_end: 'since its last task ended',
  last_claim: 'since its last task claim',
  last_own_line: 'since its last own line',
  db_heartbeat: 'since its last DB heartbeat',
  heartbeat_after_kill: 'its DB heartbeat went on after the kill',
  created: 'since its creation (no sign of work or life before the kill)',
};

export const UNDECIDED_WORDS: Readonly<Record<Undecided, string>> = {
  no_kill: 'no kill found: no MARKING AS ERROR line and no orchestrator error in metadata',
  no_kill_time: 'the kill has no time: no MARKING AS ERROR line and no metadata.error_time',
  no_claimed_age: 'the kill reason claims no idle or heartbeat age',
};

export const CLAIM_KIND_WORDS: Readonly<Record<ClaimedAgeKind, string>> = {
  idle: 'idle',
  stale_heartbeat: 'without heartbeat',
};

export const KILL_EVIDENCE_WORDS: Readonly<Record<KillEvidenceKind, string>> = {
  kill_line: 'kill line',
  kill_metadata: 'kill metadata',
  db_heartbeat: 'last DB heartbeat',
  last_own_line: 'last own line',
  last_claim: 'last claim',
  last_task_end: 'last task end',
  task_in_progress: 'task In Progress',
};

/** `attempt 1: gpu-… died at … (oom_model_load, strong)`. */
export function interruptionText(i: Interruption): string {
  const attempt = i.attempt === null ? '' : `attempt ${i.attempt}: `;
  const trace = i.trace_names_it ? '; the orchestrator requeued it for this crash' : '';
  return `${attempt}${i.worker_id} died at ${instantText(i.died_at)} (${patternWithConfidence(i)})${trace}`;
}

/** The journey in one line: status, attempts, queue and processing times. */
export function journeySummary(j: TaskJourney): string {
  const workers = j.workers.length === 1 ? '1 worker' : `${j.workers.length} workers`;
  return `${j.status}: ${j.claims} claim(s) by ${workers}, attempts=${j.attempts ?? '–'}; queued ${formatDuration(j.queue_s)}, processing ${formatDuration(j.processing_s)}`;
}

/** The why-killed verdict in one line. */
export function whyKilledVerdict(w: WhyKilled): string {
  if (w.undecided === 'no_kill' || w.undecided === 'no_kill_time') return `Undecided: ${UNDECIDED_WORDS[w.undecided]}.`;
  const observed = `observed ${formatDuration(w.observed_idle_s)} (${OBSERVED_FROM_WORDS[w.observed_from!]})`;
  if (w.undecided === 'no_claimed_age') return `Undecided: ${UNDECIDED_WORDS.no_claimed_age}; ${observed}.`;
  const claimed = `claimed ${CLAIM_KIND_WORDS[w.claim_kind!]} ${formatDuration(w.claimed_idle_s)}`;
  const rule = `over ${THRESHOLDS.whyKilledSuspiciousFactor}× the observed age`;
  return w.suspicious ? `Suspicious: ${claimed}, ${observed}: the claim is ${rule}.` : `Consistent: ${claimed}, ${observed}: the claim is not ${rule}.`;
}

/** A journey is bad news when a death interrupted it; otherwise it is information. */
export function journeySeverity(j: Pick<TaskJourney, 'interrupted_by'>): Verdict {
  return j.interrupted_by.length > 0 ? 'bad' : 'info';
}

/** The journey's one line, then one line per death that interrupted it (the notebook's block). */
export function journeySummaryHtml(j: TaskJourney): string {
  return [verdictLine(journeySeverity(j), journeySummary(j)), ...j.interrupted_by.map((i) => verdictLine('bad', `Interrupted by ${interruptionText(i)}`))].join('\n');
}

/** A suspicious kill is bad, a consistent one fine, an undecided one information. */
export function whyKilledSeverity(w: Pick<WhyKilled, 'suspicious'>): Verdict {
  return w.suspicious === null ? 'info' : w.suspicious ? 'bad' : 'ok';
}

/** The kill as the terminal and the notebook list it (none when no kill was found). */
export function whyKilledFields(w: WhyKilled): [string, string][] {
  if (w.undecided === 'no_kill') return [];
  return [
    ['killed at', instantText(w.killed_at)],
    ['error code', w.error_code ?? '–'],
    ['reason', w.reason ?? '–'],
    ['claimed', formatDuration(w.claimed_idle_s)],
    ['observed', formatDuration(w.observed_idle_s)],
  ];
}

/** The verdict line and the kill's fields (the notebook's block). */
export function whyKilledSummaryHtml(w: WhyKilled): string {
  const fields = whyKilledFields(w);
  return [verdictLine(whyKilledSeverity(w), whyKilledVerdict(w)), ...(fields.length > 0 ? [keyValuesHtml(fields)] : [])].join('\n');
}

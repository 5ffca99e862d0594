/**
 * The words of §5: pattern titles, each criterion's name and detail, the evidence lines and the
 * one-line summary, all made from the codes and facts the classifier returns. Every threshold a
 * label quotes is read from THRESHOLDS, so a changed threshold changes its label.
 */
import { MARKERS } from '../config/markers.js';
import { THRESHOLDS } from '../config/thresholds.js';
import type { Classification, CrashPattern, Criterion, CriterionKey, Evidence, Facts } from '../analyses/crash-patterns.js';
import { countsText, formatDuration, instantText, minutesRangeText, thresholdText } from './format.js';

export const CRASH_PATTERN_TITLES: Readonly<Record<CrashPattern, string>> = {
  oom_model_load: 'OOM during model loading (§5 pattern 1)',
  init_failure: 'Initialization failure (§5 pattern 2)',
  vlm_loading_hang: 'VLM loading hang (§5 pattern 3)',
  unexplained: 'Dead, no known pattern',
  not_started: 'Never sent a heartbeat',
  no_crash: 'No crash',
};

/** A duration from the facts, `n/a` when there is none. */
function seconds(value: Facts[string] | undefined): string {
  return typeof value === 'number' ? formatDuration(value) : 'n/a';
}

function instant(value: Facts[string] | undefined): string {
  return typeof value === 'number' ? instantText(value) : 'none';
}

/** `one`, `one or two`, `one to 3`: "how many at most", as the guide words it. */
function upToText(max: number): string {
  return max === 1 ? 'one' : max === 2 ? 'one or two' : `one to ${max}`;
}

const CRITERION_NAMES: Readonly<Record<CriterionKey, string>> = {
  dead: 'dead',
  single_early_heartbeat: 'single early heartbeat',
  nothing_else_logged: 'nothing else logged',
  never_claimed_task: 'never claimed a task',
  model_switch_logged: 'MODEL SWITCH logged',
  death_in_oom_window: `death ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} after the switch`,
  no_error_after_switch: 'no error logged after the switch',
  heartbeats_after_switch: `${upToText(THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch)} heartbeats after the switch`,
  task_left_in_progress: 'task left In Progress',
  vlm_line_logged: `"${MARKERS.vlmLoading}" logged`,
  vlm_silence: `silence of ${thresholdText(THRESHOLDS.vlmHangSilenceS)} or more after it`,
};

function criterionDetail(c: Criterion): string {
  const f = c.facts;
  switch (c.key) {
    case 'dead':
      return `death: ${f['death_reason'] ?? 'no'}`;
    case 'single_early_heartbeat':
      return `last heartbeat ${seconds(f['lifetime_s'])} after creation (≤ ${f['limit_s']} s)`;
    case 'nothing_else_logged':
      return `${f['worker_lines']} worker line(s), ${f['logged_heartbeats']} of them heartbeats`;
    case 'never_claimed_task':
      return `${f['tasks']} task(s)`;
    case 'model_switch_logged':
      return f['switch_at'] === null ? 'none' : `at ${instant(f['switch_at'])}`;
    case 'death_in_oom_window':
      return `switch → last DB heartbeat ${seconds(f['crash_after_switch_s'])} (window ${f['window_min_s']}–${f['window_max_s']} s)`;
    case 'no_error_after_switch':
      return `${f['errors_after_switch']} ERROR/CRITICAL line(s) after the switch`;
    case 'heartbeats_after_switch':
      return `${f['logged_heartbeats_after_switch']} logged heartbeat(s) after, the last ${seconds(f['last_heartbeat_after_switch_s'])} after the switch`;
    case 'task_left_in_progress':
      return `${f['tasks_in_progress']} task(s) In Progress`;
    case 'vlm_line_logged':
      return f['vlm_line_at'] === null ? 'none' : `at ${instant(f['vlm_line_at'])}`;
    case 'vlm_silence':
      return f['silence_s'] === null
        ? 'n/a'
        : `${seconds(f['silence_s'])} without a worker line${f['open_ended'] ? ' (none followed; counted to the last DB heartbeat)' : ''}`;
  }
}

/** A criterion's name; a near miss (a criterion of another pattern than the verdict's) names its pattern. */
export function criterionName(c: Criterion, verdict: CrashPattern): string {
  const name = CRITERION_NAMES[c.key];
  return c.pattern === verdict ? name : `${c.pattern}: ${name}`;
}

export interface WordedCriterion {
  name: string;
  met: boolean;
  required: boolean;
  detail: string;
}

export function wordCriterion(c: Criterion, verdict: CrashPattern): WordedCriterion {
  return { name: criterionName(c, verdict), met: c.met, required: c.required, detail: criterionDetail(c) };
}

/** What an evidence line says: its label, then the line or the value read. */
export function evidenceMessage(e: Evidence): string {
  const f = e.facts;
  switch (e.kind) {
    case 'created':
      return `created (status now ${e.text})`;
    case 'last_db_heartbeat':
      return `last DB heartbeat (${f['heartbeat_state']}, ${seconds(f['heartbeat_age_s'])} before as-of)`;
    case 'model_switch':
      return `last MODEL SWITCH: ${e.text}`;
    case 'vlm_silence':
      return `then ${seconds(f['silence_s'])} of silence: ${e.text}`;
    case 'last_error':
      return `last error: ${e.text}`;
    case 'last_worker_line':
      return `last worker line: ${e.text}`;
    case 'error_code':
      return `metadata.error_code = ${e.text}`;
    case 'task_in_progress':
      return `${e.text} still In Progress`;
  }
}

export interface WordedEvidence {
  timestamp: Evidence['timestamp'];
  source: string;
  level: string | null;
  message: string;
}

export function wordEvidence(e: Evidence): WordedEvidence {
  return { timestamp: e.timestamp, source: e.source, level: e.level, message: evidenceMessage(e) };
}

/** The classification's one-line summary. */
export function classificationSummary(c: Classification): string {
  const f = c.summary_facts;
  switch (c.pattern) {
    case 'not_started':
      return `No heartbeat ever (status ${f['status']}): the worker process never reported in.`;
    case 'init_failure':
      return `One heartbeat ${seconds(f['lifetime_s'])} after creation, then nothing: it crashed before logging was set up.`;
    case 'oom_model_load':
      return `Died ${seconds(f['crash_after_switch_s'])} after MODEL SWITCH with no error logged: out of memory while loading the model.`;
    case 'vlm_loading_hang':
      return `Silent for ${seconds(f['silence_s'])} after "${MARKERS.vlmLoading}"${f['dead'] ? ', then died' : f['open_ended'] ? ', still silent' : ''}: VLM loading hung.`;
    case 'unexplained':
      return `Dead (${f['death_reason']}) but no known crash pattern fits; read the evidence lines.`;
    case 'no_crash':
      return f['terminated_cleanly'] ? 'Terminated cleanly.' : `Heartbeat ${f['heartbeat_state']} (${seconds(f['heartbeat_age_s'])} old).`;
  }
}

/** A classification as a document: its codes and figures with the words beside them (the --json shape). */
export function classificationDocument(c: Classification) {
  return {
    id: c.id,
    pattern: c.pattern,
    title: CRASH_PATTERN_TITLES[c.pattern],
    status: c.status,
    heartbeat_state: c.heartbeat_state,
    heartbeat_age_s: c.heartbeat_age_s,
    died_at: c.died_at,
    crash_after_switch_s: c.crash_after_switch_s,
    criteria: c.criteria.map((k) => ({ ...wordCriterion(k, c.pattern), key: k.key, pattern: k.pattern, facts: k.facts })),
    figures: c.figures,
    evidence: c.evidence.map((e) => ({ ...wordEvidence(e), kind: e.kind })),
    summary: classificationSummary(c),
    death_reason: c.death_reason,
  };
}

/** `3 oom_model_load, 1 init_failure`, or `no workers`. */
export function patternCountsText(counts: Readonly<Record<string, number>>): string {
  const text = countsText(counts);
  return text === 'none' ? 'no workers' : text;
}

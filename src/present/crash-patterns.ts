/**
 * The words of §5: pattern titles, confidence, each criterion's name and detail, the evidence lines,
 * the coverage notes and the one-line summary, all made from the codes and facts the classifier
 * returns. Every threshold a label quotes is read from THRESHOLDS, so a changed threshold changes
 * its label.
 */
import { MARKER_FAMILIES, type MarkerFamily } from '../config/markers.js';
import { THRESHOLDS } from '../config/thresholds.js';
import type { Classification, Confidence, CrashPattern, Criterion, CriterionKey, Evidence, Facts } from '../analyses/crash-patterns.js';
import type { Coverage } from '../analyses/coverage.js';
import { countsText, formatDuration, instantText, minutesRangeText, thresholdText } from './format.js';

export const CRASH_PATTERN_TITLES: Readonly<Record<CrashPattern, string>> = {
  oom_model_load: 'OOM during model loading (§5 pattern 1)',
  init_failure: 'Initialization failure (§5 pattern 2)',
  vlm_loading_hang: 'VLM loading hang (§5 pattern 3)',
  stalled: 'Stalled: heartbeat alive, main loop silent',
  unexplained: 'Dead, no known pattern',
  not_started: 'Never sent a heartbeat',
  no_crash: 'No crash',
};

export const CONFIDENCE_MEANINGS: Readonly<Record<Confidence, string>> = {
  strong: 'every criterion met',
  likely: 'every required criterion met; some corroborating ones unmet or undecided',
  weak: 'a required criterion undecided: the rows cannot tell',
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

const hb = THRESHOLDS.oomHeartbeatsAfterSwitchS;

const CRITERION_NAMES: Readonly<Record<CriterionKey, string>> = {
  dead: 'dead (no evidence of a clean end)',
  short_life: `last DB heartbeat within ${thresholdText(THRESHOLDS.initFailureMaxLifetimeS)} of creation (the orchestrator's start-up grace)`,
  never_claimed_task: 'never claimed a task',
  never_left_startup: 'never left start-up (no ready line, task claim or heartbeat loop)',
  startup_phase_not_ready: 'metadata.startup_phase not ready',
  no_line_at_all: 'no line logged at all',
  single_early_heartbeat: `last DB heartbeat within ${thresholdText(THRESHOLDS.initFailureWindowS)} of creation (the guide's timing)`,
  model_switch_logged: 'model switch logged',
  death_in_oom_window: `death ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} after the switch`,
  no_error_after_switch: 'no error logged after the switch',
  load_not_finished: 'the load never reported finished',
  no_task_finished_after_switch: 'no task finished after the switch',
  heartbeats_after_switch: `${upToText(THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch)} heartbeats logged ${hb.min}–${hb.max} s after the switch`,
  task_left_in_progress: 'task left In Progress',
  memory_high_before_switch: `system memory ≥ ${THRESHOLDS.ramHighUsedPct} % used before the switch`,
  vlm_line_logged: '"Before VLM loading" logged',
  vlm_silence: `silence of ${thresholdText(THRESHOLDS.vlmHangSilenceS)} or more after it`,
  task_held: 'a task held',
  heartbeat_fresh: 'DB heartbeat alive or aging',
  task_in_progress: 'a task In Progress',
  silent_main_loop: `no own line but heartbeats for ${thresholdText(THRESHOLDS.stalledSilenceS)} or more`,
  heartbeat_lines_continue: 'heartbeat lines still logged during the silence',
};

/** What a verdict without criteria rests on: no pattern was judged, the rows show the state directly. */
const STATE_CONFIDENCE_MEANINGS: Readonly<Partial<Record<Confidence, string>>> = {
  strong: 'read directly from the rows (alive, a clean end recorded, or no heartbeat ever)',
  likely: 'a quiet end: terminated with no error and no task left behind, but no clean end recorded',
};

/** What a classification's confidence means for its pattern (null when it has none: unexplained). */
export function confidenceMeaning(c: Pick<Classification, 'pattern' | 'confidence'>): string | null {
  if (c.confidence === null) return null;
  if (c.pattern === 'no_crash' || c.pattern === 'not_started') return STATE_CONFIDENCE_MEANINGS[c.confidence] ?? CONFIDENCE_MEANINGS[c.confidence];
  return CONFIDENCE_MEANINGS[c.confidence];
}

/** How many lines a criterion's family had: `the worker logs no heartbeat lines`. */
function undecidedBecause(c: Criterion): string {
  switch (c.key) {
    case 'model_switch_logged':
      return `no switch line, but ${c.facts['loads_logged']} finished-load line(s): this version logs switches only after they succeed`;
    case 'heartbeats_after_switch':
    case 'heartbeat_lines_continue':
      return 'the worker logs no heartbeat lines';
    case 'memory_high_before_switch':
      return c.facts['ram_lines'] === 0 ? 'the worker logs no [RAM] samples' : 'no [RAM] sample before the switch';
    case 'startup_phase_not_ready':
      return 'no metadata.startup_phase';
    default:
      return 'the switch itself is undecided';
  }
}

function criterionDetail(c: Criterion): string {
  if (c.met === null) return `undecided: ${undecidedBecause(c)}`;
  const f = c.facts;
  switch (c.key) {
    case 'dead':
      return f['end_reason'] === null ? 'alive' : f['clean_end'] !== null ? `ended cleanly (${f['clean_end']})` : `ended: ${f['end_reason']}`;
    case 'short_life':
    case 'single_early_heartbeat':
      return `last DB heartbeat ${seconds(f['lifetime_s'])} after creation (≤ ${thresholdText(f['limit_s'] as number)})`;
    case 'never_claimed_task':
      return `${f['tasks']} task(s), ${f['claim_lines']} claim line(s)`;
    case 'never_left_startup':
      return f['startup_ended_at'] === null
        ? `all ${f['worker_lines']} own line(s) in start-up`
        : `left start-up at ${instant(f['startup_ended_at'])} (${String(f['startup_ended_by']).replace('_', ' ')})`;
    case 'startup_phase_not_ready':
      return `startup_phase = ${f['startup_phase']}`;
    case 'no_line_at_all':
      return `${f['worker_lines']} own line(s)`;
    case 'model_switch_logged':
      return f['switch_at'] === null ? 'none' : `at ${instant(f['switch_at'])}`;
    case 'death_in_oom_window':
      return `switch → last DB heartbeat ${seconds(f['crash_after_switch_s'])} (window ${f['window_min_s']}–${f['window_max_s']} s)`;
    case 'no_error_after_switch':
      return `${f['errors_after_switch']} ERROR/CRITICAL line(s) after the switch`;
    case 'load_not_finished':
      return f['load_finished_at'] === null ? 'no finished-load line after it' : `finished at ${instant(f['load_finished_at'])}`;
    case 'no_task_finished_after_switch':
      return `${f['tasks_finished_after_switch']} task(s) finished after the switch`;
    case 'heartbeats_after_switch':
      return `${f['logged_heartbeats_after_switch']} logged heartbeat(s) after, the last ${seconds(f['last_heartbeat_after_switch_s'])} after the switch`;
    case 'task_left_in_progress':
    case 'task_held':
    case 'task_in_progress':
      return `${f['tasks_in_progress']} task(s) In Progress`;
    case 'memory_high_before_switch':
      return `${f['system_used_pct']} % used in the last sample before it`;
    case 'vlm_line_logged':
      return f['vlm_line_at'] === null ? 'none' : `at ${instant(f['vlm_line_at'])}`;
    case 'vlm_silence':
      return f['silence_s'] === null
        ? 'n/a'
        : `${seconds(f['silence_s'])} without an own line but heartbeats${f['open_ended'] ? ' (none followed; counted to the last DB heartbeat)' : ''}`;
    case 'heartbeat_fresh':
      return `heartbeat ${f['heartbeat_state']} (${seconds(f['heartbeat_age_s'])} old)`;
    case 'silent_main_loop':
      return f['silence_s'] === null ? 'n/a' : `silent ${seconds(f['silence_s'])} since ${instant(f['silent_since_at'])}`;
    case 'heartbeat_lines_continue':
      return f['last_heartbeat_line_at'] === null ? 'none' : `last heartbeat line at ${instant(f['last_heartbeat_line_at'])}`;
  }
}

/** A criterion's name; a near miss (a criterion of another pattern than the verdict's) names its pattern. */
export function criterionName(c: Criterion, verdict: CrashPattern): string {
  const name = CRITERION_NAMES[c.key];
  return c.pattern === verdict ? name : `${c.pattern}: ${name}`;
}

export interface WordedCriterion {
  name: string;
  met: boolean | null;
  required: boolean;
  detail: string;
}

export function wordCriterion(c: Criterion, verdict: CrashPattern): WordedCriterion {
  return { name: criterionName(c, verdict), met: c.met, required: c.required, detail: criterionDetail(c) };
}

/** `12.5 min after its last DB heartbeat (the aftermath, not the cause)` or `while its heartbeat was alive (the kill ended it)`. */
function killTiming(f: Facts): string {
  if (f['kill_after_heartbeat_s'] === null || f['kill_after_heartbeat_s'] === undefined) return '';
  return f['while_alive']
    ? `, ${seconds(f['kill_after_heartbeat_s'])} after its last DB heartbeat, while it was alive (the kill ended it)`
    : `, ${seconds(f['kill_after_heartbeat_s'])} after its last DB heartbeat (the aftermath, not the cause)`;
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
    case 'model_loaded':
      return `load finished: ${e.text}`;
    case 'ram_before_switch':
      return `memory before the switch (${f['system_used_pct']} % used): ${e.text}`;
    case 'vlm_silence':
      return `then ${seconds(f['silence_s'])} of silence: ${e.text}`;
    case 'last_error':
      return `last error: ${e.text}`;
    case 'last_worker_line':
      return `last worker line: ${e.text}`;
    case 'last_spoken_line':
      return `last line other than a heartbeat: ${e.text}`;
    case 'shutdown':
      return `clean shutdown: ${e.text}`;
    case 'clean_end':
      return `clean end recorded (${f['by']}): ${e.text}`;
    case 'log_tail':
      return `start-up log tail shipped by the orchestrator: ${e.text}`;
    case 'orchestrator_kill':
      return `orchestrator marked it as error${killTiming(f)}: ${e.text}`;
    case 'orchestrator_verdict':
      return `orchestrator's verdict in metadata${killTiming(f)}: ${e.text}`;
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

/** What the rows cannot show when a worker logged no line of a family. */
const COVERAGE_NOTES: Readonly<Partial<Record<MarkerFamily, string>>> = {
  heartbeat: 'no heartbeat lines logged: gaps judged from the DB heartbeat only',
  model_switch: 'no model-switch lines logged: a switch that never finished cannot be seen',
  ram: 'no [RAM] samples logged: memory before a crash unknown',
  memory_profile: 'no memory-profile line logged: the profile is unknown',
  ready: 'no ready line logged: the end of start-up judged from task claims and heartbeat lines',
  task_claim: 'no claim lines logged: claims read from the tasks table only',
};

/** One note per family the worker never logged, e.g. `no heartbeat lines logged: gaps judged from the DB heartbeat only`. */
export function coverageNotes(coverage: Coverage, families: readonly MarkerFamily[] = MARKER_FAMILIES): string[] {
  return families.flatMap((f) => (coverage[f] === 0 && COVERAGE_NOTES[f] !== undefined ? [COVERAGE_NOTES[f]!] : []));
}

/** The classification's one-line summary. */
export function classificationSummary(c: Classification): string {
  const f = c.summary_facts;
  switch (c.pattern) {
    case 'not_started':
      return `No heartbeat ever (status ${f['status']}): the worker process never reported in.`;
    case 'init_failure':
      return f['worker_lines'] === 0
        ? `Last DB heartbeat ${seconds(f['lifetime_s'])} after creation, nothing logged, no task: it crashed before logging was set up.`
        : `Last DB heartbeat ${seconds(f['lifetime_s'])} after creation, only start-up lines (${f['worker_lines']}), no task: it died during start-up.`;
    case 'oom_model_load':
      return `Died ${seconds(f['crash_after_switch_s'])} after a model switch with no error and no finished load: out of memory while loading the model.`;
    case 'vlm_loading_hang':
      return `Silent for ${seconds(f['silence_s'])} after "Before VLM loading"${f['dead'] ? ', then died' : f['open_ended'] ? ', still silent' : ''}: VLM loading hung.`;
    case 'stalled':
      return `Heartbeat alive but no own line other than heartbeats for ${seconds(f['silence_s'])}, holding ${f['tasks_in_progress']} task(s): its main loop has stopped (a zombie worker); the task is lost work.`;
    case 'unexplained':
      return f['killed_while_alive']
        ? `Killed by the orchestrator while its heartbeat was alive (${f['error_code'] ?? 'no error code'}); no crash pattern fits.`
        : `Ended (${f['end_reason']}) but no known crash pattern fits and no clean end is recorded; read the evidence lines.`;
    case 'no_crash':
      if (!f['ended']) return `Heartbeat ${f['heartbeat_state']} (${seconds(f['heartbeat_age_s'])} old).`;
      return f['clean_end'] === 'quiet_end'
        ? 'Terminated with no error recorded, no task left In Progress and no crash signature.'
        : `Ended cleanly (${f['clean_end']}).`;
  }
}

/** A classification as a document: its codes and figures with the words beside them (the --json shape). */
export function classificationDocument(c: Classification) {
  return {
    id: c.id,
    pattern: c.pattern,
    title: CRASH_PATTERN_TITLES[c.pattern],
    confidence: c.confidence,
    confidence_meaning: confidenceMeaning(c),
    status: c.status,
    heartbeat_state: c.heartbeat_state,
    heartbeat_age_s: c.heartbeat_age_s,
    died_at: c.died_at,
    crash_after_switch_s: c.crash_after_switch_s,
    criteria: c.criteria.map((k) => ({ ...wordCriterion(k, c.pattern), key: k.key, pattern: k.pattern, facts: k.facts })),
    figures: c.figures,
    evidence: c.evidence.map((e) => ({ ...wordEvidence(e), kind: e.kind })),
    summary: classificationSummary(c),
    end_reason: c.end_reason,
    clean_end: c.clean_end,
    orchestrator: c.orchestrator,
    coverage: c.coverage,
    coverage_notes: coverageNotes(c.coverage),
  };
}

/** `oom_model_load (likely)`: a pattern with its confidence, when it has one. */
export function patternWithConfidence(c: Pick<Classification, 'pattern' | 'confidence'>): string {
  return c.confidence === null ? c.pattern : `${c.pattern} (${c.confidence})`;
}

/** `3 oom_model_load, 1 init_failure`, or `no workers`. */
export function patternCountsText(counts: Readonly<Record<string, number>>): string {
  const text = countsText(counts);
  return text === 'none' ? 'no workers' : text;
}

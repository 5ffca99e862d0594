/**
 * The words of §5 (src/present/crash-patterns.ts), from hand-built criteria, evidence and
 * classifications (not from the classifier): pattern titles, confidence, criterion names and
 * details (undecided ones say why), evidence messages (the orchestrator's kill timed against the
 * death), coverage notes, summaries, and the classification as a document. Names that quote a
 * threshold are derived from THRESHOLDS here too.
 */
import { describe, expect, it } from 'vitest';
import { CRASH_PATTERNS, type Classification, type CrashPattern, type Criterion, type CriterionKey, type Evidence, type Facts } from '../../src/analyses/crash-patterns.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import {
  CONFIDENCE_MEANINGS,
  CRASH_PATTERN_TITLES,
  classificationDocument,
  classificationSummary,
  coverageNotes,
  criterionName,
  evidenceMessage,
  patternCountsText,
  patternWithConfidence,
  wordCriterion,
  wordEvidence,
} from '../../src/present/crash-patterns.js';
import { minutesRangeText, thresholdText } from '../../src/present/format.js';
import { at } from '../support/rows.js';

const criterion = (key: CriterionKey, facts: Facts, pattern: CrashPattern = 'oom_model_load', met: boolean | null = true, required = true): Criterion => ({
  pattern,
  key,
  met,
  required,
  facts,
});
const detail = (key: CriterionKey, facts: Facts, met: boolean | null = true) => wordCriterion(criterion(key, facts, 'oom_model_load', met), 'oom_model_load').detail;

describe('CRASH_PATTERN_TITLES and confidence', () => {
  it('a title for every pattern; the three of §5 name their pattern number', () => {
    expect(Object.keys(CRASH_PATTERN_TITLES).sort()).toEqual([...CRASH_PATTERNS].sort());
    expect(CRASH_PATTERN_TITLES.oom_model_load).toBe('OOM during model loading (§5 pattern 1)');
    expect(CRASH_PATTERN_TITLES.init_failure).toBe('Initialization failure (§5 pattern 2)');
    expect(CRASH_PATTERN_TITLES.vlm_loading_hang).toBe('VLM loading hang (§5 pattern 3)');
    expect(CRASH_PATTERN_TITLES.stalled).toBe('Stalled: heartbeat alive, main loop silent');
  });

  it('each confidence says what it means; a pattern is shown with its confidence when it has one', () => {
    expect(Object.keys(CONFIDENCE_MEANINGS)).toEqual(['strong', 'likely', 'weak']);
    expect(patternWithConfidence({ pattern: 'oom_model_load', confidence: 'likely' })).toBe('oom_model_load (likely)');
    expect(patternWithConfidence({ pattern: 'unexplained', confidence: null })).toBe('unexplained');
  });
});

describe('criterionName', () => {
  it('the thresholds a name quotes come from THRESHOLDS', () => {
    const name = (key: CriterionKey) => criterionName(criterion(key, {}), 'oom_model_load');
    expect(name('death_in_oom_window')).toBe(`death ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} after the switch`);
    expect(name('vlm_silence')).toBe(`silence of ${thresholdText(THRESHOLDS.vlmHangSilenceS)} or more after it`);
    expect(name('silent_main_loop')).toBe(`no own line but heartbeats for ${thresholdText(THRESHOLDS.stalledSilenceS)} or more`);
    expect(name('short_life')).toContain(thresholdText(THRESHOLDS.initFailureMaxLifetimeS));
    expect(name('single_early_heartbeat')).toContain(thresholdText(THRESHOLDS.initFailureWindowS));
    expect(name('memory_high_before_switch')).toBe(`system memory ≥ ${THRESHOLDS.ramHighUsedPct} % used before the switch`);
    expect(name('heartbeats_after_switch')).toBe(
      `one or two heartbeats logged ${THRESHOLDS.oomHeartbeatsAfterSwitchS.min}–${THRESHOLDS.oomHeartbeatsAfterSwitchS.max} s after the switch`,
    );
  });

  it('every criterion has a name; a near miss names its pattern', () => {
    const keys: CriterionKey[] = [
      'dead', 'short_life', 'never_claimed_task', 'never_left_startup', 'startup_phase_not_ready', 'no_line_at_all', 'single_early_heartbeat',
      'model_switch_logged', 'death_in_oom_window', 'no_error_after_switch', 'load_not_finished', 'no_task_finished_after_switch',
      'heartbeats_after_switch', 'task_left_in_progress', 'memory_high_before_switch', 'vlm_line_logged', 'vlm_silence', 'task_held',
      'heartbeat_fresh', 'task_in_progress', 'silent_main_loop', 'heartbeat_lines_continue',
    ];
    for (const key of keys) expect(criterionName(criterion(key, {}), 'oom_model_load').length, key).toBeGreaterThan(3);
    expect(criterionName(criterion('never_claimed_task', {}, 'init_failure'), 'unexplained')).toBe('init_failure: never claimed a task');
  });
});

describe('criterion details', () => {
  it('dead: alive, a clean end, or how the life ended', () => {
    expect(detail('dead', { end_reason: null, clean_end: null })).toBe('alive');
    expect(detail('dead', { end_reason: 'status_terminated', clean_end: 'shutdown_line' })).toBe('ended cleanly (shutdown_line)');
    expect(detail('dead', { end_reason: 'status_error', clean_end: null })).toBe('ended: status_error');
  });

  it('start-up: the lifetime against the limit, claims, where start-up ended', () => {
    expect(detail('short_life', { lifetime_s: 45, limit_s: THRESHOLDS.initFailureMaxLifetimeS })).toBe(
      `last DB heartbeat 45.0 s after creation (≤ ${thresholdText(THRESHOLDS.initFailureMaxLifetimeS)})`,
    );
    expect(detail('never_claimed_task', { tasks: 0, claim_lines: 2 })).toBe('0 task(s), 2 claim line(s)');
    expect(detail('never_left_startup', { startup_ended_at: null, startup_ended_by: null, worker_lines: 4 })).toBe('all 4 own line(s) in start-up');
    expect(detail('never_left_startup', { startup_ended_at: at('12:01:00'), startup_ended_by: 'heartbeat_loop', worker_lines: 40 })).toBe(
      'left start-up at 2025-10-17T12:01:00.000Z (heartbeat loop)',
    );
  });

  it('the switch criteria', () => {
    const ends = { window_min_s: THRESHOLDS.oomCrashWindowS.min, window_max_s: THRESHOLDS.oomCrashWindowS.max };
    const window = `(window ${THRESHOLDS.oomCrashWindowS.min}–${THRESHOLDS.oomCrashWindowS.max} s)`;
    expect(detail('model_switch_logged', { switch_at: at('13:00:00') + 7 })).toBe('at 2025-10-17T13:00:00.000007Z');
    expect(detail('death_in_oom_window', { crash_after_switch_s: 190, ...ends })).toBe(`switch → last DB heartbeat 3.2 min ${window}`);
    expect(detail('load_not_finished', { load_finished_at: at('13:00:12') })).toBe('finished at 2025-10-17T13:00:12.000Z');
    expect(detail('load_not_finished', { load_finished_at: null })).toBe('no finished-load line after it');
    expect(detail('no_task_finished_after_switch', { tasks_finished_after_switch: 1 })).toBe('1 task(s) finished after the switch');
    expect(detail('heartbeats_after_switch', { logged_heartbeats_after_switch: 2, last_heartbeat_after_switch_s: 60 })).toBe('2 logged heartbeat(s) after, the last 60.0 s after the switch');
    expect(detail('memory_high_before_switch', { system_used_pct: 93.1, limit_pct: 90, ram_lines: 4 })).toBe('93.1 % used in the last sample before it');
  });

  it('an undecided criterion says why the rows cannot tell', () => {
    expect(detail('model_switch_logged', { switch_at: null, loads_logged: 3 }, null)).toBe(
      'undecided: no switch line, but 3 finished-load line(s): this version logs switches only after they succeed',
    );
    expect(detail('heartbeats_after_switch', { heartbeat_lines: 0 }, null)).toBe('undecided: the worker logs no heartbeat lines');
    expect(detail('memory_high_before_switch', { ram_lines: 0 }, null)).toBe('undecided: the worker logs no [RAM] samples');
    expect(detail('memory_high_before_switch', { ram_lines: 2 }, null)).toBe('undecided: no [RAM] sample before the switch');
    expect(detail('death_in_oom_window', {}, null)).toBe('undecided: the switch itself is undecided');
  });

  it('VLM and stall', () => {
    expect(detail('vlm_silence', { silence_s: 360, open_ended: false, limit_s: 300 })).toBe('6.0 min without an own line but heartbeats');
    expect(detail('vlm_silence', { silence_s: 360, open_ended: true, limit_s: 300 })).toBe(
      '6.0 min without an own line but heartbeats (none followed; counted to the last DB heartbeat)',
    );
    expect(detail('heartbeat_fresh', { heartbeat_state: 'alive', heartbeat_age_s: 12 })).toBe('heartbeat alive (12.0 s old)');
    expect(detail('silent_main_loop', { silence_s: 840, silent_since_at: at('13:46:00') })).toBe('silent 14.0 min since 2025-10-17T13:46:00.000Z');
    expect(detail('heartbeat_lines_continue', { last_heartbeat_line_at: at('13:59:30') })).toBe('last heartbeat line at 2025-10-17T13:59:30.000Z');
  });

  it('the worded criterion keeps met (null included) and required', () => {
    expect(wordCriterion(criterion('never_claimed_task', { tasks: 2, claim_lines: 0 }, 'init_failure', false, true), 'unexplained')).toEqual({
      name: 'init_failure: never claimed a task',
      met: false,
      required: true,
      detail: '2 task(s), 0 claim line(s)',
    });
  });
});

describe('evidenceMessage and wordEvidence', () => {
  const evidence = (kind: Evidence['kind'], text: string, facts: Facts = {}, source = 'system_logs:worker', timestamp: number | null = at('13:00:00')): Evidence => ({
    timestamp,
    source,
    level: source.startsWith('system_logs') ? 'INFO' : null,
    kind,
    text,
    facts,
  });

  it('a label per kind, then the line or the value read', () => {
    expect(evidenceMessage(evidence('created', 'error', { status: 'error' }, 'workers'))).toBe('created (status now error)');
    expect(evidenceMessage(evidence('last_db_heartbeat', 'dead', { heartbeat_state: 'dead', heartbeat_age_s: 3410 }, 'workers'))).toBe('last DB heartbeat (dead, 56.8 min before as-of)');
    expect(evidenceMessage(evidence('model_switch', '🔄 MODEL SWITCH: a -> b'))).toBe('last MODEL SWITCH: 🔄 MODEL SWITCH: a -> b');
    expect(evidenceMessage(evidence('model_loaded', 'Model loaded: b'))).toBe('load finished: Model loaded: b');
    expect(evidenceMessage(evidence('ram_before_switch', '[RAM] …', { system_used_pct: 91 }))).toBe('memory before the switch (91 % used): [RAM] …');
    expect(evidenceMessage(evidence('vlm_silence', 'Before VLM loading', { silence_s: 360 }))).toBe('then 6.0 min of silence: Before VLM loading');
    expect(evidenceMessage(evidence('last_spoken_line', 'Step 3/30'))).toBe('last line other than a heartbeat: Step 3/30');
    expect(evidenceMessage(evidence('shutdown', 'Shutting down'))).toBe('clean shutdown: Shutting down');
    expect(evidenceMessage(evidence('log_tail', '[WORKER_LOG_TAIL] pip failed'))).toBe('start-up log tail shipped by the orchestrator: [WORKER_LOG_TAIL] pip failed');
    expect(evidenceMessage(evidence('task_in_progress', 'travel_segment 7a5c0000', {}, 'tasks'))).toBe('travel_segment 7a5c0000 still In Progress');
  });

  it('the orchestrator\'s kill, timed against the death: aftermath, or the kill that ended a live worker', () => {
    expect(evidenceMessage(evidence('orchestrator_kill', 'Marking worker w as error', { kill_after_heartbeat_s: 612, while_alive: false }))).toBe(
      'orchestrator marked it as error, 10.2 min after its last DB heartbeat (the aftermath, not the cause): Marking worker w as error',
    );
    expect(evidenceMessage(evidence('orchestrator_kill', 'MARKING AS ERROR: idle', { kill_after_heartbeat_s: 12, while_alive: true }))).toBe(
      'orchestrator marked it as error, 12.0 s after its last DB heartbeat, while it was alive (the kill ended it): MARKING AS ERROR: idle',
    );
    expect(evidenceMessage(evidence('orchestrator_verdict', 'STARTUP_NEVER_READY: no ready signal', { kill_after_heartbeat_s: null }, 'workers', null))).toBe(
      "orchestrator's verdict in metadata: STARTUP_NEVER_READY: no ready signal",
    );
  });

  it('wordEvidence: when, where from, level and the message', () => {
    expect(wordEvidence(evidence('last_error', 'CUDA out of memory'))).toEqual({ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', message: 'last error: CUDA out of memory' });
  });
});

describe('coverageNotes', () => {
  it('a note for each family the worker never logged whose absence leaves something undecided', () => {
    expect(coverageNotes({ heartbeat: 0, model_switch: 3, ram: 0, shutdown: 0 })).toEqual([
      'no heartbeat lines logged: gaps judged from the DB heartbeat only',
      'no [RAM] samples logged: memory before a crash unknown',
    ]);
    expect(coverageNotes({ heartbeat: 10 })).toEqual([]);
  });
});

function classification(pattern: CrashPattern, summary_facts: Facts, over: Partial<Classification> = {}): Classification {
  return {
    id: 'gpu-20251017_120000-aaaaaaaa',
    pattern,
    confidence: 'likely',
    status: 'active',
    heartbeat_state: 'dead',
    heartbeat_age_s: 3410,
    died_at: at('13:03:10'),
    end_reason: 'heartbeat_stale',
    clean_end: null,
    crash_after_switch_s: 190,
    criteria: [],
    figures: {},
    evidence: [],
    orchestrator: null,
    coverage: { heartbeat: 0 },
    summary_facts,
    ...over,
  };
}

describe('classificationSummary', () => {
  it('one line per pattern, from its summary facts', () => {
    expect(classificationSummary(classification('not_started', { status: 'spawning' }))).toBe('No heartbeat ever (status spawning): the worker process never reported in.');
    expect(classificationSummary(classification('init_failure', { lifetime_s: 4, worker_lines: 0 }))).toBe(
      'Last DB heartbeat 4.0 s after creation, nothing logged, no task: it crashed before logging was set up.',
    );
    expect(classificationSummary(classification('init_failure', { lifetime_s: 45, worker_lines: 6 }))).toBe(
      'Last DB heartbeat 45.0 s after creation, only start-up lines (6), no task: it died during start-up.',
    );
    expect(classificationSummary(classification('oom_model_load', { crash_after_switch_s: 190 }))).toBe(
      'Died 3.2 min after a model switch with no error and no finished load: out of memory while loading the model.',
    );
    expect(classificationSummary(classification('stalled', { silence_s: 840, tasks_in_progress: 1 }))).toBe(
      'Heartbeat alive but no own line other than heartbeats for 14.0 min, holding 1 task(s): its main loop has stopped (a zombie worker); the task is lost work.',
    );
    expect(classificationSummary(classification('unexplained', { end_reason: 'status_error', killed_while_alive: null, error_code: null }))).toBe(
      'Ended (status_error) but no known crash pattern fits and no clean end is recorded; read the evidence lines.',
    );
    expect(classificationSummary(classification('unexplained', { end_reason: 'status_terminated', killed_while_alive: true, error_code: 'GPU_READY_NOT_CLAIMING' }))).toBe(
      'Killed by the orchestrator while its heartbeat was alive (GPU_READY_NOT_CLAIMING); no crash pattern fits.',
    );
  });

  it('vlm_loading_hang: then died, still silent, or neither', () => {
    const vlm = (dead: boolean, open_ended: boolean) => classificationSummary(classification('vlm_loading_hang', { silence_s: 360, dead, open_ended }));
    expect(vlm(true, true)).toBe('Silent for 6.0 min after "Before VLM loading", then died: VLM loading hung.');
    expect(vlm(false, true)).toBe('Silent for 6.0 min after "Before VLM loading", still silent: VLM loading hung.');
    expect(vlm(false, false)).toBe('Silent for 6.0 min after "Before VLM loading": VLM loading hung.');
  });

  it('no_crash: alive (band and age), a clean end (its evidence), or a quiet end', () => {
    expect(classificationSummary(classification('no_crash', { ended: false, heartbeat_state: 'alive', heartbeat_age_s: 10 }))).toBe('Heartbeat alive (10.0 s old).');
    expect(classificationSummary(classification('no_crash', { ended: true, clean_end: 'self_terminated' }))).toBe('Ended cleanly (self_terminated).');
    expect(classificationSummary(classification('no_crash', { ended: true, clean_end: 'quiet_end' }))).toBe(
      'Terminated with no error recorded, no task left In Progress and no crash signature.',
    );
  });
});

describe('classificationDocument', () => {
  it('the codes and figures with their words beside them, in the --json shape', () => {
    const c = classification('oom_model_load', { crash_after_switch_s: 190 }, {
      criteria: [
        criterion('death_in_oom_window', { crash_after_switch_s: 190, window_min_s: 90, window_max_s: 300 }),
        criterion('heartbeats_after_switch', { heartbeat_lines: 0 }, 'oom_model_load', null, false),
      ],
      figures: { lifetime_s: 3790 },
      evidence: [{ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', kind: 'model_switch', text: '🔄 MODEL SWITCH: a -> b', facts: {} }],
    });
    const doc = classificationDocument(c);
    expect(doc).toMatchObject({
      id: c.id,
      pattern: 'oom_model_load',
      title: 'OOM during model loading (§5 pattern 1)',
      confidence: 'likely',
      died_at: at('13:03:10'),
      crash_after_switch_s: 190,
      summary: 'Died 3.2 min after a model switch with no error and no finished load: out of memory while loading the model.',
      end_reason: 'heartbeat_stale',
      coverage: { heartbeat: 0 },
      coverage_notes: ['no heartbeat lines logged: gaps judged from the DB heartbeat only'],
      evidence: [{ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', message: 'last MODEL SWITCH: 🔄 MODEL SWITCH: a -> b', kind: 'model_switch' }],
    });
    expect(doc.criteria).toEqual([
      {
        name: `death ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} after the switch`,
        met: true,
        required: true,
        detail: 'switch → last DB heartbeat 3.2 min (window 90–300 s)',
        key: 'death_in_oom_window',
        pattern: 'oom_model_load',
        facts: { crash_after_switch_s: 190, window_min_s: 90, window_max_s: 300 },
      },
      expect.objectContaining({ met: null, required: false, detail: 'undecided: the worker logs no heartbeat lines' }),
    ]);
  });
});

describe('patternCountsText', () => {
  it('the non-zero counts in their order, or "no workers"', () => {
    expect(patternCountsText({ oom_model_load: 3, init_failure: 0, vlm_loading_hang: 1 })).toBe('3 oom_model_load, 1 vlm_loading_hang');
    expect(patternCountsText({ oom_model_load: 0 })).toBe('no workers');
  });
});

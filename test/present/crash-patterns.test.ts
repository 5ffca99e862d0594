/**
 * The words of §5 (src/present/crash-patterns.ts), from hand-built criteria, evidence and
 * classifications (not from the classifier): pattern titles, criterion names and details, evidence
 * messages, summaries, and the classification as a document. Names that quote a threshold are
 * derived from THRESHOLDS here too.
 */
import { describe, expect, it } from 'vitest';
import { CRASH_PATTERNS, type Classification, type CrashPattern, type Criterion, type CriterionKey, type Evidence, type Facts } from '../../src/analyses/crash-patterns.js';
import { MARKERS } from '../../src/config/markers.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import {
  CRASH_PATTERN_TITLES,
  classificationDocument,
  classificationSummary,
  criterionName,
  evidenceMessage,
  patternCountsText,
  wordCriterion,
  wordEvidence,
} from '../../src/present/crash-patterns.js';
import { at } from '../support/rows.js';

const criterion = (key: CriterionKey, facts: Facts, pattern: CrashPattern = 'oom_model_load', met = true, required = true): Criterion => ({ pattern, key, met, required, facts });
const detail = (key: CriterionKey, facts: Facts) => wordCriterion(criterion(key, facts), 'oom_model_load').detail;

describe('CRASH_PATTERN_TITLES', () => {
  it('a title for every pattern; the three of §5 name their pattern number', () => {
    expect(Object.keys(CRASH_PATTERN_TITLES).sort()).toEqual([...CRASH_PATTERNS].sort());
    expect(CRASH_PATTERN_TITLES.oom_model_load).toBe('OOM during model loading (§5 pattern 1)');
    expect(CRASH_PATTERN_TITLES.init_failure).toBe('Initialization failure (§5 pattern 2)');
    expect(CRASH_PATTERN_TITLES.vlm_loading_hang).toBe('VLM loading hang (§5 pattern 3)');
    expect(CRASH_PATTERN_TITLES.unexplained).toBe('Dead, no known pattern');
    expect(CRASH_PATTERN_TITLES.not_started).toBe('Never sent a heartbeat');
    expect(CRASH_PATTERN_TITLES.no_crash).toBe('No crash');
  });
});

describe('criterionName', () => {
  const window = THRESHOLDS.oomCrashWindowS;

  it('every criterion named, the thresholds it quotes read from THRESHOLDS', () => {
    const names = Object.fromEntries(
      (
        [
          'dead',
          'single_early_heartbeat',
          'nothing_else_logged',
          'never_claimed_task',
          'model_switch_logged',
          'death_in_oom_window',
          'no_error_after_switch',
          'heartbeats_after_switch',
          'task_left_in_progress',
          'vlm_line_logged',
          'vlm_silence',
        ] as const
      ).map((key) => [key, criterionName(criterion(key, {}), 'oom_model_load')]),
    );
    expect(names).toEqual({
      dead: 'dead',
      single_early_heartbeat: 'single early heartbeat',
      nothing_else_logged: 'nothing else logged',
      never_claimed_task: 'never claimed a task',
      model_switch_logged: 'MODEL SWITCH logged',
      death_in_oom_window: `death ${window.min / 60}–${window.max / 60} min after the switch`,
      no_error_after_switch: 'no error logged after the switch',
      heartbeats_after_switch: 'one or two heartbeats after the switch',
      task_left_in_progress: 'task left In Progress',
      vlm_line_logged: `"${MARKERS.vlmLoading}" logged`,
      vlm_silence: `silence of ${THRESHOLDS.vlmHangSilenceS / 60} min or more after it`,
    });
    // "One or two heartbeats after" is the guide's wording of this threshold.
    expect(THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch).toBe(2);
  });

  it('a near miss (another pattern\'s criterion) names its pattern', () => {
    expect(criterionName(criterion('vlm_silence', {}, 'vlm_loading_hang'), 'unexplained')).toBe(`vlm_loading_hang: silence of ${THRESHOLDS.vlmHangSilenceS / 60} min or more after it`);
    expect(criterionName(criterion('dead', {}, 'init_failure'), 'init_failure')).toBe('dead');
  });
});

describe('wordCriterion: each criterion\'s detail from its facts', () => {
  it('dead', () => {
    expect(detail('dead', { death_reason: 'heartbeat_stale' })).toBe('death: heartbeat_stale');
    expect(detail('dead', { death_reason: null })).toBe('death: no');
  });

  it('single_early_heartbeat', () => {
    expect(detail('single_early_heartbeat', { lifetime_s: 4.5, limit_s: THRESHOLDS.initFailureWindowS })).toBe(`last heartbeat 4.5 s after creation (≤ ${THRESHOLDS.initFailureWindowS} s)`);
    expect(detail('single_early_heartbeat', { lifetime_s: null, limit_s: THRESHOLDS.initFailureWindowS })).toBe(`last heartbeat n/a after creation (≤ ${THRESHOLDS.initFailureWindowS} s)`);
  });

  it('nothing_else_logged, never_claimed_task, no_error_after_switch, task_left_in_progress', () => {
    expect(detail('nothing_else_logged', { worker_lines: 1, logged_heartbeats: 1 })).toBe('1 worker line(s), 1 of them heartbeats');
    expect(detail('never_claimed_task', { tasks: 0 })).toBe('0 task(s)');
    expect(detail('no_error_after_switch', { errors_after_switch: 2 })).toBe('2 ERROR/CRITICAL line(s) after the switch');
    expect(detail('task_left_in_progress', { tasks_in_progress: 1 })).toBe('1 task(s) In Progress');
  });

  it('model_switch_logged and vlm_line_logged: the instant, or none', () => {
    expect(detail('model_switch_logged', { switch_at: at('13:00:00') + 7 })).toBe('at 2025-10-17T13:00:00.000007Z');
    expect(detail('model_switch_logged', { switch_at: null })).toBe('none');
    expect(detail('vlm_line_logged', { vlm_line_at: at('12:03:00') })).toBe('at 2025-10-17T12:03:00.000Z');
    expect(detail('vlm_line_logged', { vlm_line_at: null })).toBe('none');
  });

  it('death_in_oom_window: switch to the last DB heartbeat against the window\'s ends in seconds', () => {
    const ends = { window_min_s: THRESHOLDS.oomCrashWindowS.min, window_max_s: THRESHOLDS.oomCrashWindowS.max };
    const window = `(window ${THRESHOLDS.oomCrashWindowS.min}–${THRESHOLDS.oomCrashWindowS.max} s)`;
    expect(detail('death_in_oom_window', { crash_after_switch_s: 190, ...ends })).toBe(`switch → last DB heartbeat 3.2 min ${window}`);
    expect(detail('death_in_oom_window', { crash_after_switch_s: null, ...ends })).toBe(`switch → last DB heartbeat n/a ${window}`);
  });

  it('heartbeats_after_switch', () => {
    expect(detail('heartbeats_after_switch', { logged_heartbeats_after_switch: 2, last_heartbeat_after_switch_s: 60 })).toBe('2 logged heartbeat(s) after, the last 60.0 s after the switch');
    expect(detail('heartbeats_after_switch', { logged_heartbeats_after_switch: 0, last_heartbeat_after_switch_s: null })).toBe('0 logged heartbeat(s) after, the last n/a after the switch');
  });

  it('vlm_silence: closed, open-ended, or none', () => {
    expect(detail('vlm_silence', { silence_s: 360, open_ended: false, limit_s: 300 })).toBe('6.0 min without a worker line');
    expect(detail('vlm_silence', { silence_s: 360, open_ended: true, limit_s: 300 })).toBe('6.0 min without a worker line (none followed; counted to the last DB heartbeat)');
    expect(detail('vlm_silence', { silence_s: null, open_ended: null, limit_s: 300 })).toBe('n/a');
  });

  it('the worded criterion keeps met and required', () => {
    expect(wordCriterion(criterion('never_claimed_task', { tasks: 2 }, 'init_failure', false, false), 'unexplained')).toEqual({
      name: 'init_failure: never claimed a task',
      met: false,
      required: false,
      detail: '2 task(s)',
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
    expect(evidenceMessage(evidence('vlm_silence', 'Before VLM loading', { silence_s: 360 }))).toBe('then 6.0 min of silence: Before VLM loading');
    expect(evidenceMessage(evidence('last_error', 'CUDA out of memory'))).toBe('last error: CUDA out of memory');
    expect(evidenceMessage(evidence('last_worker_line', 'Generation complete'))).toBe('last worker line: Generation complete');
    expect(evidenceMessage(evidence('error_code', 'STALE_HEARTBEAT_ACTIVE_TASK', { error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' }, 'workers', null))).toBe(
      'metadata.error_code = STALE_HEARTBEAT_ACTIVE_TASK',
    );
    expect(evidenceMessage(evidence('task_in_progress', 'travel_segment 7a5c0000', { task_type: 'travel_segment', task_id: '7a5c0000' }, 'tasks'))).toBe('travel_segment 7a5c0000 still In Progress');
  });

  it('wordEvidence: when, where from, level and the message', () => {
    expect(wordEvidence(evidence('last_error', 'CUDA out of memory'))).toEqual({ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', message: 'last error: CUDA out of memory' });
    expect(wordEvidence(evidence('error_code', 'X', {}, 'workers', null))).toEqual({ timestamp: null, source: 'workers', level: null, message: 'metadata.error_code = X' });
  });
});

function classification(pattern: CrashPattern, summary_facts: Facts, over: Partial<Classification> = {}): Classification {
  return {
    id: 'gpu-20251017_120000-aaaaaaaa',
    pattern,
    status: 'active',
    heartbeat_state: 'dead',
    heartbeat_age_s: 3410,
    died_at: at('13:03:10'),
    death_reason: 'heartbeat_stale',
    crash_after_switch_s: 190,
    criteria: [],
    figures: {},
    evidence: [],
    summary_facts,
    ...over,
  };
}

describe('classificationSummary', () => {
  it('one line per pattern, from its summary facts', () => {
    expect(classificationSummary(classification('not_started', { status: 'spawning' }))).toBe('No heartbeat ever (status spawning): the worker process never reported in.');
    expect(classificationSummary(classification('init_failure', { lifetime_s: 4 }))).toBe('One heartbeat 4.0 s after creation, then nothing: it crashed before logging was set up.');
    expect(classificationSummary(classification('oom_model_load', { crash_after_switch_s: 190 }))).toBe('Died 3.2 min after MODEL SWITCH with no error logged: out of memory while loading the model.');
    expect(classificationSummary(classification('unexplained', { death_reason: 'status_error' }))).toBe('Dead (status_error) but no known crash pattern fits; read the evidence lines.');
  });

  it('vlm_loading_hang: then died, still silent, or neither', () => {
    const vlm = (dead: boolean, open_ended: boolean) => classificationSummary(classification('vlm_loading_hang', { silence_s: 360, dead, open_ended }));
    expect(vlm(true, true)).toBe(`Silent for 6.0 min after "${MARKERS.vlmLoading}", then died: VLM loading hung.`);
    expect(vlm(false, true)).toBe(`Silent for 6.0 min after "${MARKERS.vlmLoading}", still silent: VLM loading hung.`);
    expect(vlm(false, false)).toBe(`Silent for 6.0 min after "${MARKERS.vlmLoading}": VLM loading hung.`);
  });

  it('no_crash: terminated cleanly, or the heartbeat band and age', () => {
    expect(classificationSummary(classification('no_crash', { terminated_cleanly: true, heartbeat_state: 'dead', heartbeat_age_s: 7200 }))).toBe('Terminated cleanly.');
    expect(classificationSummary(classification('no_crash', { terminated_cleanly: false, heartbeat_state: 'alive', heartbeat_age_s: 10 }))).toBe('Heartbeat alive (10.0 s old).');
  });
});

describe('classificationDocument', () => {
  it('the codes and figures with their words beside them, in the --json shape', () => {
    const c = classification('oom_model_load', { crash_after_switch_s: 190 }, {
      criteria: [criterion('death_in_oom_window', { crash_after_switch_s: 190, window_min_s: 90, window_max_s: 300 }), criterion('vlm_silence', { silence_s: null, open_ended: null, limit_s: 300 }, 'vlm_loading_hang', false, false)],
      figures: { lifetime_s: 3790, silence_before_death_s: 130 },
      evidence: [{ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', kind: 'model_switch', text: '🔄 MODEL SWITCH: a -> b', facts: {} }],
    });
    const doc = classificationDocument(c);
    expect(doc).toEqual({
      id: c.id,
      pattern: 'oom_model_load',
      title: 'OOM during model loading (§5 pattern 1)',
      status: 'active',
      heartbeat_state: 'dead',
      heartbeat_age_s: 3410,
      died_at: at('13:03:10'),
      crash_after_switch_s: 190,
      criteria: [
        {
          name: `death ${THRESHOLDS.oomCrashWindowS.min / 60}–${THRESHOLDS.oomCrashWindowS.max / 60} min after the switch`,
          met: true,
          required: true,
          detail: 'switch → last DB heartbeat 3.2 min (window 90–300 s)',
          key: 'death_in_oom_window',
          pattern: 'oom_model_load',
          facts: { crash_after_switch_s: 190, window_min_s: 90, window_max_s: 300 },
        },
        {
          name: `vlm_loading_hang: silence of ${THRESHOLDS.vlmHangSilenceS / 60} min or more after it`,
          met: false,
          required: false,
          detail: 'n/a',
          key: 'vlm_silence',
          pattern: 'vlm_loading_hang',
          facts: { silence_s: null, open_ended: null, limit_s: 300 },
        },
      ],
      figures: { lifetime_s: 3790, silence_before_death_s: 130 },
      evidence: [{ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', message: 'last MODEL SWITCH: 🔄 MODEL SWITCH: a -> b', kind: 'model_switch' }],
      summary: 'Died 3.2 min after MODEL SWITCH with no error logged: out of memory while loading the model.',
      death_reason: 'heartbeat_stale',
    });
  });
});

describe('patternCountsText', () => {
  it('the non-zero counts in their order, or "no workers"', () => {
    expect(patternCountsText({ oom_model_load: 3, init_failure: 0, vlm_loading_hang: 1 })).toBe('3 oom_model_load, 1 vlm_loading_hang');
    expect(patternCountsText({ oom_model_load: 0 })).toBe('no workers');
    expect(patternCountsText({})).toBe('no workers');
  });
});

/**
 * The words of §15 (src/present/investigation.ts): the guide's checklist titles, and each item's
 * finding for every branch, from hand-built items. Figures a finding quotes from THRESHOLDS are
 * derived from THRESHOLDS here too.
 */
import { describe, expect, it } from 'vitest';
import { CHECKLIST_KEYS, investigateWorker, type ChecklistItem } from '../../src/analyses/investigation.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { CRASH_PATTERN_TITLES, classificationDocument, classificationSummary } from '../../src/present/crash-patterns.js';
import { CHECKLIST_TITLES, checklistFinding, investigationDocument, wordChecklistItem } from '../../src/present/investigation.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const OOM_WINDOW = `${THRESHOLDS.oomCrashWindowS.min / 60}–${THRESHOLDS.oomCrashWindowS.max / 60} min`;
const LOAD_WINDOW = `${THRESHOLDS.modelLoadCrashWindowS / 60} min`;
const GAP = THRESHOLDS.loggedHeartbeatGapS;

const finding = (item: ChecklistItem) => checklistFinding(item);

describe('CHECKLIST_TITLES', () => {
  it('the guide\'s §15 list, word for word, in its order, with the memory line issue 9 adds before the last', () => {
    expect(CHECKLIST_KEYS.map((k) => CHECKLIST_TITLES[k])).toEqual([
      'Check last heartbeat age (workers table)',
      'Get all logs for the worker',
      'Identify the last log before silence',
      'Look for MODEL SWITCH log',
      'Calculate time between MODEL SWITCH and crash',
      'Check for heartbeat gaps',
      'Find any error messages',
      'Check tasks assigned to worker',
      'Verify memory profile being used',
      'Check memory before death ([RAM] samples)',
      'Compare crash timing with other failed workers',
    ]);
  });
});

describe('checklistFinding', () => {
  it('heartbeat: its age and band, or that there never was one', () => {
    expect(finding({ key: 'heartbeat', verdict: 'ok', facts: { status: 'active', last_heartbeat: at('13:59:01'), heartbeat_age_s: 59, heartbeat_state: 'alive' } })).toBe(
      'Last DB heartbeat 59.0 s before as-of: alive (status active).',
    );
    expect(finding({ key: 'heartbeat', verdict: 'bad', facts: { status: 'active', last_heartbeat: at('13:55:00'), heartbeat_age_s: 300, heartbeat_state: 'dead' } })).toBe(
      'Last DB heartbeat 5.0 min before as-of: dead (status active).',
    );
    expect(finding({ key: 'heartbeat', verdict: 'bad', facts: { status: 'spawning', last_heartbeat: null, heartbeat_age_s: null, heartbeat_state: 'never' } })).toBe(
      'No DB heartbeat ever (status spawning).',
    );
  });

  it('logs: the count, by level and by source', () => {
    expect(finding({ key: 'logs', verdict: 'info', facts: { total: 3, by_level: { INFO: 2, WARNING: 1 }, by_source_type: { worker: 2, orchestrator_gpu: 1 } } })).toBe(
      '3 line(s): 2 INFO, 1 WARNING; by source 2 worker, 1 orchestrator_gpu.',
    );
    expect(finding({ key: 'logs', verdict: 'warn', facts: { total: 0, by_level: {}, by_source_type: {} } })).toBe('0 line(s): none; by source none.');
  });

  it('last_log: the line, its silence, the silence before death and the orchestrator lines after it, each only when known', () => {
    const last = { timestamp: at('13:01:00'), log_level: 'INFO', message: '✅ [HEARTBEAT] Worker w active' };
    expect(finding({ key: 'last_log', verdict: 'warn', facts: { last_worker_log: last, silence_s: 3540, silence_before_death_s: 130, orchestrator_lines_after: 2 } })).toBe(
      '"✅ [HEARTBEAT] Worker w active" at 2025-10-17T13:01:00.000Z; silent for 59.0 min before as-of, 2.2 min before its last DB heartbeat; 2 orchestrator line(s) about it came later.',
    );
    expect(finding({ key: 'last_log', verdict: 'ok', facts: { last_worker_log: last, silence_s: 10, silence_before_death_s: null, orchestrator_lines_after: 0 } })).toBe(
      '"✅ [HEARTBEAT] Worker w active" at 2025-10-17T13:01:00.000Z; silent for 10.0 s before as-of.',
    );
    expect(finding({ key: 'last_log', verdict: 'warn', facts: { last_worker_log: null, silence_s: null, silence_before_death_s: null, orchestrator_lines_after: 0 } })).toBe(
      'The worker never wrote a line of its own.',
    );
  });

  it('model_switch: how many and the last, or none', () => {
    expect(finding({ key: 'model_switch', verdict: 'info', facts: { switches_total: 2, switch_at: at('13:00:00') + 1, switch_message: '🔄 MODEL SWITCH: b -> c' } })).toBe(
      '2 switch(es); last at 2025-10-17T13:00:00.000001Z: "🔄 MODEL SWITCH: b -> c".',
    );
    expect(finding({ key: 'model_switch', verdict: 'info', facts: { switches_total: 0, switch_at: null, switch_message: null } })).toBe('No MODEL SWITCH logged.');
  });

  describe('switch_to_crash', () => {
    const timed = (crash_after_s: number, in_oom_window: boolean, in_model_load_window: boolean, verdict: ChecklistItem['verdict']): ChecklistItem => ({
      key: 'switch_to_crash',
      verdict,
      facts: { switch_at: at('13:00:00'), crashed: true, crash_after_s, in_oom_window, in_model_load_window },
    });

    it('bad: inside the OOM window', () => {
      expect(finding(timed(190, true, true, 'bad'))).toBe(`Died 3.2 min after the switch (to the last DB heartbeat): inside the ${OOM_WINDOW} OOM window.`);
    });

    it('warn: within the model-loading window, outside the OOM window', () => {
      expect(finding(timed(420, false, true, 'warn'))).toBe(`Died 7.0 min after the switch (to the last DB heartbeat): within ${LOAD_WINDOW}, outside the ${OOM_WINDOW} OOM window.`);
    });

    it('info: long after the switch', () => {
      expect(finding(timed(1200, false, false, 'info'))).toBe('Died 20.0 min after the switch (to the last DB heartbeat): long after the switch.');
    });

    it('info: a last DB heartbeat before the switch line is not "long after" it', () => {
      const words = finding(timed(-30, false, false, 'info'));
      expect(words).toBe('Dead, but its last DB heartbeat came 30.0 s before the switch was logged: the death cannot be timed from the switch.');
    });

    it('ok: no switch, or not dead', () => {
      expect(finding({ key: 'switch_to_crash', verdict: 'ok', facts: { switch_at: null, crashed: false, crash_after_s: null, in_oom_window: false, in_model_load_window: false } })).toBe('No switch to time.');
      expect(finding({ key: 'switch_to_crash', verdict: 'ok', facts: { switch_at: at('13:00:00'), crashed: false, crash_after_s: null, in_oom_window: false, in_model_load_window: false } })).toBe(
        'Not dead: no crash to time.',
      );
    });

    it('warn: dead after the switch without a DB heartbeat to time it by (not "not dead")', () => {
      expect(finding({ key: 'switch_to_crash', verdict: 'warn', facts: { switch_at: at('13:00:00'), crashed: true, crash_after_s: null, in_oom_window: false, in_model_load_window: false } })).toBe(
        'Dead, but it never sent a DB heartbeat: no time of death to measure from the switch.',
      );
    });
  });

  it('heartbeat_gaps: count, gaps over the threshold, the longest, the DB heartbeat after the last logged one', () => {
    const db = at('13:59:50');
    expect(finding({ key: 'heartbeat_gaps', verdict: 'warn', facts: { logged_heartbeats: 4, gaps: 2, threshold_s: GAP, longest_gap_s: 99, db_after_last_logged_s: 20, db_last_heartbeat: db } })).toBe(
      `4 logged heartbeat(s); 2 gap(s) over ${GAP} s, longest 99.0 s; the DB heartbeat went on 20.0 s after the last logged one.`,
    );
    expect(finding({ key: 'heartbeat_gaps', verdict: 'ok', facts: { logged_heartbeats: 3, gaps: 0, threshold_s: GAP, longest_gap_s: null, db_after_last_logged_s: null, db_last_heartbeat: null } })).toBe(
      `3 logged heartbeat(s); 0 gap(s) over ${GAP} s.`,
    );
    // A version that logs no heartbeat lines: undecided, never "0 gaps".
    expect(finding({ key: 'heartbeat_gaps', verdict: 'info', facts: { logged_heartbeats: 0, gaps: 0, threshold_s: GAP, longest_gap_s: null, db_after_last_logged_s: null, db_last_heartbeat: db } })).toBe(
      'No heartbeat lines logged: gaps judged from the DB heartbeat only (last 2025-10-17T13:59:50.000Z).',
    );
  });

  it('errors: how many, how many from the worker, the last; or none', () => {
    expect(finding({ key: 'errors', verdict: 'bad', facts: { errors: 2, from_worker: 1, last_error: 'Marking worker as error' } })).toBe(
      '2 ERROR/CRITICAL line(s), 1 from the worker; last: "Marking worker as error".',
    );
    expect(finding({ key: 'errors', verdict: 'ok', facts: { errors: 0, from_worker: 0, last_error: null } })).toBe('No ERROR or CRITICAL line.');
  });

  it('tasks: counts by status, and the orphaned ones when there are', () => {
    const byStatus = (over: Record<string, number>) => ({ Queued: 0, 'In Progress': 0, Complete: 0, Failed: 0, Cancelled: 0, ...over });
    expect(finding({ key: 'tasks', verdict: 'bad', facts: { total: 2, by_status: byStatus({ 'In Progress': 1, Failed: 1 }), orphaned: 1 } })).toBe(
      '2 task(s): 1 In Progress, 1 Failed; 1 orphaned (In Progress on a dead worker).',
    );
    expect(finding({ key: 'tasks', verdict: 'ok', facts: { total: 2, by_status: byStatus({ Complete: 1, Cancelled: 1 }), orphaned: 0 } })).toBe('2 task(s): 1 Complete, 1 Cancelled.');
    expect(finding({ key: 'tasks', verdict: 'ok', facts: { total: 0, by_status: byStatus({}), orphaned: 0 } })).toBe('0 task(s): none.');
  });

  it('memory_profile: the profile and its line; a line without a number; no line', () => {
    expect(finding({ key: 'memory_profile', verdict: 'info', facts: { memory_profile: 4, line: 'Using Memory Profile 4', profile_lines: 1 } })).toBe('Memory profile 4 ("Using Memory Profile 4").');
    expect(finding({ key: 'memory_profile', verdict: 'warn', facts: { memory_profile: null, line: null, profile_lines: 0 } })).toBe('No memory-profile line logged: the profile is unknown.');
    expect(finding({ key: 'memory_profile', verdict: 'warn', facts: { memory_profile: null, line: 'Memory Profile: default', profile_lines: 1 } })).toBe(
      'A memory-profile line names no profile number ("Memory Profile: default").',
    );
  });

  it('ram_before_death: the last sample before death, its system use (high from the threshold), its process', () => {
    const sample = { at: at('13:02:00'), label: 'Before model switch', process_mb: 9000, system_used_pct: 92.5, available_gb: 9.6, total_gb: 128 };
    const facts = { sample, ram_lines: 3, died_at: at('13:03:10'), high_pct: 90 };
    expect(finding({ key: 'ram_before_death', verdict: 'warn', facts })).toBe(
      `Last sample ("Before model switch") at 2025-10-17T13:02:00.000Z, 70.0 s before its last DB heartbeat: system 92.5 % used (≥ 90 %: high), the worker's process 9000 MB.`,
    );
    expect(finding({ key: 'ram_before_death', verdict: 'info', facts: { ...facts, sample: null, ram_lines: 0 } })).toBe('No [RAM] samples logged: memory before a crash unknown.');
    expect(finding({ key: 'ram_before_death', verdict: 'info', facts: { ...facts, sample: null } })).toBe('No [RAM] sample before its death.');
  });

  describe('crash_timing', () => {
    const placed = (crash_after_s: number, percentile: number): ChecklistItem => ({
      key: 'crash_timing',
      verdict: 'info',
      facts: { fleet_loaded: true, placement: { crash_after_s, percentile, n: 3, median_s: 240 }, model_load_window_s: THRESHOLDS.modelLoadCrashWindowS },
    });

    it('inside the model-loading window: its percentile among the fleet\'s crashes, with an ordinal that reads', () => {
      expect(finding(placed(190, 1 / 3))).toBe('3.2 min after the switch: at the 33rd percentile of 3 model-load crash(es) in the fleet (median 4.0 min).');
      expect(finding(placed(0, 0.01))).toBe('0.0 s after the switch: at the 1st percentile of 3 model-load crash(es) in the fleet (median 4.0 min).');
      expect(finding(placed(240, 0.52))).toBe('4.0 min after the switch: at the 52nd percentile of 3 model-load crash(es) in the fleet (median 4.0 min).');
      expect(finding(placed(300, 0.11))).toBe('5.0 min after the switch: at the 11th percentile of 3 model-load crash(es) in the fleet (median 4.0 min).');
      expect(finding(placed(599.999999, 1))).toBe('10.0 min after the switch: at the 100th percentile of 3 model-load crash(es) in the fleet (median 4.0 min).');
    });

    it(`outside it (from ${THRESHOLDS.modelLoadCrashWindowS} s on, §12's \`< 10\`, or negative): not one of the fleet's model-load crashes`, () => {
      const outside = (s: string) => `${s} after the switch: outside the ${LOAD_WINDOW} model-load window, so not one of the fleet's 3 model-load crash(es) (median 4.0 min).`;
      expect(finding(placed(THRESHOLDS.modelLoadCrashWindowS, 1))).toBe(outside('10.0 min'));
      expect(finding(placed(1200, 1))).toBe(outside('20.0 min'));
      expect(finding(placed(-30, 0))).toBe(outside('-30.0 s'));
    });

    it('nothing placed: no time to compare, or the fleet not loaded', () => {
      const none = (fleet_loaded: boolean): ChecklistItem => ({ key: 'crash_timing', verdict: 'info', facts: { fleet_loaded, placement: null, model_load_window_s: 600 } });
      expect(finding(none(true))).toBe('This worker has no switch-to-death time to compare.');
      expect(finding(none(false))).toBe('Fleet crash timings not loaded.');
    });
  });
});

describe('wordChecklistItem', () => {
  it('key, the guide\'s title, verdict, its icon and the finding', () => {
    const item: ChecklistItem = { key: 'errors', verdict: 'bad', facts: { errors: 1, from_worker: 1, last_error: 'CUDA out of memory' } };
    expect(wordChecklistItem(item)).toEqual({
      key: 'errors',
      title: 'Find any error messages',
      verdict: 'bad',
      icon: '❌',
      finding: '1 ERROR/CRITICAL line(s), 1 from the worker; last: "CUDA out of memory".',
    });
  });
});

describe('investigationDocument', () => {
  const inv = investigateWorker(worker({ heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], [log('12:00:00', 'Using Memory Profile 3'), log('13:00:00', '🔄 MODEL SWITCH: a -> b'), heartbeatLine('13:00:30')], at('14:00:00'), null, BUILT_IN_VOCABULARY);
  const doc = investigationDocument(inv);

  it('every result of the investigation, the checklist worded with its facts, the classification as its document', () => {
    expect(doc.worker_id).toBe(inv.worker_id);
    expect(doc.status).toBe(inv.status);
    expect(doc.model_switch).toBe(inv.model_switch);
    expect(doc.classification).toEqual(classificationDocument(inv.classification));
    expect(doc.checklist).toEqual(inv.checklist.map((item) => ({ ...wordChecklistItem(item), facts: item.facts })));
    expect(doc.checklist.map((i) => i.title)).toEqual(CHECKLIST_KEYS.map((k) => CHECKLIST_TITLES[k]));
  });

  it('closes with the verdict: pattern, title, confidence, summary, worded criteria and evidence, coverage notes', () => {
    const c = classificationDocument(inv.classification);
    expect(doc.verdict).toEqual({
      pattern: inv.classification.pattern,
      title: CRASH_PATTERN_TITLES[inv.classification.pattern],
      confidence: inv.classification.confidence,
      confidence_meaning: c.confidence_meaning,
      summary: classificationSummary(inv.classification),
      criteria: c.criteria.map(({ key: _key, pattern: _pattern, facts: _facts, ...k }) => k),
      evidence: c.evidence.map(({ kind: _kind, ...e }) => e),
      coverage_notes: c.coverage_notes,
    });
    expect(doc.verdict.criteria.length).toBeGreaterThan(0);
    expect(doc.verdict.evidence.length).toBeGreaterThan(0);
  });
});

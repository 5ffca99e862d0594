/**
 * §15 Investigation checklist, item by item: each builder takes its section's own result (built
 * here from hand-made rows by that section's analysis) and every verdict branch it has is reached,
 * with the facts it was judged on; then investigateWorker end to end on hand-built workers.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECKLIST_KEYS,
  crashTimingItem,
  errorLines,
  errorsItem,
  heartbeatGapsItem,
  heartbeatItem,
  investigateWorker,
  lastLogItem,
  logsItem,
  memoryProfileItem,
  ramBeforeDeathItem,
  modelSwitchItem,
  switchToCrashItem,
  tasksItem,
} from '../../src/analyses/investigation.js';
import { crashTiming, placeCrashTiming } from '../../src/analyses/crash-timing.js';
import { heartbeatGaps } from '../../src/analyses/heartbeat-gaps.js';
import { memoryProfile } from '../../src/analyses/memory-profile.js';
import { modelSwitch } from '../../src/analyses/model-switch.js';
import { orphanedTasks } from '../../src/analyses/orphaned-tasks.js';
import { workerLogs } from '../../src/analyses/worker-logs.js';
import { workerStatus } from '../../src/analyses/worker-status.js';
import { workerTasks } from '../../src/analyses/worker-tasks.js';
import { evidenceOf } from '../../src/rows/signals.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { switchedCase } from '../support/cases.js';
import { after, at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const OTHER = 'gpu-20251017_120000-bbbbbbbb';
const AS_OF = at('14:00:00');
const HB = `✅ [HEARTBEAT] Worker ${W} active`;

function logSummary(logs: SystemLog[], filter = {}) {
  const { logs: _lines, ...summary } = workerLogs(W, logs, AS_OF, filter);
  return summary;
}

describe('heartbeatItem: §1 bands as verdicts', () => {
  it.each([
    ['13:59:01', 'ok', 'alive', 59],
    ['13:59:00', 'warn', 'aging', 60],
    [after('13:55:00', 0.000001), 'warn', 'aging', 299.999999],
    ['13:55:00', 'bad', 'dead', 300],
  ] as const)('heartbeat at %s → %s', (hb, verdict, state, age) => {
    expect(heartbeatItem(workerStatus(worker({ heartbeat: hb }), AS_OF))).toEqual({
      key: 'heartbeat',
      verdict,
      facts: { status: 'active', last_heartbeat: at(hb), heartbeat_age_s: age, heartbeat_state: state },
    });
  });

  it('never sent one (NULL heartbeat) → bad', () => {
    expect(heartbeatItem(workerStatus(worker({ heartbeat: null, status: 'spawning' }), AS_OF))).toEqual({
      key: 'heartbeat',
      verdict: 'bad',
      facts: { status: 'spawning', last_heartbeat: null, heartbeat_age_s: null, heartbeat_state: 'never' },
    });
  });
});

describe('logsItem', () => {
  it('no line at all → warn', () => {
    expect(logsItem(logSummary([]))).toEqual({ key: 'logs', verdict: 'warn', facts: { total: 0, by_level: {}, by_source_type: {} } });
  });

  it('any line → info, counting every line whatever the filter', () => {
    const logs = [log('13:00:00', 'a'), log('13:01:00', 'b', { level: 'WARNING' }), log('13:02:00', 'c', { source: 'orchestrator_gpu' })];
    const item = logsItem(logSummary(logs, { level: 'ERROR' }));
    expect(item).toEqual({ key: 'logs', verdict: 'info', facts: { total: 3, by_level: { INFO: 2, WARNING: 1 }, by_source_type: { worker: 2, orchestrator_gpu: 1 } } });
  });
});

describe('lastLogItem: ok only for an alive worker whose own last line is under 5 min old', () => {
  const own = (time: string) => [log('12:00:00', 'Worker starting'), log(time, 'Generation complete'), log('13:59:00', 'note', { source: 'orchestrator_gpu' })];

  it('alive, last line 299.999999 s before as-of → ok, with its facts', () => {
    const summary = logSummary(own(after('13:55:00', 0.000001)));
    expect(lastLogItem(summary, 'alive', null)).toEqual({
      key: 'last_log',
      verdict: 'ok',
      facts: {
        last_worker_log: { timestamp: at('13:55:00') + 1, log_level: 'INFO', message: 'Generation complete' },
        silence_s: 299.999999,
        silence_before_death_s: null,
        orchestrator_lines_after: 1,
      },
    });
  });

  it('alive but silent for exactly 5 min → warn', () => {
    expect(lastLogItem(logSummary(own('13:55:00')), 'alive', null)).toMatchObject({ verdict: 'warn', facts: { silence_s: 300 } });
  });

  it('a recent line but a heartbeat that is not alive → warn (aging, dead, never)', () => {
    for (const state of ['aging', 'dead', 'never'] as const) expect(lastLogItem(logSummary(own('13:59:30')), state, null).verdict).toBe('warn');
  });

  it('no line of its own (only the orchestrator\'s) → warn', () => {
    const summary = logSummary([log('13:59:00', 'Spawning pod', { source: 'orchestrator_gpu' })]);
    expect(lastLogItem(summary, 'alive', null)).toEqual({
      key: 'last_log',
      verdict: 'warn',
      facts: { last_worker_log: null, silence_s: null, silence_before_death_s: null, orchestrator_lines_after: 0 },
    });
  });

  it('carries the silence before death it is given', () => {
    expect(lastLogItem(logSummary(own('13:00:00')), 'dead', 130).facts).toMatchObject({ silence_before_death_s: 130, silence_s: 3600 });
  });
});

const switchLogs = [log('12:30:00', '🔄 MODEL SWITCH: a -> b'), log('13:00:00', '🔄 MODEL SWITCH: b -> c'), heartbeatLine('13:00:30')];

describe('modelSwitchItem: always info, with what was found', () => {
  it('switches found', () => {
    expect(modelSwitchItem(modelSwitch(worker({ heartbeat: '13:59:50' }), [], switchLogs, AS_OF, BUILT_IN_VOCABULARY))).toEqual({
      key: 'model_switch',
      verdict: 'info',
      facts: { switches_total: 2, switch_at: at('13:00:00'), switch_message: '🔄 MODEL SWITCH: b -> c' },
    });
  });

  it('none found', () => {
    expect(modelSwitchItem(modelSwitch(worker(), [], [heartbeatLine('13:00:00')], AS_OF, BUILT_IN_VOCABULARY))).toEqual({
      key: 'model_switch',
      verdict: 'info',
      facts: { switches_total: 0, switch_at: null, switch_message: null },
    });
  });
});

describe('switchToCrashItem', () => {
  const item = (w: Worker, logs = switchLogs, tasks: Task[] = []) => switchToCrashItem(modelSwitch(w, tasks, logs, AS_OF, BUILT_IN_VOCABULARY));

  it('no switch → ok', () => {
    expect(item(worker({ heartbeat: '12:00:00' }), [])).toEqual({
      key: 'switch_to_crash',
      verdict: 'ok',
      facts: { switch_at: null, crashed: false, crash_after_s: null, in_oom_window: false, in_model_load_window: false },
    });
  });

  it('a switch on a worker that is not dead → ok', () => {
    expect(item(worker({ heartbeat: '13:59:50' }))).toMatchObject({ verdict: 'ok', facts: { switch_at: at('13:00:00'), crashed: false, crash_after_s: null } });
  });

  it('dead after a switch with no DB heartbeat to time it by → warn', () => {
    expect(item(worker({ status: 'error', heartbeat: null }))).toEqual({
      key: 'switch_to_crash',
      verdict: 'warn',
      facts: { switch_at: at('13:00:00'), crashed: true, crash_after_s: null, in_oom_window: false, in_model_load_window: false },
    });
  });

  it.each([
    [90, 'bad', true, true],
    [300, 'bad', true, true],
    [89.999999, 'warn', false, true],
    [300.000001, 'warn', false, true],
    [599.999999, 'warn', false, true],
    [600, 'info', false, false],
    [-30, 'info', false, false],
  ] as const)('death %s s after the switch → %s', (s, verdict, oom, load) => {
    expect(item(worker({ heartbeat: after('13:00:00', s) }))).toEqual({
      key: 'switch_to_crash',
      verdict,
      facts: { switch_at: at('13:00:00'), crashed: true, crash_after_s: s, in_oom_window: oom, in_model_load_window: load },
    });
  });
});

describe('heartbeatGapsItem', () => {
  it('a gap over 40 s → warn, with the longest and the DB heartbeat\'s lead', () => {
    const logs = [heartbeatLine('13:00:00'), heartbeatLine('13:00:41'), heartbeatLine('13:01:21'), heartbeatLine('13:03:00')];
    expect(heartbeatGapsItem(heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:03:20' })))).toEqual({
      key: 'heartbeat_gaps',
      verdict: 'warn',
      facts: { logged_heartbeats: 4, gaps: 2, threshold_s: 40, longest_gap_s: 99, db_after_last_logged_s: 20, db_last_heartbeat: at('13:03:20') },
    });
  });

  it('gaps of exactly 40 s → ok', () => {
    expect(heartbeatGapsItem(heartbeatGaps(W, [heartbeatLine('13:00:00'), heartbeatLine('13:00:40'), heartbeatLine('13:01:20')], AS_OF, BUILT_IN_VOCABULARY))).toEqual({
      key: 'heartbeat_gaps',
      verdict: 'ok',
      facts: { logged_heartbeats: 3, gaps: 0, threshold_s: 40, longest_gap_s: null, db_after_last_logged_s: null, db_last_heartbeat: null },
    });
  });

  it('no logged heartbeat at all → info, never "ok, 0 gaps": the gaps are judged from the DB heartbeat only (§16, issue 9)', () => {
    expect(heartbeatGapsItem(heartbeatGaps(W, [], AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:59:50' })))).toMatchObject({
      verdict: 'info',
      facts: { logged_heartbeats: 0, gaps: 0, db_last_heartbeat: at('13:59:50') },
    });
  });
});

describe('errorLines', () => {
  it('ERROR and CRITICAL lines of any source, oldest first (ties by id in code-unit order)', () => {
    const lines = errorLines([
      log('13:05:00', 'Marking worker as error', { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('13:00:00', 'CUDA out of memory', { level: 'critical', id: 'b-line' }),
      log('13:00:00', 'load failed', { level: 'error', id: 'B-line' }),
      log('13:01:00', 'low VRAM', { level: 'WARNING' }),
    ]);
    expect(lines.map((l) => [l.message, l.log_level, l.source_type])).toEqual([
      ['load failed', 'ERROR', 'worker'],
      ['CUDA out of memory', 'CRITICAL', 'worker'],
      ['Marking worker as error', 'ERROR', 'orchestrator_gpu'],
    ]);
  });
});

describe('errorsItem', () => {
  it('an error the worker logged → bad; the last error of any source is quoted', () => {
    const errors = errorLines([log('13:00:00', 'CUDA out of memory', { level: 'ERROR' }), log('13:05:00', 'Marking worker as error', { source: 'orchestrator_gpu', level: 'ERROR' })]);
    expect(errorsItem(errors)).toEqual({ key: 'errors', verdict: 'bad', facts: { errors: 2, from_worker: 1, last_error: 'Marking worker as error' } });
  });

  it('only the orchestrator\'s errors → warn', () => {
    const errors = errorLines([log('13:05:00', 'STALE_HEARTBEAT_ACTIVE_TASK', { source: 'orchestrator_gpu', level: 'CRITICAL' })]);
    expect(errorsItem(errors)).toEqual({ key: 'errors', verdict: 'warn', facts: { errors: 1, from_worker: 0, last_error: 'STALE_HEARTBEAT_ACTIVE_TASK' } });
  });

  it('none → ok', () => {
    expect(errorsItem([])).toEqual({ key: 'errors', verdict: 'ok', facts: { errors: 0, from_worker: 0, last_error: null } });
  });
});

describe('tasksItem', () => {
  const counts = (over: Partial<Record<string, number>>) => ({ Queued: 0, 'In Progress': 0, Complete: 0, Failed: 0, Cancelled: 0, ...over });

  it('a task left In Progress on a dead worker (orphaned) → bad', () => {
    const tasks = [task({ status: 'In Progress' }), task({ status: 'Failed' })];
    const orphans = orphanedTasks(tasks, [worker({ heartbeat: '13:00:00' })], AS_OF).tasks;
    expect(tasksItem(workerTasks(W, tasks), orphans)).toEqual({ key: 'tasks', verdict: 'bad', facts: { total: 2, by_status: counts({ 'In Progress': 1, Failed: 1 }), orphaned: 1 } });
  });

  it('a failed task and no orphan → warn (In Progress on a live worker is no orphan)', () => {
    const tasks = [task({ status: 'In Progress' }), task({ status: 'Failed' })];
    const orphans = orphanedTasks(tasks, [worker({ heartbeat: '13:59:50' })], AS_OF).tasks;
    expect(tasksItem(workerTasks(W, tasks), orphans)).toEqual({ key: 'tasks', verdict: 'warn', facts: { total: 2, by_status: counts({ 'In Progress': 1, Failed: 1 }), orphaned: 0 } });
  });

  it('neither → ok, Completed read as Complete; no task at all → ok', () => {
    expect(tasksItem(workerTasks(W, [task({ status: 'Completed' }), task({ status: 'Cancelled' })]), [])).toEqual({
      key: 'tasks',
      verdict: 'ok',
      facts: { total: 2, by_status: counts({ Complete: 1, Cancelled: 1 }), orphaned: 0 },
    });
    expect(tasksItem(workerTasks(W, []), []).verdict).toBe('ok');
  });
});

describe('memoryProfileItem', () => {
  const profileOf = (...lines: SystemLog[]) => memoryProfile(W, lines, AS_OF, BUILT_IN_VOCABULARY);

  it('a profile number → info', () => {
    expect(memoryProfileItem(profileOf(log('12:00:00', 'Using Memory Profile 4')))).toEqual({
      key: 'memory_profile',
      verdict: 'info',
      facts: { memory_profile: 4, line: 'Using Memory Profile 4', profile_lines: 1 },
    });
  });

  it('no line, or a line without a number → warn', () => {
    expect(memoryProfileItem(profileOf())).toEqual({ key: 'memory_profile', verdict: 'warn', facts: { memory_profile: null, line: null, profile_lines: 0 } });
    expect(memoryProfileItem(profileOf(log('12:00:00', 'Memory Profile: default')))).toMatchObject({ verdict: 'warn', facts: { line: 'Memory Profile: default', profile_lines: 1 } });
  });
});

describe('ramBeforeDeathItem: the last [RAM] sample at or before death', () => {
  const ram = (time: string, pct: number) => log(time, `[RAM] Before model switch: Process=9000MB (8.79GB) | System=${pct}% used, 10.0GB/128.0GB available`);
  const profileOf = (...lines: SystemLog[]) => memoryProfile(W, lines, AS_OF, BUILT_IN_VOCABULARY);

  it('high system memory → warn; under the threshold → ok; a sample after death is not "before"', () => {
    const profile = profileOf(ram('13:00:00', 70), ram('13:02:00', THRESHOLDS.ramHighUsedPct), ram('13:05:00', 10));
    expect(ramBeforeDeathItem(profile, at('13:03:10'))).toMatchObject({ verdict: 'warn', facts: { sample: { at: at('13:02:00'), system_used_pct: THRESHOLDS.ramHighUsedPct }, ram_lines: 3 } });
    expect(ramBeforeDeathItem(profile, at('13:01:00'))).toMatchObject({ verdict: 'ok', facts: { sample: { system_used_pct: 70 } } });
    // Alive: the last sample.
    expect(ramBeforeDeathItem(profile, null)).toMatchObject({ verdict: 'ok', facts: { sample: { at: at('13:05:00') } } });
  });

  it('no sample (none logged, or none before death) → info', () => {
    expect(ramBeforeDeathItem(profileOf(), at('13:00:00'))).toEqual({
      key: 'ram_before_death',
      verdict: 'info',
      facts: { sample: null, ram_lines: 0, died_at: at('13:00:00'), high_pct: THRESHOLDS.ramHighUsedPct },
    });
    expect(ramBeforeDeathItem(profileOf(ram('13:05:00', 95)), at('13:00:00')).verdict).toBe('info');
  });
});

describe('crashTimingItem: always info, with the placement and the §12 window', () => {
  const timing = crashTiming([switchedCase(1, 120, 'A100', 3), switchedCase(2, 240, 'A100', 4)], { from: at('12:00:00'), to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY);

  it('placed on the fleet', () => {
    const placement = placeCrashTiming(timing, 190);
    expect(crashTimingItem(placement, true)).toEqual({ key: 'crash_timing', verdict: 'info', facts: { fleet_loaded: true, placement: { crash_after_s: 190, percentile: 0.5, n: 2, median_s: 180 }, model_load_window_s: 600 } });
  });

  it('nothing to place, or the fleet not read', () => {
    expect(crashTimingItem(null, true)).toEqual({ key: 'crash_timing', verdict: 'info', facts: { fleet_loaded: true, placement: null, model_load_window_s: 600 } });
    expect(crashTimingItem(null, false).facts).toMatchObject({ fleet_loaded: false, placement: null });
  });
});

describe('investigateWorker end to end', () => {
  /** §5 pattern 1 by hand: a healthy hour, MODEL SWITCH at 13:00, two heartbeats, silent death at 13:03:10. */
  const oomWorker = worker({ created: '12:00:00', heartbeat: '13:03:10', metadata: { ram_tier: 24, pod_details: { gpu_type_id: 'A100' } } });
  const logs: SystemLog[] = [
    log('12:00:05', 'Worker starting'),
    log('12:00:06', '🧠 Using Memory Profile 4'),
    ...heartbeatsEvery('12:00:30', '12:59:30', 30),
    log('12:59:50', 'Claimed task (travel_segment)'),
    log('13:00:00', '🔄 MODEL SWITCH: wan -> qwen_image_edit'),
    heartbeatLine('13:00:30'),
    heartbeatLine('13:01:00'),
    log('13:13:20', `Marking worker ${W} as error: heartbeat stale`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    log('13:00:40', 'another worker\'s error', { worker: OTHER, level: 'ERROR' }),
    log('14:05:00', 'after as-of', { level: 'ERROR' }),
  ];
  const tasks = [task({ id: 't-1', status: 'Complete', created: '12:10:00', processed: '12:12:00' }), task({ id: 't-2', status: 'In Progress', created: '12:59:50' }), task({ id: 't-other', worker: OTHER, status: 'Failed' })];
  const fleet = crashTiming([switchedCase(1, 120, 'A100', 3), switchedCase(2, 240, 'A100', 4), switchedCase(3, 599, 'H100', 4)], { from: at('12:00:00'), to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY);

  it('every item of §15, in the guide\'s order, each with its verdict', () => {
    const inv = investigateWorker(oomWorker, tasks, logs, AS_OF, fleet, BUILT_IN_VOCABULARY);
    expect(inv.checklist.map((i) => i.key)).toEqual([...CHECKLIST_KEYS]);
    expect(Object.fromEntries(inv.checklist.map((i) => [i.key, i.verdict]))).toEqual({
      heartbeat: 'bad', // 56 min 50 s old
      logs: 'info',
      last_log: 'warn', // dead
      model_switch: 'info',
      switch_to_crash: 'bad', // 190 s: inside 1.5–5 min
      heartbeat_gaps: 'warn', // 12:59:30 → 13:00:30: 60 s
      errors: 'warn', // only the orchestrator's line is an error
      tasks: 'bad', // t-2 left In Progress on a dead worker
      memory_profile: 'info',
      ram_before_death: 'info', // this version logs no [RAM] line
      crash_timing: 'info',
    });
  });

  it('the facts, read from this worker\'s rows only, up to as-of', () => {
    const inv = investigateWorker(oomWorker, tasks, logs, AS_OF, fleet, BUILT_IN_VOCABULARY);
    const facts = Object.fromEntries(inv.checklist.map((i) => [i.key, i.facts]));
    expect(facts['heartbeat']).toEqual({ status: 'active', last_heartbeat: at('13:03:10'), heartbeat_age_s: 3410, heartbeat_state: 'dead' });
    // 2 + 119 heartbeats + claim + switch + 2 heartbeats = 125 worker lines, and the orchestrator's.
    expect(facts['logs']).toEqual({ total: 126, by_level: { INFO: 125, ERROR: 1 }, by_source_type: { worker: 125, orchestrator_gpu: 1 } });
    expect(facts['last_log']).toEqual({
      last_worker_log: { timestamp: at('13:01:00'), log_level: 'INFO', message: HB },
      silence_s: 3540,
      silence_before_death_s: 130,
      orchestrator_lines_after: 1,
    });
    expect(facts['model_switch']).toEqual({ switches_total: 1, switch_at: at('13:00:00'), switch_message: '🔄 MODEL SWITCH: wan -> qwen_image_edit' });
    expect(facts['switch_to_crash']).toEqual({ switch_at: at('13:00:00'), crashed: true, crash_after_s: 190, in_oom_window: true, in_model_load_window: true });
    expect(facts['heartbeat_gaps']).toEqual({ logged_heartbeats: 121, gaps: 1, threshold_s: 40, longest_gap_s: 60, db_after_last_logged_s: 130, db_last_heartbeat: at('13:03:10') });
    expect(facts['errors']).toEqual({ errors: 1, from_worker: 0, last_error: `Marking worker ${W} as error: heartbeat stale` });
    expect(facts['tasks']).toEqual({ total: 2, by_status: { Queued: 0, 'In Progress': 1, Complete: 1, Failed: 0, Cancelled: 0 }, orphaned: 1 });
    expect(facts['memory_profile']).toEqual({ memory_profile: 4, line: '🧠 Using Memory Profile 4', profile_lines: 1 });
    expect(facts['ram_before_death']).toMatchObject({ sample: null, ram_lines: 0 });
    expect(facts['crash_timing']).toEqual({ fleet_loaded: true, placement: { crash_after_s: 190, percentile: 1 / 3, n: 3, median_s: 240, fleet_crashes: 3 }, model_load_window_s: 600 });
  });

  it('the section results beside the checklist, and the §5 verdict that closes it', () => {
    const inv = investigateWorker(oomWorker, tasks, logs, AS_OF, fleet, BUILT_IN_VOCABULARY);
    expect(inv).toMatchObject({ worker_id: W, as_of: AS_OF, crash_timing: { crash_after_s: 190, fleet_crashes: 3 } });
    expect(inv.status.heartbeat_state).toBe('dead');
    expect(inv.orphaned_tasks.map((t) => t.id)).toEqual(['t-2']);
    expect(inv.errors.map((e) => e.source_type)).toEqual(['orchestrator_gpu']);
    expect(inv.tasks.tasks.map((t) => t.id)).toEqual(['t-1', 't-2']);
    expect(inv.memory_profile).toEqual({ worker_id: W, memory_profile: 4, line: '🧠 Using Memory Profile 4', at: at('12:00:06'), ram_samples: [], vram: null, coverage: { memory_profile: 1, ram: 0 } });
    expect('logs' in inv.logs).toBe(false);
    expect(inv.classification.pattern).toBe('oom_model_load');
  });

  it('without the fleet: the crash-timing item says so', () => {
    const inv = investigateWorker(oomWorker, tasks, logs, AS_OF, null, BUILT_IN_VOCABULARY);
    expect(inv.crash_timing).toBeNull();
    expect(inv.checklist.at(-1)).toEqual({ key: 'crash_timing', verdict: 'info', facts: { fleet_loaded: false, placement: null, model_load_window_s: 600 } });
  });

  it('a healthy worker: every item ok or info', () => {
    const healthy = worker({ created: '13:00:00', heartbeat: '13:59:50' });
    const inv = investigateWorker(healthy, [task({ status: 'Complete', created: '13:10:00', processed: '13:11:00' })], [log('13:00:05', 'Using Memory Profile 3'), ...heartbeatsEvery('13:00:30', '13:59:30', 30), log('13:59:40', 'Generation complete')], AS_OF, fleet, BUILT_IN_VOCABULARY);
    expect(Object.fromEntries(inv.checklist.map((i) => [i.key, i.verdict]))).toEqual({
      heartbeat: 'ok',
      logs: 'info',
      last_log: 'ok',
      model_switch: 'info',
      switch_to_crash: 'ok',
      heartbeat_gaps: 'ok',
      errors: 'ok',
      tasks: 'ok',
      memory_profile: 'info',
      ram_before_death: 'info',
      crash_timing: 'info',
    });
    expect(inv.crash_timing).toBeNull();
    expect(inv.classification.pattern).toBe('no_crash');
  });
});

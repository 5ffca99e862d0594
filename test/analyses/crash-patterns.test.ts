import { describe, expect, it } from 'vitest';
import { classifyWorker, type CrashPattern } from '../../src/analyses/crash-patterns.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

function classify(w: Worker, tasks: Task[], logs: SystemLog[], asOf = AS_OF) {
  return classifyWorker({ worker: w, tasks, signals: computeSignalsForWorker(w.id, logs, asOf, BUILT_IN_VOCABULARY) }, asOf, BUILT_IN_VOCABULARY);
}

/** A worker that ran normally from 12:00, then switched models at 13:00:00. */
function lifeUntilSwitch(): SystemLog[] {
  return [
    log('12:00:05', 'Worker starting'),
    log('12:00:06', '🧠 Using Memory Profile 4 (ram_tier=64GB)'),
    ...heartbeatsEvery('12:00:30', '12:59:30', 30),
    log('12:59:50', 'Claimed task t1 (travel_segment)'),
    log('13:00:00', '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit'),
  ];
}

describe('classifyWorker: the three crash patterns of §5', () => {
  it('oom_model_load: switch, one or two heartbeats, silent death 1.5–5 min later, task left In Progress', () => {
    const w = worker({ heartbeat: '13:03:10' }); // last DB heartbeat 190 s after the switch; 10.8 min before as-of
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:30'), heartbeatLine('13:01:00')];
    const c = classify(w, [task({ status: 'In Progress', started: '12:59:50' })], logs);
    expect(c.pattern).toBe<CrashPattern>('oom_model_load');
    expect(c.crash_after_switch_s).toBe(190);
    expect(c.died_at).toBe(at('13:03:10'));
    expect(c.criteria.every((k) => k.met)).toBe(true);
    expect(c.evidence.find((e) => e.kind === 'model_switch')?.text).toBe('🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit');
  });

  it('times the crash to the last DB heartbeat, not to the last log line or as-of', () => {
    const w = worker({ heartbeat: '13:04:00' });
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:20')];
    const early = classify(w, [task({ status: 'In Progress' })], logs, at('13:30:00'));
    const late = classify(w, [task({ status: 'In Progress' })], logs, at('18:00:00'));
    expect(early.crash_after_switch_s).toBe(240);
    expect(late.crash_after_switch_s).toBe(240);
    expect(early.pattern).toBe('oom_model_load');
  });

  it('oom_model_load even when the orchestrator already marked the worker error and wrote lines after its death', () => {
    const w = worker({ status: 'error', heartbeat: '13:02:00', metadata: { error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' } });
    const logs = [
      ...lifeUntilSwitch(),
      heartbeatLine('13:00:40'),
      log('13:12:05', `Marking worker ${W} as error: heartbeat stale for 605s`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    ];
    const c = classify(w, [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('oom_model_load');
    // The orchestrator's ERROR line is not the worker's: "no error logged" still holds.
    expect(c.criteria.find((k) => k.key === 'no_error_after_switch')?.met).toBe(true);
    expect(c.evidence.find((e) => e.kind === 'last_worker_line')?.text).toContain('[HEARTBEAT]');
  });

  it('init_failure: one heartbeat within seconds of creation, nothing logged, no task', () => {
    const w = worker({ created: '12:00:00', heartbeat: '12:00:04' });
    const c = classify(w, [], []);
    expect(c.pattern).toBe('init_failure');
    expect(c.figures['lifetime_s']).toBe(4);
  });

  it('init_failure allows the single heartbeat to be logged', () => {
    const c = classify(worker({ created: '12:00:00', heartbeat: '12:00:06' }), [], [heartbeatLine('12:00:06')]);
    expect(c.pattern).toBe('init_failure');
  });

  it('vlm_loading_hang: "Before VLM loading" then 5+ min of worker silence while the DB heartbeat goes on', () => {
    const w = worker({ heartbeat: '13:59:55' }); // guardian alive
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    const c = classify(w, [task({ type: 'travel_orchestrator', status: 'In Progress' })], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
    expect(c.heartbeat_state).toBe('alive');
    // No worker line followed: the silence runs to the last DB heartbeat (the guardian still beats).
    expect(c.figures['silence_after_vlm_s']).toBe((at('13:59:55') - at('13:20:10')) / 1e6);
  });

  it('a worker that died a minute after "Before VLM loading" did not hang', () => {
    const w = worker({ status: 'error', heartbeat: '13:21:10' });
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    const c = classify(w, [], logs);
    expect(c.pattern).toBe('unexplained');
    expect(c.figures['silence_after_vlm_s']).toBe(60);
  });

  it('vlm_loading_hang when it died after the hang', () => {
    const w = worker({ status: 'error', heartbeat: '13:30:00' });
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    expect(classify(w, [], logs).pattern).toBe('vlm_loading_hang');
  });
});

describe('classifyWorker: near misses', () => {
  it('a switch long ago on a healthy worker is no crash', () => {
    const logs = [...lifeUntilSwitch(), ...heartbeatsEvery('13:00:30', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
    expect(c.crash_after_switch_s).toBeNull();
  });

  it('death 6 min after a switch is not the OOM pattern: unexplained, with the near miss shown', () => {
    const w = worker({ heartbeat: '13:06:00' });
    const c = classify(w, [task({ status: 'In Progress' })], [...lifeUntilSwitch(), heartbeatLine('13:00:30')]);
    expect(c.pattern).toBe('unexplained');
    expect(c.crash_after_switch_s).toBe(360);
    expect(c.criteria.find((k) => k.pattern === 'oom_model_load' && k.key === 'death_in_oom_window')?.met).toBe(false);
  });

  it('a death 80 s after a switch is below the 1.5 min window', () => {
    const c = classify(worker({ heartbeat: '13:01:20' }), [task({ status: 'In Progress' })], lifeUntilSwitch());
    expect(c.pattern).toBe('unexplained');
  });

  it('a hang of 4 min after "Before VLM loading" is not a VLM hang', () => {
    const logs = [
      ...heartbeatsEvery('12:00:30', '13:20:00', 30),
      log('13:20:10', 'Before VLM loading'),
      ...heartbeatsEvery('13:24:10', '13:59:40', 30),
    ];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
  });

  it('an error logged after the switch rules out the silent OOM pattern', () => {
    const logs = [...lifeUntilSwitch(), log('13:01:00', 'RuntimeError: CUDA error: an illegal memory access', { level: 'ERROR' })];
    const c = classify(worker({ heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('unexplained');
    expect(c.evidence.some((e) => e.text.includes('illegal memory access'))).toBe(true);
  });

  it('a late first heartbeat is not an initialisation failure', () => {
    expect(classify(worker({ created: '12:00:00', heartbeat: '12:00:30' }), [], []).pattern).toBe('unexplained');
  });
});

describe('classifyWorker: states without a crash pattern', () => {
  it('not_started: no heartbeat ever, whatever the status', () => {
    expect(classify(worker({ status: 'spawning', heartbeat: null, metadata: null }), [], []).pattern).toBe('not_started');
    expect(classify(worker({ status: 'error', heartbeat: null }), [], []).pattern).toBe('not_started');
  });

  it('no_crash: alive and aging workers', () => {
    expect(classify(worker({ heartbeat: '13:59:30' }), [], [log('13:59:00', 'working')]).pattern).toBe('no_crash');
    const aging = classify(worker({ heartbeat: '13:57:00' }), [], [log('13:56:50', 'working')]);
    expect(aging.pattern).toBe('no_crash');
    expect(aging.heartbeat_state).toBe('aging');
  });

  it('terminated cleanly is no crash; terminated with a task left In Progress is a death', () => {
    const w = worker({ status: 'terminated', heartbeat: '12:30:00' });
    const logs = [...heartbeatsEvery('12:00:30', '12:29:30', 30)];
    expect(classify(w, [task({ status: 'Complete' })], logs).pattern).toBe('no_crash');
    const c = classify(w, [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('unexplained');
    expect(c.died_at).toBe(at('12:30:00'));
  });

  it('a dead worker with status still active (orchestrator waits 600 s) is dead', () => {
    const c = classify(worker({ status: 'active', heartbeat: '13:54:00' }), [], [log('13:53:00', 'working')]);
    expect(c.heartbeat_state).toBe('dead');
    expect(c.pattern).toBe('unexplained');
  });

  it('does not depend on the order of the log lines', () => {
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:30')];
    const w = worker({ heartbeat: '13:03:00' });
    const tasks = [task({ status: 'In Progress' })];
    expect(classify(w, tasks, [...logs].reverse())).toEqual(classify(w, tasks, logs));
  });
});

describe('classifyWorker: every condition of pattern 1 is required', () => {
  const dead = () => worker({ heartbeat: '13:03:10' });
  it('no logged heartbeat after the switch: not the OOM pattern', () => {
    expect(classify(dead(), [task({ status: 'In Progress' })], lifeUntilSwitch()).pattern).toBe('unexplained');
  });
  it('three logged heartbeats after the switch: not "one or two"', () => {
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:20'), heartbeatLine('13:00:40'), heartbeatLine('13:01:00')];
    expect(classify(dead(), [task({ status: 'In Progress' })], logs).pattern).toBe('unexplained');
  });
  it('no task left In Progress: not the OOM pattern', () => {
    expect(classify(dead(), [task({ status: 'Complete' })], [...lifeUntilSwitch(), heartbeatLine('13:00:30')]).pattern).toBe('unexplained');
  });
});

describe('classifyWorker: the longest VLM silence wins', () => {
  it('an earlier hang is found even when a later "Before VLM loading" is the last line of a worker that died a minute after it', () => {
    const logs = [
      ...heartbeatsEvery('11:30:00', '11:59:30', 30),
      log('12:00:00', 'Before VLM loading'),
      ...heartbeatsEvery('12:06:30', '13:20:00', 30), // 6.5 min of silence, then the worker went on
      log('13:20:10', 'Before VLM loading'),
    ];
    const c = classify(worker({ status: 'error', heartbeat: '13:21:10' }), [], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
    expect(c.figures['silence_after_vlm_s']).toBe(390);
  });
});

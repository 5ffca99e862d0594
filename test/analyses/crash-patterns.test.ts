import { describe, expect, it } from 'vitest';
import { classifyWorker, confidenceOf, stalledWorkers, type Classification, type CrashPattern } from '../../src/analyses/crash-patterns.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY, compileVocabulary, type Vocabulary } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

function classify(w: Worker, tasks: Task[], logs: SystemLog[], asOf = AS_OF, vocabulary: Vocabulary = BUILT_IN_VOCABULARY) {
  return classifyWorker({ worker: w, tasks, signals: computeSignalsForWorker(w.id, logs, asOf, vocabulary) }, asOf, vocabulary);
}

const criterion = (c: Classification, key: string, pattern: CrashPattern = c.pattern) => c.criteria.find((k) => k.pattern === pattern && k.key === key);
const met = (c: Classification, key: string, pattern?: CrashPattern) => criterion(c, key, pattern)?.met;

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

/** The same life on a version after 2025-10-19: no heartbeat lines at all. */
function lifeUntilSwitchWithoutHeartbeatLines(): SystemLog[] {
  return lifeUntilSwitch().filter((l) => !l.message.includes('[HEARTBEAT]'));
}

describe('confidenceOf: how sure a match is', () => {
  it('strong: every criterion met; likely: every required met, some corroborating not; weak: a required one undecided', () => {
    expect(confidenceOf([{ met: true, required: true }, { met: true, required: false }])).toBe('strong');
    expect(confidenceOf([{ met: true, required: true }, { met: false, required: false }])).toBe('likely');
    expect(confidenceOf([{ met: true, required: true }, { met: null, required: false }])).toBe('likely');
    expect(confidenceOf([{ met: true, required: true }, { met: null, required: true }, { met: true, required: false }])).toBe('weak');
  });
});

describe('oom_model_load: required are the switch, death 1.5–5 min after it, no error and no finished task after it', () => {
  it('every required criterion met; corroborating ones read where the rows allow', () => {
    const w = worker({ heartbeat: '13:03:10' }); // last DB heartbeat 190 s after the switch; 10.8 min before as-of
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:30'), heartbeatLine('13:01:00')];
    const c = classify(w, [task({ status: 'In Progress', started: '12:59:50' })], logs);
    expect(c.pattern).toBe<CrashPattern>('oom_model_load');
    expect(c.crash_after_switch_s).toBe(190);
    expect(c.died_at).toBe(at('13:03:10'));
    expect(c.criteria.filter((k) => k.required).map((k) => [k.key, k.met])).toEqual([
      ['dead', true],
      ['model_switch_logged', true],
      ['death_in_oom_window', true],
      ['no_error_after_switch', true],
      ['load_not_finished', true],
      ['no_task_finished_after_switch', true],
    ]);
    expect(met(c, 'heartbeats_after_switch')).toBe(true);
    expect(met(c, 'task_left_in_progress')).toBe(true);
    // This version logs no [RAM] line: memory before the switch is undecided, so the match is likely, not strong.
    expect(met(c, 'memory_high_before_switch')).toBeNull();
    expect(c.confidence).toBe('likely');
    expect(c.evidence.find((e) => e.kind === 'model_switch')?.text).toBe('🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit');
  });

  it('strong when memory was high before the switch as well', () => {
    const logs = [
      ...lifeUntilSwitch().slice(0, -1),
      log('12:59:55', '[RAM] Before model switch: Process=31000MB (30.27GB) | System=93.5% used, 4.1GB/64.0GB available'),
      log('13:00:00', '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit'),
      heartbeatLine('13:00:30'),
    ];
    const c = classify(worker({ heartbeat: '13:03:10' }), [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('oom_model_load');
    expect(criterion(c, 'memory_high_before_switch')?.facts['system_used_pct']).toBe(93.5);
    expect(c.confidence).toBe('strong');
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

  it('a version that logs no heartbeat lines: still the OOM pattern, the heartbeat criterion undecided', () => {
    const c = classify(worker({ heartbeat: '13:03:10' }), [task({ status: 'In Progress' })], lifeUntilSwitchWithoutHeartbeatLines());
    expect(c.pattern).toBe('oom_model_load');
    expect(c.confidence).toBe('likely');
    expect(met(c, 'heartbeats_after_switch')).toBeNull();
    expect(c.coverage.heartbeat).toBe(0);
  });

  it('no logged heartbeat after the switch, from a version that logs them: corroboration missing, still likely', () => {
    const c = classify(worker({ heartbeat: '13:03:10' }), [task({ status: 'In Progress' })], lifeUntilSwitch());
    expect(c.pattern).toBe('oom_model_load');
    expect(met(c, 'heartbeats_after_switch')).toBe(false);
    expect(c.confidence).toBe('likely');
  });

  it('three logged heartbeats after the switch are not "one or two": corroboration missing, still likely', () => {
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:20'), heartbeatLine('13:00:40'), heartbeatLine('13:01:00')];
    const c = classify(worker({ heartbeat: '13:03:10' }), [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('oom_model_load');
    expect(met(c, 'heartbeats_after_switch')).toBe(false);
  });

  it('no task left In Progress (the orchestrator requeued it): still likely', () => {
    const c = classify(worker({ heartbeat: '13:03:10' }), [task({ status: 'Queued' })], [...lifeUntilSwitch(), heartbeatLine('13:00:30')]);
    expect(c.pattern).toBe('oom_model_load');
    expect(met(c, 'task_left_in_progress')).toBe(false);
    expect(c.confidence).toBe('likely');
  });

  it('the orchestrator marking the worker error 10 min after its death is the aftermath: evidence, timed against the death', () => {
    const w = worker({ status: 'error', heartbeat: '13:02:00', metadata: { error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' } });
    const logs = [
      ...lifeUntilSwitch(),
      heartbeatLine('13:00:40'),
      log('13:12:05', `Marking worker ${W} as error: heartbeat stale for 605s`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    ];
    const c = classify(w, [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('oom_model_load');
    // The orchestrator's ERROR line is not the worker's: "no error logged" still holds.
    expect(met(c, 'no_error_after_switch')).toBe(true);
    expect(c.orchestrator).toMatchObject({ error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', killed_at: at('13:12:05'), kill_after_heartbeat_s: 605, while_alive: false });
    expect(c.evidence.find((e) => e.kind === 'orchestrator_kill')?.facts).toEqual({ kill_after_heartbeat_s: 605, while_alive: false });
  });

  describe('a required criterion unmet is no OOM: unexplained, with the near miss shown', () => {
    it('death 6 min after the switch', () => {
      const c = classify(worker({ heartbeat: '13:06:00' }), [task({ status: 'In Progress' })], [...lifeUntilSwitch(), heartbeatLine('13:00:30')]);
      expect(c.pattern).toBe('unexplained');
      expect(c.confidence).toBeNull();
      expect(c.crash_after_switch_s).toBe(360);
      expect(met(c, 'death_in_oom_window', 'oom_model_load')).toBe(false);
    });

    it('death 80 s after the switch, below the window', () => {
      expect(classify(worker({ heartbeat: '13:01:20' }), [task({ status: 'In Progress' })], lifeUntilSwitch()).pattern).toBe('unexplained');
    });

    it('an error logged after the switch', () => {
      const logs = [...lifeUntilSwitch(), log('13:01:00', 'RuntimeError: CUDA error: an illegal memory access', { level: 'ERROR' })];
      const c = classify(worker({ heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], logs);
      expect(c.pattern).toBe('unexplained');
      expect(met(c, 'no_error_after_switch', 'oom_model_load')).toBe(false);
      expect(c.evidence.some((e) => e.text.includes('illegal memory access'))).toBe(true);
    });

    it('a task finished after the switch', () => {
      const finished = task({ status: 'Complete', started: '13:00:05', processed: '13:02:00' });
      const c = classify(worker({ heartbeat: '13:03:00' }), [finished], lifeUntilSwitch());
      expect(met(c, 'no_task_finished_after_switch', 'oom_model_load')).toBe(false);
      expect(c.pattern).toBe('unexplained');
    });

    it('the load finished', () => {
      const c = classify(worker({ heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], [...lifeUntilSwitch(), log('13:01:10', 'Model loaded: qwen_image_edit')]);
      expect(met(c, 'load_not_finished', 'oom_model_load')).toBe(false);
      expect(c.pattern).toBe('unexplained');
    });
  });

  it('a version that logs only finished loads cannot show a switch that never finished: undecided, and no verdict rests on it', () => {
    const logs = [
      log('12:00:05', '🚀 Worker gpu-20251017_120000-aaaaaaaa starting'),
      log('12:05:00', 'Model switch: wan_2_2_i2v → qwen_image_edit (41.2s)'),
      log('12:59:50', '[CLAIM] Claimed task 7a5c0000-0000-4000-8000-000000000001'),
    ];
    const c = classify(worker({ status: 'crashed', heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], logs);
    expect(c.coverage.model_switch).toBe(0);
    expect(c.coverage.model_loaded).toBe(1);
    expect(met(c, 'model_switch_logged', 'oom_model_load')).toBeNull();
    expect(met(c, 'death_in_oom_window', 'oom_model_load')).toBeNull();
    expect(c.pattern).toBe('unexplained');
  });

  it('reworded switch lines: unexplained with the built-in wording, the OOM pattern with a markers file that names the new one', () => {
    const logs = [
      ...heartbeatsEvery('12:00:30', '12:59:30', 30),
      log('13:00:00', 'Swapping weights wan_2_2_i2v => qwen_image_edit'),
      heartbeatLine('13:00:30'),
    ];
    const w = worker({ heartbeat: '13:03:10' });
    const tasks = [task({ status: 'In Progress' })];
    const builtIn = classify(w, tasks, logs);
    expect(builtIn.pattern).toBe('unexplained');
    expect(builtIn.coverage.model_switch).toBe(0);
    const reworded = compileVocabulary({ model_switch: [String.raw`Swapping weights (?<from>\S+) => (?<to>\S+)`] }, 'markers.json');
    const c = classify(w, tasks, logs, AS_OF, reworded);
    expect(c.pattern).toBe('oom_model_load');
    expect(c.crash_after_switch_s).toBe(190);
  });
});

describe('init_failure: required are dead, a short life, no task claimed, no line beyond start-up', () => {
  it('one heartbeat within seconds of creation, nothing logged, no task; strong when metadata says start-up never reached ready', () => {
    const c = classify(worker({ created: '12:00:00', heartbeat: '12:00:04', metadata: { startup_phase: 'deps_installing' } }), [], []);
    expect(c.pattern).toBe('init_failure');
    expect(c.figures['lifetime_s']).toBe(4);
    expect(c.confidence).toBe('strong');
  });

  it('without metadata.startup_phase that corroboration is undecided: likely', () => {
    const c = classify(worker({ created: '12:00:00', heartbeat: '12:00:06' }), [], [heartbeatLine('12:00:06')]);
    expect(c.pattern).toBe('init_failure');
    expect(met(c, 'startup_phase_not_ready')).toBeNull();
    expect(c.confidence).toBe('likely');
  });

  it('a start-up banner and minutes of installing dependencies before dying, then terminated by the orchestrator', () => {
    const logs = [
      log('12:00:20', '🚀 Worker gpu-20251017_120000-aaaaaaaa starting (v2.1.0)'),
      log('12:00:25', 'Installing dependencies from requirements.txt'),
      log('12:06:40', 'GPU detected: NVIDIA GeForce RTX 4090 (24 GB)'),
      log('12:09:05', `WORKER_LIFECYCLE [Worker ${W}] MARKING AS ERROR: STARTUP_TIMEOUT - no ready signal`, { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('12:09:05', '[WORKER_LOG_TAIL] ImportError: libcudnn.so.9: cannot open shared object file', { source: 'orchestrator_gpu' }),
    ];
    const w = worker({ status: 'terminated', created: '12:00:00', heartbeat: '12:07:00', metadata: { startup_phase: 'deps_installing', error_code: 'STARTUP_TIMEOUT' } });
    const c = classify(w, [], logs);
    expect(c.pattern).toBe('init_failure');
    expect(c.end_reason).toBe('status_terminated');
    expect(c.figures['lifetime_s']).toBe(420);
    expect(met(c, 'never_left_startup')).toBe(true);
    expect(met(c, 'single_early_heartbeat')).toBe(false);
    expect(c.evidence.filter((e) => e.kind === 'log_tail').map((e) => e.text)).toEqual(['[WORKER_LOG_TAIL] ImportError: libcudnn.so.9: cannot open shared object file']);
    expect(c.orchestrator?.error_code).toBe('STARTUP_TIMEOUT');
  });

  it('a late first heartbeat still fits, within the start-up grace; past it, it does not', () => {
    const late = classify(worker({ created: '12:00:00', heartbeat: '12:00:30' }), [], []);
    expect(late.pattern).toBe('init_failure');
    expect(met(late, 'single_early_heartbeat')).toBe(false);
    const long = classify(worker({ status: 'error', created: '12:00:00', heartbeat: '12:25:00' }), [], []);
    expect(met(long, 'short_life', 'init_failure')).toBe(false);
    expect(long.pattern).toBe('unexplained');
  });

  it('near miss: a start-up banner followed by a normal life is no crash', () => {
    const logs = [
      log('12:00:20', '🚀 Worker gpu-20251017_120000-aaaaaaaa starting (v2.1.0)'),
      log('12:01:00', 'GPU detected: NVIDIA GeForce RTX 4090 (24 GB)'),
      log('12:01:30', '[CLAIM] Claimed task 7a5c0000-0000-4000-8000-000000000001'),
      log('13:59:00', 'Finished task (Success: True)'),
    ];
    const c = classify(worker({ created: '12:00:00', heartbeat: '13:59:50' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
  });

  it('a worker that claimed a task left start-up: dead minutes later, it is no init failure', () => {
    const logs = [log('12:00:20', '🚀 Worker gpu-20251017_120000-aaaaaaaa starting'), log('12:01:30', '[CLAIM] Claimed task 7a5c0000-0000-4000-8000-000000000001')];
    const c = classify(worker({ status: 'error', created: '12:00:00', heartbeat: '12:02:00' }), [task({ status: 'In Progress' })], logs);
    expect(met(c, 'never_claimed_task', 'init_failure')).toBe(false);
    expect(met(c, 'never_left_startup', 'init_failure')).toBe(false);
    expect(c.pattern).toBe('unexplained');
  });
});

describe('vlm_loading_hang: "Before VLM loading", then 5+ min without another own line', () => {
  it('while the DB heartbeat goes on', () => {
    const w = worker({ heartbeat: '13:59:55' }); // guardian alive
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    const c = classify(w, [task({ type: 'travel_orchestrator', status: 'In Progress' })], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
    expect(c.confidence).toBe('strong');
    expect(c.heartbeat_state).toBe('alive');
    // No own line followed: the silence runs to the last DB heartbeat (the guardian still beats).
    expect(c.figures['silence_after_vlm_s']).toBe((at('13:59:55') - at('13:20:10')) / 1e6);
  });

  it('heartbeat lines during the silence do not end it: the heartbeat process outlives the main loop', () => {
    const logs = [log('13:20:10', 'Before VLM loading'), ...heartbeatsEvery('13:20:30', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'In Progress' })], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
  });

  it('a worker that died a minute after "Before VLM loading" did not hang', () => {
    const w = worker({ status: 'error', heartbeat: '13:21:10' });
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    const c = classify(w, [], logs);
    expect(c.pattern).toBe('unexplained');
    expect(c.figures['silence_after_vlm_s']).toBe(60);
  });

  it('when it died after the hang', () => {
    const w = worker({ status: 'error', heartbeat: '13:30:00' });
    const logs = [...heartbeatsEvery('12:00:30', '13:20:00', 30), log('13:20:10', 'Before VLM loading')];
    expect(classify(w, [], logs).pattern).toBe('vlm_loading_hang');
  });

  it('near miss: the VLM loaded 4 min later and the worker went on', () => {
    const logs = [
      log('13:20:10', 'Before VLM loading'),
      log('13:24:10', 'VLM loaded (Qwen2.5-VL-7B-Instruct) in 240.0s'),
      ...heartbeatsEvery('13:24:30', '13:59:30', 30),
      log('13:59:00', 'Finished task (Success: True)'),
    ];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
  });

  it('the longest silence wins: an earlier hang is found even when a later "Before VLM loading" was followed by a quick death', () => {
    const logs = [
      ...heartbeatsEvery('11:30:00', '11:59:30', 30),
      log('12:00:00', 'Before VLM loading'),
      log('12:06:30', 'VLM loaded (Qwen2.5-VL-7B-Instruct) in 390.0s'), // 6.5 min of silence, then the worker went on
      ...heartbeatsEvery('12:07:00', '13:20:00', 30),
      log('13:20:10', 'Before VLM loading'),
    ];
    const c = classify(worker({ status: 'error', heartbeat: '13:21:10' }), [], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
    expect(c.figures['silence_after_vlm_s']).toBe(390);
  });
});

describe('stalled: heartbeat alive, a task In Progress, and 10+ min without an own line but heartbeats', () => {
  const claimed = (time: string) => log(time, '[CLAIM] Claimed task 7a5c0000-0000-4000-8000-000000000001');

  it('a zombie whose heartbeat lines go on: strong', () => {
    const logs = [claimed('13:30:00'), log('13:30:02', 'Generating 81 frames'), ...heartbeatsEvery('13:30:30', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'In Progress', started: '13:30:00' })], logs);
    expect(c.pattern).toBe('stalled');
    expect(c.confidence).toBe('strong');
    expect(c.figures['main_loop_silence_s']).toBe((AS_OF - at('13:30:02')) / 1e6);
    expect(met(c, 'heartbeat_lines_continue')).toBe(true);
  });

  it('a version without heartbeat lines: the DB heartbeat alone, likely', () => {
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'In Progress', started: '13:30:00' })], [claimed('13:30:00')]);
    expect(c.pattern).toBe('stalled');
    expect(met(c, 'heartbeat_lines_continue')).toBeNull();
    expect(c.confidence).toBe('likely');
  });

  it('listed with its task by stalledWorkers (lost work, like an orphan)', () => {
    const w = worker({ heartbeat: '13:59:50' });
    const tasks = [task({ status: 'In Progress', started: '13:30:00' })];
    const signals = computeSignalsForWorker(w.id, [claimed('13:30:00')], AS_OF, BUILT_IN_VOCABULARY);
    const stalled = stalledWorkers([{ worker: w, tasks, signals }], AS_OF, BUILT_IN_VOCABULARY);
    expect(stalled.map((s) => [s.worker_id, s.pattern, s.task_ids.length])).toEqual([[W, 'stalled', 1]]);
  });

  it('near miss: a long, silent but legitimate step under 10 min', () => {
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'In Progress', started: '13:51:00' })], [claimed('13:51:00'), ...heartbeatsEvery('13:51:30', '13:59:30', 30)]);
    expect(met(c, 'silent_main_loop', 'stalled')).toBeUndefined(); // alive, no pattern: no near misses listed
    expect(c.pattern).toBe('no_crash');
  });

  it('near miss: an idle worker with no task and only heartbeat lines', () => {
    const logs = [log('12:00:20', '🚀 Worker gpu-20251017_120000-aaaaaaaa starting'), ...heartbeatsEvery('12:00:30', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'Complete', processed: '12:30:00' })], logs);
    expect(c.pattern).toBe('no_crash');
  });

  it('"Before VLM loading" before the silence makes it a VLM hang, not a stall', () => {
    const logs = [claimed('13:30:00'), log('13:30:05', 'Before VLM loading'), ...heartbeatsEvery('13:30:30', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'In Progress', started: '13:30:00' })], logs);
    expect(c.pattern).toBe('vlm_loading_hang');
  });
});

describe('a status is not proof of how a worker ended', () => {
  it('terminated after a clean idle shutdown line: no crash, and the line is the evidence', () => {
    const logs = [...heartbeatsEvery('12:00:30', '12:29:30', 30), log('12:29:50', 'Idle for 600s with no tasks: shutting down')];
    const c = classify(worker({ status: 'terminated', heartbeat: '12:30:00' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
    expect(c.clean_end?.by).toBe('shutdown_line');
    expect(c.evidence.find((e) => e.kind === 'shutdown')?.text).toContain('shutting down');
  });

  it('terminated with metadata.self_terminated or termination_reason: no crash', () => {
    for (const metadata of [{ self_terminated: true }, { termination_reason: 'idle_timeout' }]) {
      const c = classify(worker({ status: 'terminated', heartbeat: '12:30:00', metadata }), [], []);
      expect(c.pattern).toBe('no_crash');
      expect(c.clean_end?.by).toBe(Object.keys(metadata)[0]);
    }
  });

  it('terminated with nothing recorded against it and nothing left behind: a quiet end, likely no crash', () => {
    const c = classify(worker({ status: 'terminated', heartbeat: '12:30:00' }), [task({ status: 'Complete' })], heartbeatsEvery('12:00:30', '12:29:30', 30));
    expect(c.pattern).toBe('no_crash');
    expect(c.confidence).toBe('likely');
    expect(c.clean_end?.by).toBe('quiet_end');
  });

  it('terminated with a task left In Progress is a death', () => {
    const c = classify(worker({ status: 'terminated', heartbeat: '12:30:00' }), [task({ status: 'In Progress' })], heartbeatsEvery('12:00:30', '12:29:30', 30));
    expect(c.pattern).toBe('unexplained');
    expect(c.died_at).toBe(at('12:30:00'));
  });

  it('terminated after an orchestrator kill while alive: the kill is the explanation on record', () => {
    const w = worker({
      status: 'terminated',
      heartbeat: '13:36:00',
      metadata: { error_code: 'GPU_READY_NOT_CLAIMING', error_reason: 'idle for 20 minutes', error_time: '2025-10-17T13:36:03Z' },
    });
    const c = classify(w, [task({ status: 'Complete', processed: '13:33:04' })], [log('13:33:04', 'Finished task (Success: True)')]);
    expect(c.pattern).toBe('unexplained');
    expect(c.orchestrator).toMatchObject({ error_code: 'GPU_READY_NOT_CLAIMING', killed_at: at('13:36:03'), kill_after_heartbeat_s: 3, while_alive: true });
    expect(c.summary_facts).toMatchObject({ killed_while_alive: true, error_code: 'GPU_READY_NOT_CLAIMING' });
  });

  it('an active status with a dead heartbeat (the orchestrator waits 600 s) is dead', () => {
    const c = classify(worker({ status: 'active', heartbeat: '13:54:00' }), [], [log('13:53:00', 'working')]);
    expect(c.heartbeat_state).toBe('dead');
    expect(c.pattern).toBe('unexplained');
  });
});

describe('states without a crash pattern', () => {
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

  it('a switch long ago on a healthy worker is no crash', () => {
    const logs = [...lifeUntilSwitch(), log('13:01:30', 'Model switch completed in 90.0s'), ...heartbeatsEvery('13:01:40', '13:59:30', 30)];
    const c = classify(worker({ heartbeat: '13:59:50' }), [task({ status: 'Complete' })], logs);
    expect(c.pattern).toBe('no_crash');
    expect(c.crash_after_switch_s).toBeNull();
  });

  it('does not depend on the order of the log lines', () => {
    const logs = [...lifeUntilSwitch(), heartbeatLine('13:00:30')];
    const w = worker({ heartbeat: '13:03:00' });
    const tasks = [task({ status: 'In Progress' })];
    expect(classify(w, tasks, [...logs].reverse())).toEqual(classify(w, tasks, logs));
  });
});

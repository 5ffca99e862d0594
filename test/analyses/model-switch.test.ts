/**
 * §4B Model switch crash pattern: the worker's last MODEL SWITCH, the lines after it, and the time
 * from it to death (the last DB heartbeat of a dead worker, not "now"). OOM window 1.5–5 min (§5,
 * both ends in); model-loading window under 10 min (§12).
 */
import { describe, expect, it } from 'vitest';
import { modelSwitch } from '../../src/analyses/model-switch.js';
import { after, at, heartbeatLine, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('§4B modelSwitch', () => {
  const logs = [
    log('12:30:00', '🔄 MODEL SWITCH: a -> b'),
    log('13:00:00', '🔄 MODEL SWITCH: b -> c'),
    heartbeatLine('13:00:30'),
    log('13:12:00', 'Marking worker as error', { source: 'orchestrator_gpu' }),
  ];

  it('times the last switch to the last DB heartbeat (the guide used "now")', () => {
    const r = modelSwitch(worker({ heartbeat: '13:02:30' }), [], logs, AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ switch_at: at('13:00:00'), switches_total: 2, crashed: true, crash_after_s: 150, in_oom_window: true, in_model_load_window: true });
    expect(r.logs_after.map((l) => [l.after_s, l.source_type])).toEqual([
      [30, 'worker'],
      [720, 'orchestrator_gpu'],
    ]);
  });

  it('an alive worker has not crashed, however long ago it switched', () => {
    expect(modelSwitch(worker({ heartbeat: '13:59:50' }), [], logs, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ crashed: false, crash_after_s: null });
  });

  it('no switch at all', () => {
    expect(modelSwitch(worker(), [], [heartbeatLine('13:00:00')], AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ switch_at: null, logs_after: [], crashed: false });
  });

  it('the whole record of a crash', () => {
    const r = modelSwitch(worker({ heartbeat: '13:04:00' }), [task({ status: 'In Progress' })], logs, AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toEqual({
      worker_id: W,
      switch_at: at('13:00:00'),
      switch_message: '🔄 MODEL SWITCH: b -> c',
      switches_total: 2,
      logs_after: [
        { timestamp: at('13:00:30'), after_s: 30, source_type: 'worker', log_level: 'INFO', message: `✅ [HEARTBEAT] Worker ${W} active` },
        { timestamp: at('13:12:00'), after_s: 720, source_type: 'orchestrator_gpu', log_level: 'INFO', message: 'Marking worker as error' },
      ],
      heartbeat_state: 'dead',
      crashed: true,
      died_at: at('13:04:00'),
      crash_after_s: 240,
      in_oom_window: true,
      in_model_load_window: true,
      load_finished_at: null,
      coverage: { model_switch: 2, model_loaded: 0 },
    });
  });

  it('a load that finished: when, from the model_loaded family', () => {
    const r = modelSwitch(worker({ heartbeat: '13:59:50' }), [], [...logs, log('13:01:10', 'Model switch completed in 70.0s')], AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ load_finished_at: at('13:01:10'), coverage: { model_switch: 2, model_loaded: 1 } });
  });

  it.each([
    [89.999999, false, true],
    [90, true, true],
    [300, true, true],
    [300.000001, false, true],
    [599.999999, false, true],
    [600, false, false],
  ] as const)('death %s s after the switch: OOM window %s, model-load window %s', (s, oom, load) => {
    const r = modelSwitch(worker({ heartbeat: after('13:00:00', s) }), [], logs, AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ crashed: true, crash_after_s: s, in_oom_window: oom, in_model_load_window: load });
  });

  it('only the worker\'s own switch lines count: an orchestrator line quoting MODEL SWITCH is not one', () => {
    const r = modelSwitch(worker({ heartbeat: '13:03:00' }), [], [log('13:00:00', '🔄 MODEL SWITCH: a -> b'), log('13:01:00', 'worker stuck after MODEL SWITCH', { source: 'orchestrator_gpu' })], AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ switch_at: at('13:00:00'), switches_total: 1 });
    expect(r.logs_after.map((l) => l.after_s)).toEqual([60]);
  });

  it('lines of other workers and lines after as-of are not read (a switch after as-of included)', () => {
    const r = modelSwitch(worker({ heartbeat: '13:03:00' }), [], [
        log('13:00:00', '🔄 MODEL SWITCH: a -> b'),
        log('13:30:00', '🔄 MODEL SWITCH: b -> c', { worker: 'gpu-20251017_120000-bbbbbbbb' }),
        log('13:01:00', 'other worker line', { worker: 'gpu-20251017_120000-bbbbbbbb' }),
        log(after('14:00:00', 0.000001), '🔄 MODEL SWITCH: b -> z'),
      ], AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ switch_at: at('13:00:00'), switches_total: 1, logs_after: [], crash_after_s: 180 });
  });

  it('two switches at one instant: the last in (timestamp, id) order; lines at that instant are after it only by id', () => {
    const r = modelSwitch(worker({ heartbeat: '13:03:00' }), [], [
        log('13:00:00', '🔄 MODEL SWITCH: x -> y', { id: 'b-switch' }),
        log('13:00:00', '🔄 MODEL SWITCH: a -> b', { id: 'B-switch' }),
        log('13:00:00', 'same instant, later id', { id: 'c-line' }),
        log('13:00:00', 'same instant, earlier id', { id: 'a-line' }),
      ], AS_OF, BUILT_IN_VOCABULARY);
    expect(r.switch_message).toBe('🔄 MODEL SWITCH: x -> y');
    expect(r.logs_after.map((l) => [l.message, l.after_s])).toEqual([['same instant, later id', 0]]);
  });

  it('terminated is no proof of a clean end: a crash unless a shutdown line or the metadata shows one', () => {
    const sw = [log('13:00:00', '🔄 MODEL SWITCH: a -> b')];
    const terminated = worker({ status: 'terminated', heartbeat: '13:02:00' });
    expect(modelSwitch(terminated, [], sw, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ crashed: true, died_at: at('13:02:00'), crash_after_s: 120, in_oom_window: true });
    const selfTerminated = worker({ status: 'terminated', heartbeat: '13:02:00', metadata: { self_terminated: true } });
    expect(modelSwitch(selfTerminated, [], sw, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ crashed: false, died_at: null, crash_after_s: null, in_oom_window: false, in_model_load_window: false });
    const shutdown = [...sw, log('13:01:50', 'Shutting down: drain requested')];
    expect(modelSwitch(terminated, [], shutdown, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ crashed: false, crash_after_s: null });
  });

  it('dead without a DB heartbeat (status error, NULL heartbeat): crashed, with no time to give', () => {
    const r = modelSwitch(worker({ status: 'error', heartbeat: null }), [], [log('13:00:00', '🔄 MODEL SWITCH: a -> b')], AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ heartbeat_state: 'never', crashed: true, died_at: null, crash_after_s: null, in_oom_window: false, in_model_load_window: false });
  });

  it('a dead worker without a switch has not "crashed after a switch"', () => {
    expect(modelSwitch(worker({ heartbeat: '12:00:00' }), [], [], AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ heartbeat_state: 'dead', crashed: false, died_at: null });
  });
});

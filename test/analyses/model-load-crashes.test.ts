/**
 * §12 Find workers that crashed during model loading: the last MODEL SWITCH in the window, death
 * under 10 min after it (`time_between < 10`), timed to the last DB heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { modelLoadCrashes } from '../../src/analyses/model-load-crashes.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { WorkerCase } from '../../src/analyses/cases.js';
import { fleetId as id, switchedCase as switched, tenMinuteEdgeFleet } from '../support/cases.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const AS_OF = at('14:00:00');

describe('§12 modelLoadCrashes', () => {
  const cases = tenMinuteEdgeFleet();
  const window = { from: at('12:00:00'), to: AS_OF };

  it('deaths within 10 min of a switch in the window, timed to the DB heartbeat', () => {
    const r = modelLoadCrashes(cases, window, AS_OF);
    expect(r.switched).toBe(5);
    expect(r.workers.map((c) => [c.worker_id, c.crash_after_s])).toEqual([
      [id(1), 120],
      [id(2), 240],
      [id(3), 599],
    ]);
    expect(modelLoadCrashes(cases, { from: at('13:30:00'), to: AS_OF }, AS_OF).switched).toBe(0);
  });

  it('the whole record of a crash', () => {
    const r = modelLoadCrashes([switched(1, 150, 'NVIDIA L40S', 4)], window, AS_OF);
    expect(r).toEqual({
      from: at('12:00:00'),
      to: AS_OF,
      window_s: 600,
      switched: 1,
      workers: [
        {
          worker_id: id(1),
          status: 'active',
          switch_at: at('13:00:00'),
          switch_message: '🔄 MODEL SWITCH: wan -> qwen_image_edit',
          died_at: at('13:02:30'),
          crash_after_s: 150,
          worker_lines_after_switch: 1,
          logged_heartbeats_after_switch: 1,
          gpu_type: 'NVIDIA L40S',
          ram_tier: 24,
        },
      ],
    });
  });

  it('a switch at either end of the window counts; a microsecond outside does not', () => {
    const c = [switched(1, 120, 'A100', 3)];
    expect(modelLoadCrashes(c, { from: at('13:00:00'), to: AS_OF }, AS_OF).workers).toHaveLength(1);
    expect(modelLoadCrashes(c, { from: at('12:00:00'), to: at('13:00:00') }, AS_OF).workers).toHaveLength(1);
    expect(modelLoadCrashes(c, { from: at('13:00:00') + 1, to: AS_OF }, AS_OF)).toMatchObject({ switched: 0, workers: [] });
  });

  it('not a crash: terminated cleanly (on evidence), or dead with no switch; a crash: status error with NULL metadata, or terminated with no evidence of a clean end', () => {
    const logsOf = (w: string) => [log('13:00:00', '🔄 MODEL SWITCH: a -> b', { worker: w }), heartbeatLine('13:00:30', { worker: w })];
    const clean = worker({ id: id(1), status: 'terminated', heartbeat: '13:02:00', metadata: { self_terminated: true } });
    const killed = worker({ id: id(4), status: 'terminated', heartbeat: '13:02:00' });
    const noSwitch = worker({ id: id(2), heartbeat: '13:02:00' });
    const errored = worker({ id: id(3), status: 'error', heartbeat: '13:02:00', metadata: null });
    const cases: WorkerCase[] = [
      { worker: clean, tasks: [task({ worker: clean.id, status: 'Complete' })], signals: computeSignalsForWorker(clean.id, logsOf(clean.id), AS_OF, BUILT_IN_VOCABULARY) },
      { worker: noSwitch, tasks: [], signals: computeSignalsForWorker(noSwitch.id, [heartbeatLine('13:00:30', { worker: noSwitch.id })], AS_OF, BUILT_IN_VOCABULARY) },
      { worker: errored, tasks: [], signals: computeSignalsForWorker(errored.id, logsOf(errored.id), AS_OF, BUILT_IN_VOCABULARY) },
      { worker: killed, tasks: [], signals: computeSignalsForWorker(killed.id, logsOf(killed.id), AS_OF, BUILT_IN_VOCABULARY) },
    ];
    const r = modelLoadCrashes(cases, window, AS_OF);
    expect(r.switched).toBe(3);
    expect(r.workers).toMatchObject([
      { worker_id: id(3), status: 'error', crash_after_s: 120, gpu_type: null, ram_tier: null },
      { worker_id: id(4), status: 'terminated', crash_after_s: 120 },
    ]);
  });

  it('ordered by switch instant, ties by worker id in code-unit order, whatever the input order', () => {
    const named = (workerId: string, switchAt: string): WorkerCase => {
      const w = worker({ id: workerId, heartbeat: '13:05:00' });
      return { worker: w, tasks: [], signals: computeSignalsForWorker(w.id, [log(switchAt, '🔄 MODEL SWITCH: a -> b', { worker: w.id })], AS_OF, BUILT_IN_VOCABULARY) };
    };
    const c = [named('gpu-b', '13:00:00'), named('gpu-B', '13:00:00'), named('gpu-a', '13:01:00'), named('gpu-z', '12:59:00')];
    const expected = ['gpu-z', 'gpu-B', 'gpu-b', 'gpu-a'];
    expect(modelLoadCrashes(c, window, AS_OF).workers.map((w) => w.worker_id)).toEqual(expected);
    expect(modelLoadCrashes([...c].reverse(), window, AS_OF).workers.map((w) => w.worker_id)).toEqual(expected);
  });

  it('no cases: nothing switched', () => {
    expect(modelLoadCrashes([], window, AS_OF)).toEqual({ from: at('12:00:00'), to: AS_OF, window_s: 600, switched: 0, workers: [] });
  });
});

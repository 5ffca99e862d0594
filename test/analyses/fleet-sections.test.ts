/** §7–§13 and the crash-timing comparison over hand-built fleets. */
import { describe, expect, it } from 'vitest';
import { activeWorkers } from '../../src/analyses/active-workers.js';
import { crashTiming, placeCrashTiming, switchTargetModel } from '../../src/analyses/crash-timing.js';
import { quantile } from '../../src/analyses/stats.js';
import { failedTasks } from '../../src/analyses/failed-tasks.js';
import { fleetReport } from '../../src/analyses/fleet-report.js';
import { modelLoadCrashes } from '../../src/analyses/model-load-crashes.js';
import { orphanedTasks } from '../../src/analyses/orphaned-tasks.js';
import { recentWorkers } from '../../src/analyses/recent-workers.js';
import { staleWorkers } from '../../src/analyses/stale-workers.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { WorkerCase } from '../../src/analyses/cases.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');
const id = (n: number) => `gpu-20251017_1${String(n).padStart(5, '0')}-0000000${n % 10}`;

describe('§7 activeWorkers', () => {
  it('only status active, worst first', () => {
    const r = activeWorkers(
      [
        worker({ id: id(1), heartbeat: '13:59:50' }),
        worker({ id: id(2), heartbeat: '13:40:00' }),
        worker({ id: id(3), heartbeat: null }),
        worker({ id: id(4), heartbeat: '13:57:00' }),
        worker({ id: id(5), status: 'terminated', heartbeat: '10:00:00' }),
      ],
      AS_OF,
    );
    expect(r.workers.map((w) => [w.id, w.heartbeat_state])).toEqual([
      [id(3), 'never'],
      [id(2), 'dead'],
      [id(4), 'aging'],
      [id(1), 'alive'],
    ]);
    expect(r.by_state).toEqual({ alive: 1, aging: 1, dead: 1, never: 1 });
  });
});

describe('§8 recentWorkers', () => {
  it('workers created in the window, newest first, with age as of as-of', () => {
    const window = { from: at('12:00:00'), to: AS_OF };
    const r = recentWorkers([worker({ id: id(1), created: '11:59:59' }), worker({ id: id(2), created: '12:00:00' }), worker({ id: id(3), created: '13:30:00', metadata: null })], window, AS_OF);
    expect(r.workers.map((w) => [w.id, w.age_s, w.ram_tier])).toEqual([
      [id(3), 1800, null],
      [id(2), 7200, 32],
    ]);
  });
});

describe('§9 staleWorkers', () => {
  it('active workers with a heartbeat older than the threshold, and active ones that never sent one', () => {
    const r = staleWorkers(
      [
        worker({ id: id(1), heartbeat: '13:55:00' }), // exactly 5 min: not older
        worker({ id: id(2), heartbeat: '13:54:59', created: '13:00:00' }),
        worker({ id: id(3), heartbeat: '13:40:00' }),
        worker({ id: id(4), heartbeat: null, created: '13:50:00' }),
        worker({ id: id(5), heartbeat: '12:00:00', status: 'error' }),
      ],
      AS_OF,
    );
    expect(r.threshold_s).toBe(300);
    expect(r.workers.map((w) => [w.id, w.heartbeat_age_s, w.lifetime_s, w.past_orchestrator_limit])).toEqual([
      [id(3), 1200, 7200, true],
      [id(2), 301, 3600, false],
    ]);
    expect(r.never_heartbeat.map((w) => w.id)).toEqual([id(4)]);
    expect(staleWorkers([worker({ heartbeat: '13:58:00' })], AS_OF, 60).workers).toHaveLength(1);
  });
});

describe('§10 failedTasks', () => {
  it('newest first, grouped by worker and by message, limited', () => {
    const tasks = [
      task({ worker: id(1), status: 'Failed', created: '13:00:00', error: 'CUDA out of memory' }),
      task({ worker: id(1), status: 'Failed', created: '13:10:00', error: 'CUDA out of memory' }),
      task({ worker: id(2), status: 'Failed', created: '13:20:00', error: null }),
      task({ worker: id(2), status: 'Complete', created: '13:30:00' }),
    ];
    const r = failedTasks(tasks);
    expect(r.tasks.map((t) => t.created_at)).toEqual([at('13:20:00'), at('13:10:00'), at('13:00:00')]);
    expect(r.by_worker).toEqual([
      { worker_id: id(1), failed: 2, task_types: ['travel_segment'] },
      { worker_id: id(2), failed: 1, task_types: ['travel_segment'] },
    ]);
    expect(r.by_error[0]).toEqual({ error_message: 'CUDA out of memory', failed: 2 });
    expect(failedTasks(tasks, 1).tasks).toHaveLength(1);
  });
});

describe('§11 orphanedTasks', () => {
  it('the three reasons, a NULL heartbeat counted as stale, healthy workers left alone', () => {
    const workers = [worker({ id: id(1), heartbeat: '13:59:50' }), worker({ id: id(2), heartbeat: '13:30:00' }), worker({ id: id(3), heartbeat: null })];
    const tasks = [
      task({ id: 't-healthy', worker: id(1), status: 'In Progress' }),
      task({ id: 't-stale', worker: id(2), status: 'In Progress', started: '13:20:00' }),
      task({ id: 't-never', worker: id(3), status: 'In Progress' }),
      task({ id: 't-deleted', worker: 'gpu-20251017_000000-deadbeef', status: 'In Progress' }),
      task({ id: 't-none', worker: null, status: 'In Progress', started: null }),
      task({ id: 't-done', worker: id(2), status: 'Complete' }),
    ];
    const r = orphanedTasks(tasks, workers, AS_OF);
    expect(r.in_progress).toBe(5);
    expect(Object.fromEntries(r.tasks.map((t) => [t.id, t.reason]))).toEqual({
      't-stale': 'heartbeat_stale',
      't-never': 'heartbeat_stale',
      't-deleted': 'worker_missing',
      't-none': 'no_worker',
    });
    expect(r.tasks.find((t) => t.id === 't-stale')).toMatchObject({ heartbeat_age_s: 1800, runtime_s: 2400 });
  });
});

describe('§13 fleetReport', () => {
  const window = { from: at('08:00:00'), to: AS_OF };
  const workers: Worker[] = [
    worker({ id: id(1), created: '09:00:00', heartbeat: '13:59:30' }), // alive
    worker({ id: id(2), created: '09:00:00', heartbeat: '13:58:00' }), // aging
    worker({ id: id(3), created: '09:00:00', heartbeat: '12:00:00' }), // stale
    worker({ id: id(4), created: '13:00:00', heartbeat: null }), // never
    worker({ id: id(5), created: '09:00:00', heartbeat: '10:00:00', status: 'terminated' }),
    worker({ id: id(6), created: '09:00:00', heartbeat: '11:00:00', status: 'error' }),
    worker({ id: id(7), created: '09:00:00', heartbeat: '13:59:59', status: 'crashed' }),
    worker({ id: id(8), created: '07:59:59', heartbeat: '13:59:59' }), // before the window
  ];
  const tasks: Task[] = [
    task({ status: 'Complete', created: '09:00:00' }),
    task({ status: 'Complete', created: '09:00:00' }),
    task({ status: 'Failed', created: '09:00:00' }),
    task({ status: 'In Progress', created: '09:00:00' }),
    task({ status: 'Queued', created: '09:00:00' }),
    task({ status: 'Cancelled', created: '09:00:00' }),
    task({ status: 'Complete', created: '07:00:00' }), // before the window
  ];

  it('six worker states that sum to the total; error/crashed as error whatever the heartbeat', () => {
    const r = fleetReport(workers, tasks, window, AS_OF);
    expect(r.workers).toEqual({ total: 7, alive: 1, aging: 1, stale: 1, never: 1, terminated: 1, error: 2 });
    expect(r.window_hours).toBe(6);
  });

  it('counts Complete as success (the guide counted Completed: 0 % on real data)', () => {
    const r = fleetReport(workers, tasks, window, AS_OF);
    expect(r.tasks).toEqual({ total: 6, queued: 1, in_progress: 1, complete: 2, failed: 1, cancelled: 1 });
    expect(r.success_rate).toBeCloseTo(2 / 6, 12);
    expect(r.failure_rate).toBeCloseTo(1 / 6, 12);
  });

  it('averages lifetime over workers that sent a heartbeat (not counting the never-started as zero)', () => {
    const r = fleetReport(workers, tasks, window, AS_OF);
    const lifetimes = [4 * 3600 + 3570, 4 * 3600 + 3480, 3 * 3600, 3600, 2 * 3600, 4 * 3600 + 3599];
    expect(r.avg_lifetime_s).toBeCloseTo(lifetimes.reduce((a, b) => a + b) / lifetimes.length, 9);
  });

  it('an empty window gives zero counts and null rates', () => {
    const r = fleetReport([], [], window, AS_OF);
    expect(r).toMatchObject({ success_rate: null, failure_rate: null, avg_lifetime_s: null, workers: { total: 0 } });
  });
});

/** A worker that switched at 13:00 and whose last DB heartbeat came `afterS` later. */
function switched(n: number, afterS: number | 'alive', gpu: string, profile: number): WorkerCase {
  const w = worker({
    id: id(n),
    heartbeat: afterS === 'alive' ? '13:59:50' : new Date((at('13:00:00') + afterS * 1e6) / 1000).toISOString(),
    metadata: { ram_tier: 24, pod_details: { gpu_type_id: gpu } },
  });
  const logs: SystemLog[] = [
    log('12:01:00', `Using Memory Profile ${profile}`, { worker: w.id }),
    log('13:00:00', '🔄 MODEL SWITCH: wan -> qwen_image_edit', { worker: w.id }),
    heartbeatLine('13:00:20', { worker: w.id }),
  ];
  return { worker: w, tasks: [task({ worker: w.id, status: 'In Progress' })], signals: computeSignalsForWorker(w.id, logs, AS_OF) };
}

describe('§12 modelLoadCrashes and the crash-timing comparison', () => {
  const cases = [
    switched(1, 120, 'A100', 3),
    switched(2, 240, 'A100', 4),
    switched(3, 599, 'H100', 4), // just under 10 min: a model-load crash
    switched(4, 600, 'H100', 4), // exactly 10 min: not (the guide's `time_between < 10`)
    switched(5, 'alive', 'H100', 3),
  ];
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

  it('groups with counts, median, quartiles and crash rate', () => {
    const byGpu = crashTiming(cases, window, AS_OF, 'gpu');
    expect(byGpu.overall).toMatchObject({ switched: 5, crashed: 3, median_s: 240, timings_s: [120, 240, 599] });
    expect(byGpu.groups.map((g) => [g.key, g.switched, g.crashed, g.crash_rate, g.median_s])).toEqual([
      ['A100', 2, 2, 1, 180],
      ['H100', 3, 1, 1 / 3, 599],
    ]);
    const byProfile = crashTiming(cases, window, AS_OF, 'memory_profile');
    expect(byProfile.groups.map((g) => [g.key, g.crashed])).toEqual([
      ['4', 2],
      ['3', 1],
    ]);
    expect(crashTiming(cases, window, AS_OF, 'model').groups[0]?.key).toBe('qwen_image_edit');
  });

  it('places one worker on the distribution', () => {
    const timing = crashTiming(cases, window, AS_OF);
    expect(placeCrashTiming(timing, 240)).toEqual({ crash_after_s: 240, percentile: 2 / 3, n: 3, median_s: 240 });
  });

  it('does not depend on the order of the workers', () => {
    expect(crashTiming([...cases].reverse(), window, AS_OF)).toEqual(crashTiming(cases, window, AS_OF));
  });

  it('quantiles interpolate like numpy; switch targets parse', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNull();
    expect(switchTargetModel('🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit')).toBe('qwen_image_edit');
    expect(switchTargetModel('MODEL SWITCH → flux')).toBe('flux');
  });
});

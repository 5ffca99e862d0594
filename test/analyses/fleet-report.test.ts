/**
 * §13 Worker summary report, with the guide put right: six worker states that sum to the total,
 * success counted on `Complete` (the guide's `Completed` read as the same state), lifetime averaged
 * over workers that sent a heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { FLEET_STATES, fleetReport, fleetStateOf } from '../../src/analyses/fleet-report.js';
import type { Task, Worker } from '../../src/rows/schemas.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('fleetStateOf', () => {
  it.each([
    ['terminated', '13:59:59', 'terminated'],
    ['terminating', null, 'terminated'],
    ['error', '13:59:59', 'error'],
    ['crashed', null, 'error'],
    ['active', null, 'never'],
    ['spawning', null, 'never'],
    ['active', after('13:59:00', 0.000001), 'alive'],
    ['inactive', '13:59:00', 'aging'],
    ['external', after('13:55:00', 0.000001), 'aging'],
    ['active', '13:55:00', 'stale'],
  ] as const)('status %s, heartbeat %s → %s', (status, heartbeat, state) => {
    expect(fleetStateOf(worker({ status, heartbeat }), AS_OF)).toBe(state);
  });

  it('six states, in the report\'s order', () => {
    expect(FLEET_STATES).toEqual(['alive', 'aging', 'stale', 'never', 'terminated', 'error']);
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

  it('the average lifetime is the same to the last digit whatever the order of the workers', () => {
    // 0.1 s, 0.2 s and 0.3 s: a float sum gives 0.6000000000000001 or 0.6 depending on its order.
    const rows = [1, 2, 3].map((n) => worker({ id: id(n), created: '12:00:00', heartbeat: after('12:00:00', n / 10) }));
    const averages = [rows, [...rows].reverse(), [rows[1]!, rows[2]!, rows[0]!]].map((order) => fleetReport(order, [], window, AS_OF).avg_lifetime_s);
    expect(new Set(averages).size).toBe(1);
    expect(averages[0]).toBeCloseTo(0.2, 12);
  });

  it('the guide\'s Completed spelling counts as success too', () => {
    const r = fleetReport([], [task({ status: 'Completed', created: '09:00:00' }), task({ status: 'Failed', created: '09:00:00' })], window, AS_OF);
    expect(r.tasks).toMatchObject({ total: 2, complete: 1, failed: 1 });
    expect(r.success_rate).toBe(0.5);
  });

  it('both ends of the window are in, for workers and tasks; a microsecond outside is out', () => {
    const narrow = { from: at('12:00:00'), to: at('13:00:00') };
    const r = fleetReport(
      [
        worker({ id: id(1), created: '12:00:00' }),
        worker({ id: id(2), created: '13:00:00' }),
        worker({ id: id(3), created: after('13:00:00', 0.000001) }),
        worker({ id: id(4), created: after('11:59:59', 0.999999) }),
      ],
      [task({ created: '12:00:00' }), task({ created: '13:00:00' }), task({ created: after('13:00:00', 0.000001) })],
      narrow,
      AS_OF,
    );
    expect(r.workers.total).toBe(2);
    expect(r.tasks.total).toBe(2);
    expect(r.lifetimes.map((l) => l.id)).toEqual([id(1), id(2)]);
    expect(r).toMatchObject({ from: at('12:00:00'), to: at('13:00:00'), window_hours: 1 });
  });

  it('lifetimes by creation then id (code units), with GPU and RAM tier; NULL metadata reads as unknown', () => {
    const r = fleetReport(
      [
        worker({ id: 'gpu-b', created: '10:00:00', heartbeat: '10:30:00', metadata: null }),
        worker({ id: 'gpu-B', created: '10:00:00', heartbeat: null, status: 'spawning', metadata: {} }),
        worker({ id: 'gpu-a', created: '09:00:00', heartbeat: '13:59:30', metadata: { ram_tier: 48, pod_details: { gpu_type_id: 'NVIDIA L40S' } } }),
      ],
      [],
      window,
      AS_OF,
    );
    expect(r.lifetimes).toEqual([
      { id: 'gpu-a', state: 'alive', created_at: at('09:00:00'), lifetime_s: 4 * 3600 + 3570, gpu_type: 'NVIDIA L40S', ram_tier: 48 },
      { id: 'gpu-B', state: 'never', created_at: at('10:00:00'), lifetime_s: null, gpu_type: null, ram_tier: null },
      { id: 'gpu-b', state: 'stale', created_at: at('10:00:00'), lifetime_s: 1800, gpu_type: null, ram_tier: null },
    ]);
    expect(r.avg_lifetime_s).toBe((4 * 3600 + 3570 + 1800) / 2);
  });

  it('outcomes by task type: most tasks first, ties by type in code-unit order', () => {
    const r = fleetReport(
      [],
      [
        task({ type: 'single_image', status: 'Complete', created: '09:00:00' }),
        task({ type: 'single_image', status: 'Failed', created: '09:00:00' }),
        task({ type: 'join_clips', status: 'Cancelled', created: '09:00:00' }),
        task({ type: 'Travel', status: 'Complete', created: '09:00:00' }),
      ],
      window,
      AS_OF,
    );
    expect(r.by_task_type).toEqual([
      { task_type: 'single_image', total: 2, complete: 1, failed: 1 },
      { task_type: 'Travel', total: 1, complete: 1, failed: 0 },
      { task_type: 'join_clips', total: 1, complete: 0, failed: 0 },
    ]);
  });
});

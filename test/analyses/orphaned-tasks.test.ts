/**
 * §11 Find orphaned tasks: In Progress tasks with no worker, a deleted worker, or a worker whose DB
 * heartbeat is strictly over 5 min old (`if hb_age_min > 5`) or was never sent.
 */
import { describe, expect, it } from 'vitest';
import { orphanedTasks } from '../../src/analyses/orphaned-tasks.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

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

  it('exactly 5 min is not stale; a microsecond more is', () => {
    const workers = [worker({ id: id(1), heartbeat: '13:55:00' }), worker({ id: id(2), heartbeat: after('13:54:59', 0.999999) })];
    const r = orphanedTasks([task({ id: 't1', worker: id(1), status: 'In Progress' }), task({ id: 't2', worker: id(2), status: 'In Progress' })], workers, AS_OF);
    expect(r.tasks.map((t) => [t.id, t.heartbeat_age_s])).toEqual([['t2', 300.000001]]);
  });

  it('the whole records, counts by reason, oldest task first (ties by id in code-unit order)', () => {
    const workers = [worker({ id: id(2), status: 'active', heartbeat: '13:00:00' })];
    const r = orphanedTasks(
      [
        task({ id: 'b', worker: id(2), status: 'In Progress', type: 'single_image', created: '13:00:00', started: '13:10:00' }),
        task({ id: 'B', worker: null, status: 'In Progress', type: 'travel_orchestrator', created: '13:00:00', started: null }),
        task({ id: 'z', worker: 'gpu-deleted', status: 'In Progress', type: 'join_clips', created: '12:00:00', started: '12:00:30' }),
        task({ id: 'q', worker: 'gpu-deleted', status: 'Queued', created: '11:00:00' }),
      ],
      workers,
      AS_OF,
    );
    expect(r).toEqual({
      in_progress: 3,
      by_reason: { no_worker: 1, worker_missing: 1, heartbeat_stale: 1, worker_stalled: 0 },
      tasks: [
        { id: 'z', task_type: 'join_clips', worker_id: 'gpu-deleted', reason: 'worker_missing', worker_status: null, heartbeat_age_s: null, generation_started_at: at('12:00:30'), runtime_s: 7170 },
        { id: 'B', task_type: 'travel_orchestrator', worker_id: null, reason: 'no_worker', worker_status: null, heartbeat_age_s: null, generation_started_at: null, runtime_s: null },
        { id: 'b', task_type: 'single_image', worker_id: id(2), reason: 'heartbeat_stale', worker_status: 'active', heartbeat_age_s: 3600, generation_started_at: at('13:10:00'), runtime_s: 3000 },
      ],
    });
  });

  it('the heartbeat decides, not the status: a terminated worker with a stale heartbeat orphans its task', () => {
    const r = orphanedTasks([task({ id: 't', worker: id(1), status: 'In Progress' })], [worker({ id: id(1), status: 'terminated', heartbeat: '13:00:00' })], AS_OF);
    expect(r.tasks).toMatchObject([{ id: 't', reason: 'heartbeat_stale', worker_status: 'terminated' }]);
  });

  it('no In Progress task: nothing', () => {
    expect(orphanedTasks([task({ status: 'Failed' })], [], AS_OF)).toEqual({ in_progress: 0, by_reason: { no_worker: 0, worker_missing: 0, heartbeat_stale: 0, worker_stalled: 0 }, tasks: [] });
  });

  it('a live worker found stalled (issue 9) loses its task as surely as a dead one: reason worker_stalled', () => {
    const workers = [worker({ id: id(1), heartbeat: '13:59:50' }), worker({ id: id(2), heartbeat: '13:59:50' })];
    const tasks = [task({ id: 't-stalled', worker: id(1), status: 'In Progress' }), task({ id: 't-busy', worker: id(2), status: 'In Progress' })];
    const r = orphanedTasks(tasks, workers, AS_OF, new Set([id(1)]));
    expect(r.tasks).toMatchObject([{ id: 't-stalled', reason: 'worker_stalled', worker_status: 'active', heartbeat_age_s: 10 }]);
    expect(r.by_reason.worker_stalled).toBe(1);
    expect(r.in_progress).toBe(2);
  });
});

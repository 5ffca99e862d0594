/** §10 Find workers with failed tasks: the newest failed tasks, by worker and by error message. */
import { describe, expect, it } from 'vitest';
import { failedTasks } from '../../src/analyses/failed-tasks.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, task } from '../support/rows.js';

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

  it('only Failed counts: not Complete (nor the guide\'s Completed), Cancelled, Queued or In Progress', () => {
    const r = failedTasks([
      task({ status: 'Completed' }),
      task({ status: 'Complete' }),
      task({ status: 'Cancelled', error: 'cancelled by user' }),
      task({ status: 'Queued' }),
      task({ status: 'In Progress' }),
    ]);
    expect(r).toEqual({ total: 0, tasks: [], by_worker: [], by_error: [], by_template: [] });
  });

  it('the whole task record', () => {
    const r = failedTasks([task({ id: 't1', worker: id(1), status: 'Failed', type: 'join_clips', created: '13:00:00', error: 'ffmpeg exited 1', attempts: 3 })]);
    expect(r.tasks).toEqual([{ id: 't1', worker_id: id(1), task_type: 'join_clips', error_message: 'ffmpeg exited 1', attempts: 3, created_at: at('13:00:00'), updated_at: null }]);
  });

  it('the limit keeps the newest and the groups count only those; the total counts them all', () => {
    const tasks = [
      task({ id: 't-old', worker: id(1), status: 'Failed', created: '12:00:00', error: 'old error' }),
      task({ id: 't-new', worker: id(2), status: 'Failed', created: '13:00:00', error: 'new error' }),
    ];
    const r = failedTasks(tasks, 1);
    expect(r.total).toBe(2);
    expect(r.tasks.map((t) => t.id)).toEqual(['t-new']);
    expect(r.by_worker).toEqual([{ worker_id: id(2), failed: 1, task_types: ['travel_segment'] }]);
    expect(r.by_error).toEqual([{ error_message: 'new error', failed: 1 }]);
    expect(failedTasks(tasks, 0)).toMatchObject({ total: 2, tasks: [], by_worker: [], by_error: [] });
  });

  it('ties: same instant by id in code-unit order; groups by count, then key in code-unit order', () => {
    const r = failedTasks([
      task({ id: 'b', worker: 'gpu-b', status: 'Failed', created: '13:00:00', error: 'b error', type: 'single_image' }),
      task({ id: 'B', worker: 'gpu-B', status: 'Failed', created: '13:00:00', error: 'B error', type: 'travel_segment' }),
      task({ id: 'a', worker: 'gpu-b', status: 'Failed', created: after('12:59:59', 0.999999), error: 'b error', type: 'join_clips' }),
      task({ id: 'c', worker: 'gpu-b', status: 'Failed', created: '12:00:00', error: 'B error', type: 'single_image' }),
    ]);
    expect(r.tasks.map((t) => t.id)).toEqual(['B', 'b', 'a', 'c']);
    expect(r.by_worker).toEqual([
      { worker_id: 'gpu-b', failed: 3, task_types: ['join_clips', 'single_image'] },
      { worker_id: 'gpu-B', failed: 1, task_types: ['travel_segment'] },
    ]);
    expect(r.by_error).toEqual([
      { error_message: 'B error', failed: 2 },
      { error_message: 'b error', failed: 2 },
    ]);
  });

  it('a failed task with no worker and no message is its own group', () => {
    const r = failedTasks([task({ worker: null, status: 'Failed', error: null }), task({ worker: null, status: 'Failed', error: null, created: '12:11:00' })]);
    expect(r.by_worker).toEqual([{ worker_id: null, failed: 2, task_types: ['travel_segment'] }]);
    expect(r.by_error).toEqual([{ error_message: null, failed: 2 }]);
  });
});

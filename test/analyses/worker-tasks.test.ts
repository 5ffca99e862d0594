/** §3 Find tasks assigned to a worker, on hand-built task rows. */
import { describe, expect, it } from 'vitest';
import { countByStatus, toTaskLine, workerTasks } from '../../src/analyses/worker-tasks.js';
import { TASK_STATUSES } from '../../src/rows/schemas.js';
import { after, at, task } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';

describe('toTaskLine', () => {
  it('generation time from claim to completion, exact to the microsecond', () => {
    const line = toTaskLine(task({ id: 't1', created: '12:00:00', started: '12:00:05', processed: after('12:01:28', 0.000001), error: null, attempts: 2 }));
    expect(line).toEqual({
      id: 't1',
      task_type: 'travel_segment',
      status: 'Complete',
      attempts: 2,
      created_at: at('12:00:00'),
      generation_started_at: at('12:00:05'),
      generation_processed_at: at('12:01:28') + 1,
      updated_at: null,
      generation_s: 83.000001,
      error_message: null,
    });
  });

  it('no generation time without a claim or without a completion', () => {
    expect(toTaskLine(task({ status: 'Queued', started: null })).generation_s).toBeNull();
    expect(toTaskLine(task({ status: 'In Progress', started: '12:00:00' })).generation_s).toBeNull();
  });
});

describe('countByStatus', () => {
  it('every status of the real enum, zero included; the guide\'s Completed counts as Complete', () => {
    const counts = countByStatus([task({ status: 'Completed' }), task({ status: 'Complete' }), task({ status: 'Failed' })]);
    expect(counts).toEqual({ Queued: 0, 'In Progress': 0, Complete: 2, Failed: 1, Cancelled: 0 });
    expect(Object.keys(countByStatus([]))).toEqual([...TASK_STATUSES]);
  });
});

describe('§3 workerTasks', () => {
  it('lists the worker\'s tasks oldest first with counts by status', () => {
    const r = workerTasks(W, [
      task({ created: '13:00:00', status: 'Failed', error: 'CUDA out of memory' }),
      task({ created: '12:00:00', status: 'Complete', processed: '12:01:23' }),
      task({ created: '12:30:00', worker: 'someone-else' }),
    ]);
    expect(r.total).toBe(2);
    expect(r.tasks.map((t) => t.status)).toEqual(['Complete', 'Failed']);
    expect(r.tasks[0]?.generation_s).toBe(83);
    expect(r.by_status).toEqual({ Queued: 0, 'In Progress': 0, Complete: 1, Failed: 1, Cancelled: 0 });
  });

  it('ties on created_at go by id in code-unit order; microseconds apart is not a tie', () => {
    const r = workerTasks(W, [
      task({ id: 'b-task', created: '12:00:00' }),
      task({ id: 'B-task', created: '12:00:00' }),
      task({ id: 'a-task', created: after('12:00:00', 0.000001) }),
    ]);
    expect(r.tasks.map((t) => t.id)).toEqual(['B-task', 'b-task', 'a-task']);
  });

  it('tasks with no worker or another worker are not this worker\'s; none at all is an empty list', () => {
    expect(workerTasks(W, [task({ worker: null }), task({ worker: `${W}x` })])).toEqual({
      worker_id: W,
      total: 0,
      by_status: { Queued: 0, 'In Progress': 0, Complete: 0, Failed: 0, Cancelled: 0 },
      tasks: [],
    });
  });
});

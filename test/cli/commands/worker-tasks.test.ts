/** `tasks` (§3): its printer over fixed results made from hand-built task rows. */
import { describe, expect, it } from 'vitest';
import { workerTasks } from '../../../src/analyses/worker-tasks.js';
import { printTasks } from '../../../src/cli/commands/worker-tasks.js';
import type { Task } from '../../../src/rows/schemas.js';
import { at, task } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const tasksOf = (tasks: Task[]) => ({ as_of: AS_OF, ...workerTasks(W, tasks) });

describe('printTasks', () => {
  it('counts by status (non-zero only), durations, a long error cut and a key redacted', async () => {
    const key = 'sb_secret_abcdefghijklmnop';
    const text = printTasks(
      tasksOf([
        task({ id: '7a5c0001-0000-4000-8000-000000000001', worker: W, created: '12:10:00', started: '12:10:05', processed: '12:14:35' }),
        task({ id: '7a5c0002-0000-4000-8000-000000000002', worker: W, status: 'Failed', type: 'image_edit', created: '12:20:00', started: '12:20:10', processed: '12:20:50', error: `Upload refused for key ${key}: the bucket policy denies writes from this worker` }),
        task({ id: '7a5c0003-0000-4000-8000-000000000003', worker: W, status: 'In Progress', created: '12:59:00', started: '12:59:10' }),
        task({ id: '7a5c0004-0000-4000-8000-000000000004', worker: W, status: 'Queued', created: '13:30:00', started: null }),
      ]),
    );
    await expect(text.join('\n')).toMatchFileSnapshot('./output/tasks-mixed.txt');
    expect(text[0]).toBe(`Tasks of ${W}: 4 (1 Queued, 1 In Progress, 1 Complete, 1 Failed)`);
    expect(text.join('\n')).not.toContain(key);
  });

  it('no task: "none" and an empty table', async () => {
    const text = printTasks(tasksOf([]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/tasks-none.txt');
    expect(text).toEqual([`Tasks of ${W}: 0 (none)`, '  (none)']);
  });
});

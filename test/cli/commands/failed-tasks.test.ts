/** `failed-tasks` (§10): its printer over fixed results made from hand-built task rows. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILED_TASK_LIMIT } from '../../../src/config/thresholds.js';
import { failedTasks } from '../../../src/analyses/failed-tasks.js';
import { printFailedTasks } from '../../../src/cli/commands/failed-tasks.js';
import { at, task } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const A = 'gpu-20251017_120000-00000001';
const B = 'gpu-20251017_120000-00000002';
const SECRET = 'sb_secret_0123456789abcdef';
const tasks = [
  task({ id: '7a5c0001-0000-4000-8000-000000000001', worker: A, status: 'Failed', type: 'travel_segment', created: '12:10:00', attempts: 3, error: 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity; 21.80 GiB already allocated)' }),
  task({ id: '7a5c0002-0000-4000-8000-000000000002', worker: A, status: 'Failed', type: 'image_edit', created: '12:40:00', error: `upload refused: key ${SECRET} revoked` }),
  task({ id: '7a5c0003-0000-4000-8000-000000000003', worker: B, status: 'Failed', type: 'travel_segment', created: '13:00:00', error: null }),
  task({ id: '7a5c0004-0000-4000-8000-000000000004', worker: null, status: 'Failed', type: 'travel_segment', created: '13:20:00', attempts: 0, error: 'No worker available' }),
  task({ id: '7a5c0005-0000-4000-8000-000000000005', worker: B, status: 'Complete', created: '13:30:00' }),
];

describe('printFailedTasks', () => {
  it('fleet-wide: newest first, errors cut and redacted, a task without worker or error; then by worker', async () => {
    const result = { as_of: AS_OF, worker_id: null, limit: DEFAULT_FAILED_TASK_LIMIT, ...failedTasks(tasks, DEFAULT_FAILED_TASK_LIMIT) };
    const text = printFailedTasks(result);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/failed-tasks-fleet.txt');
    expect(text[0]).toBe(`FAILED TASKS: 4 (newest ${DEFAULT_FAILED_TASK_LIMIT} at most)`);
    expect(text.join('\n')).not.toContain(SECRET);
    // Issue 11: the messages as templates, figures masked.
    expect(text).toContain('By error template:');
    expect(text.join('\n')).toMatch(/\boom\s+CUDA out of memory\. Tried to allocate <size> \(GPU <n>; <size> total capacity; <size> alre…/);
  });

  it('one worker’s: named in the title, no limit', async () => {
    const own = tasks.filter((t) => t.worker_id === A);
    const text = printFailedTasks({ as_of: AS_OF, worker_id: A, limit: null, ...failedTasks(own) });
    await expect(text.join('\n')).toMatchFileSnapshot('./output/failed-tasks-worker.txt');
    expect(text[0]).toBe(`FAILED TASKS OF ${A}: 2`);
  });

  it('none failed: three empty tables', async () => {
    const text = printFailedTasks({ as_of: AS_OF, worker_id: null, limit: 10, ...failedTasks([], 10) });
    expect(text).toEqual(['FAILED TASKS: 0 (newest 10 at most)', '  (none)', '', 'By error template:', '  (none)', '', 'By worker:', '  (none)']);
  });
});

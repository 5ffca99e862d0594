/** `orphans` (§11): its printer over fixed results made from hand-built rows. */
import { describe, expect, it } from 'vitest';
import { orphanedTasks } from '../../../src/analyses/orphaned-tasks.js';
import { printOrphans } from '../../../src/cli/commands/orphaned-tasks.js';
import { at, task, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const ALIVE = 'gpu-20251017_120000-00000001';
const DEAD = 'gpu-20251017_120000-00000002';
const STALLED = 'gpu-20251017_120000-00000003';

describe('printOrphans', () => {
  it('one task per reason (the stale one with its heartbeat age), a healthy one left out', async () => {
    const tasks = [
      task({ id: '7a5c0001-0000-4000-8000-000000000001', worker: ALIVE, status: 'In Progress', created: '13:50:00', started: '13:50:05' }),
      task({ id: '7a5c0002-0000-4000-8000-000000000002', worker: DEAD, status: 'In Progress', created: '12:59:00', started: '12:59:10' }),
      task({ id: '7a5c0003-0000-4000-8000-000000000003', worker: 'gpu-20251016_090000-deadbeef', status: 'In Progress', type: 'image_edit', created: '11:00:00', started: '11:00:30' }),
      task({ id: '7a5c0004-0000-4000-8000-000000000004', worker: null, status: 'In Progress', created: '13:40:00', started: '13:40:00' }),
    ];
    const workers = [worker({ id: ALIVE, heartbeat: '13:59:50' }), worker({ id: DEAD, heartbeat: '13:03:00' })];
    const text = printOrphans({ as_of: AS_OF, ...orphanedTasks(tasks, workers, AS_OF) });
    // No stalled worker given: that reason is counted as zero, not left out.
    await expect(text.join('\n')).toMatchFileSnapshot('./output/orphans-each-reason.txt');
    expect(text[0]).toBe('ORPHANED TASKS: 3 of 4 In Progress (1 no_worker, 1 worker_missing, 1 heartbeat_stale, 0 worker_stalled)');
    expect(text.join('\n')).not.toContain('7a5c0001');
  });

  it('none: every reason counted as zero', async () => {
    const text = printOrphans({ as_of: AS_OF, ...orphanedTasks([], [], AS_OF) });
    expect(text).toEqual(['ORPHANED TASKS: 0 of 0 In Progress (0 no_worker, 0 worker_missing, 0 heartbeat_stale, 0 worker_stalled)', '  (none)']);
  });

  it('a task held by a worker whose heartbeat is fresh but whose main loop stopped is orphaned as worker_stalled', () => {
    const tasks = [
      task({ id: '7a5c0005-0000-4000-8000-000000000005', worker: STALLED, status: 'In Progress', created: '13:00:00', started: '13:00:05' }),
      task({ id: '7a5c0006-0000-4000-8000-000000000006', worker: ALIVE, status: 'In Progress', created: '13:50:00', started: '13:50:05' }),
    ];
    const workers = [worker({ id: STALLED, heartbeat: '13:59:55' }), worker({ id: ALIVE, heartbeat: '13:59:50' })];
    const text = printOrphans({ as_of: AS_OF, ...orphanedTasks(tasks, workers, AS_OF, new Set([STALLED])) });
    expect(text[0]).toBe('ORPHANED TASKS: 1 of 2 In Progress (0 no_worker, 0 worker_missing, 0 heartbeat_stale, 1 worker_stalled)');
    const joined = text.join('\n');
    expect(joined).toContain('7a5c0005');
    expect(joined).toContain('worker_stalled');
    expect(joined).not.toContain('7a5c0006');
  });
});

/** `check` (§6): its printer over fixed results made from hand-built rows. */
import { describe, expect, it } from 'vitest';
import { QUICK_CHECK_LOG_LINES } from '../../../src/config/thresholds.js';
import { quickCheck } from '../../../src/analyses/quick-check.js';
import { printCheck } from '../../../src/cli/commands/quick-check.js';
import { at, heartbeatsEvery, log, task, worker } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const tasks = [
  task({ id: '7a5c0001-0000-4000-8000-000000000001', worker: W, created: '12:10:00', started: '12:10:05', processed: '12:14:35' }),
  task({ id: '7a5c0002-0000-4000-8000-000000000002', worker: W, status: 'In Progress', created: '12:59:00', started: '12:59:10' }),
];
const logs = [
  ...heartbeatsEvery('12:57:00', '12:59:30', 30),
  log('13:00:00', `🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit ${'(loading the 20B model into VRAM) '.repeat(4)}`),
  log('13:09:00', `Marking worker ${W} as error: heartbeat stale`, { source: 'orchestrator_gpu', level: 'ERROR' }),
];

describe('printCheck', () => {
  it('status, the newest lines (messages cut narrower than `logs` does) and the tasks', async () => {
    const text = printCheck({ as_of: AS_OF, ...quickCheck(W, worker({ id: W, heartbeat: '13:03:00' }), tasks, logs, AS_OF) });
    await expect(text.join('\n')).toMatchFileSnapshot('./output/check-dead.txt');
    expect(text.join('\n')).toContain(`\nLast ${QUICK_CHECK_LOG_LINES} of ${logs.length} log lines\n`);
    expect(text).toContain("  Worker's own last line: 2025-10-17T13:00:00.000Z (silent 60.0 min)");
  });

  it('a deleted worker (no row) that only the orchestrator wrote about', async () => {
    const text = printCheck({ as_of: AS_OF, ...quickCheck(W, null, [], logs.slice(-1), AS_OF) });
    await expect(text.join('\n')).toMatchFileSnapshot('./output/check-deleted.txt');
    expect(text).toContain(`  No worker row for ${W} (deleted?)`);
    expect(text).toContain('  The worker never wrote a line of its own.');
  });
});

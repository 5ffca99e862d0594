/** `logs` (§2): its printer over fixed results made from hand-built log lines. */
import { describe, expect, it } from 'vitest';
import { workerLogs } from '../../../src/analyses/worker-logs.js';
import { printLogs } from '../../../src/cli/commands/worker-logs.js';
import type { LogFilter } from '../../../src/analyses/worker-logs.js';
import type { SystemLog } from '../../../src/rows/schemas.js';
import { at, heartbeatLine, log } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const SECRET = 'hunter2-not-for-logs';
const logsOf = (lines: SystemLog[], filter: LogFilter = {}) => ({ as_of: AS_OF, ...workerLogs(W, lines, AS_OF, filter) });

const lines = [
  log('13:00:00', 'Worker starting', { id: 'l1', level: 'DEBUG' }),
  heartbeatLine('13:00:30', { id: 'l2' }),
  log('13:01:00', `Connecting to postgres://forensics:${SECRET}@db.internal:5432/prod`, { id: 'l3' }),
  log('13:02:00', 'Claimed task for travel_segment', { id: 'l4', task: '7a5c0001-0000-4000-8000-000000000001' }),
  log('13:03:00', `CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity; 21.80 GiB already allocated; ${'x'.repeat(200)})`, { id: 'l5', level: 'ERROR' }),
  log('13:09:00', `Marking worker ${W} as error: heartbeat stale`, { id: 'l6', source: 'orchestrator_gpu', level: 'ERROR' }),
  log('13:10:00', `Reassigning the task of ${W}`, { id: 'l7', source: 'orchestrator_gpu', level: 'WARNING' }),
];

describe('printLogs', () => {
  it('every line, long messages cut, a password redacted; the worker’s own last line and the orchestrator lines since', async () => {
    const text = printLogs(logsOf(lines));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/logs-all.txt');
    expect(text.join('\n')).not.toContain(SECRET);
    expect(text[0]).toBe(`Logs of ${W}: 7 matching line(s) of 7, showing 7`);
    expect(text.at(-1)).toBe('   Silence since: 57.0 min (2 orchestrator line(s) about it since)');
  });

  it('a filter: how many matched of how many, and how many are shown', async () => {
    const text = printLogs(logsOf(lines, { level: 'WARNING', limit: 2 }));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/logs-filtered.txt');
    expect(text[0]).toBe(`Logs of ${W}: 3 matching line(s) of 7, showing 2`);
  });

  it('a worker that never wrote a line: only the orchestrator’s', async () => {
    const text = printLogs(logsOf(lines.filter((l) => l.source_type !== 'worker')));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/logs-orchestrator-only.txt');
    expect(text.at(-1)).toBe('🔴 The worker never wrote a line of its own.');
  });

  it('no line at all: an empty table', async () => {
    const text = printLogs(logsOf([]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/logs-none.txt');
    expect(text).toContain('  (none)');
  });
});

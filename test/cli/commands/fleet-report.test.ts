/** `report` (§13): its printer over fixed results made from hand-built rows. */
import { describe, expect, it } from 'vitest';
import { fleetReport } from '../../../src/analyses/fleet-report.js';
import { printReport } from '../../../src/cli/commands/fleet-report.js';
import type { Task, Worker } from '../../../src/rows/schemas.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { at, log, task, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
/** As the check builds it: the window's hours as asked for. */
const reportOf = (workers: Worker[], tasks: Task[], hours = 6) => ({ as_of: AS_OF, ...fleetReport(workers, tasks, hoursWindow(AS_OF, hours), AS_OF), window_hours: hours });

describe('printReport', () => {
  it('every worker state and task status, the rates and the average lifetime', async () => {
    const workers = [
      worker({ id: 'gpu-20251017_120000-00000001', created: '12:00:00', heartbeat: '13:59:50' }),
      worker({ id: 'gpu-20251017_120000-00000002', created: '12:00:00', heartbeat: '13:58:00' }),
      worker({ id: 'gpu-20251017_120000-00000003', created: '12:00:00', heartbeat: '13:00:00' }),
      worker({ id: 'gpu-20251017_135500-00000004', created: '13:55:00', heartbeat: null }),
      worker({ id: 'gpu-20251017_090000-00000005', created: '09:00:00', status: 'terminated', heartbeat: '11:00:00' }),
      worker({ id: 'gpu-20251017_100000-00000006', created: '10:00:00', status: 'error', heartbeat: '10:30:00' }),
    ];
    const tasks = [
      task({ created: '12:10:00', processed: '12:12:00' }),
      task({ created: '12:20:00', processed: '12:22:00' }),
      task({ created: '12:30:00', status: 'Failed', error: 'boom' }),
      task({ created: '13:00:00', status: 'In Progress' }),
      task({ created: '13:10:00', status: 'Queued', started: null }),
      task({ created: '13:20:00', status: 'Cancelled' }),
    ];
    const text = printReport(reportOf(workers, tasks));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/report-mixed.txt');
    expect(text).toContain('📈 SUCCESS RATE: 33.3 %   failure rate: 16.7 %');
  });

  it('error templates (issue 11): the failed tasks and ERROR lines of the window as templates, not raw messages', async () => {
    const tasks = [
      task({ created: '12:30:00', status: 'Failed', error: 'CUDA out of memory. Tried to allocate 2.50 GiB' }),
      task({ created: '12:40:00', status: 'Failed', error: 'CUDA out of memory. Tried to allocate 3.10 GiB' }),
      task({ created: '07:00:00', status: 'Failed', error: 'Generation timed out after 1200s' }), // before the window
    ];
    const lines = [
      log('13:00:00', 'Marking worker gpu-20251017_120000-00000001 as error: heartbeat stale for 615s', { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('13:01:00', 'Marking worker gpu-20251017_120000-00000002 as error: heartbeat stale for 620s', { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('13:02:00', 'Generation timed out after 900s', { level: 'WARNING' }), // not an error line
    ];
    const report = { as_of: AS_OF, ...fleetReport([], tasks, hoursWindow(AS_OF, 6), AS_OF, [], lines), window_hours: 6 };
    expect(report.error_templates.map((t) => [t.template, t.count, t.kind])).toEqual([
      ['Marking worker <worker> as error: heartbeat stale for <duration>', 2, 'other'],
      ['CUDA out of memory. Tried to allocate <size>', 2, 'oom'],
    ]);
    const text = printReport(report);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/report-error-templates.txt');
    expect(text.join('\n')).not.toContain('2.50 GiB');
    const section = text.indexOf('🧾 ERROR TEMPLATES: 2');
    expect(section).toBeGreaterThan(0);
    expect(text[section + 3]).toMatch(/^\s+2\s+other\s+1\s+2025-10-17T13:01:00\.000Z\s+Marking worker <worker> as error/);
    expect(printReport(reportOf([], [], 2))).toEqual(expect.arrayContaining(['🧾 ERROR TEMPLATES: 0']));
  });

  it('an empty window: no rate, no lifetime (dashes, not 0 %)', async () => {
    const text = printReport(reportOf([], [], 2));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/report-empty.txt');
    expect(text.slice(-4, -2)).toEqual(['📈 SUCCESS RATE: –   failure rate: –', '⏱️  AVERAGE WORKER LIFETIME: –']);
    expect(text.at(-1)).toBe('✅ STALLED WORKERS: none (no live worker silent while holding a task)');
  });
});

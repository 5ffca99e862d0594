import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { positiveNumberOption, type Command } from '../command.js';
import { duration, heading, keyValues, percent } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

export const reportCommand: Command = {
  name: 'report',
  section: '§13',
  summary: 'Fleet report: worker states, task outcomes, success rate and average lifetime over a window',
  args: '',
  positionals: { min: 0, max: 0 },
  options: { hours: { type: 'string', value: 'N', description: `workers and tasks created in the last N hours (default ${DEFAULT_WINDOW_HOURS.report})` } },
  details: ['Success counts Complete (the real enum; Completed is read as the same state).'],
  async run({ read }, args) {
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.report);
    const result = await checks.report(read, hours);
    const report = result;
    const w = report.workers;
    const t = report.tasks;
    return {
      result,
      text: [
        heading(`WORKER SYSTEM REPORT – last ${hours} hours (${instantText(report.from)} – ${instantText(report.to)})`),
        '📊 WORKER COUNTS',
        ...keyValues([
          ['Total created', w.total],
          ['✅ Alive', w.alive],
          ['⚠️  Aging', w.aging],
          ['❌ Stale', w.stale],
          ['❓ Never beat', w.never],
          ['🔴 Terminated', w.terminated],
          ['💥 Error', w.error],
        ]),
        '',
        '📋 TASK COUNTS',
        ...keyValues([
          ['Total', t.total],
          ['📥 Queued', t.queued],
          ['⏳ In Progress', t.in_progress],
          ['✅ Complete', t.complete],
          ['❌ Failed', t.failed],
          ['🚫 Cancelled', t.cancelled],
        ]),
        '',
        `📈 SUCCESS RATE: ${percent(report.success_rate)}   failure rate: ${percent(report.failure_rate)}`,
        `⏱️  AVERAGE WORKER LIFETIME: ${duration(report.avg_lifetime_s)}`,
      ],
    };
  },
};

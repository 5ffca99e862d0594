import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { fleetReport } from '../../analyses/fleet-report.js';
import { iso } from '../../analyses/format.js';
import { hoursWindow } from '../../load.js';
import { positiveNumberOption, type Command } from '../command.js';
import { duration, heading, keyValues, percent } from '../text.js';

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
    const window = hoursWindow(read.asOf, hours);
    const [workers, tasks] = await Promise.all([
      read.source.workers({ createdFrom: window.from, createdTo: window.to }, read.read),
      read.source.tasks({ createdFrom: window.from, createdTo: window.to }, read.read),
    ]);
    read.problems.add(workers.problems);
    read.problems.add(tasks.problems);
    const report = fleetReport(workers.rows, tasks.rows, window, read.asOf);
    const result = { as_of: iso(read.asOf), ...report };
    const w = report.workers;
    const t = report.tasks;
    return {
      result,
      text: [
        heading(`WORKER SYSTEM REPORT – last ${hours} hours (${report.from} – ${report.to})`),
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

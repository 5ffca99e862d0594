/** §13: the fleet report over a window. */
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { patternWithConfidence } from '../../present/crash-patterns.js';
import { formatDuration, instantText, percentText, shortId } from '../../present/format.js';
import { FLEET_STATE_ICONS, VERDICT_ICONS } from '../../present/icons.js';
import { heading, keyValues, table } from '../../present/terminal.js';
import { positiveNumberOption, type Command } from '../command.js';

// Issue 11 (`errors`): the window's failures as templates.
import { errorTemplateLines } from '../../present/error-templates.js';

export const reportCommand: Command = {
  name: 'report',
  section: '§13',
  summary: 'Fleet report: worker states, task outcomes, success rate and average lifetime over a window',
  args: '',
  positionals: { min: 0, max: 0 },
  options: { hours: { type: 'string', value: 'N', description: `workers and tasks created in the last N hours (default ${DEFAULT_WINDOW_HOURS.report})` } },
  details: ['Success counts Complete (the real enum; Completed is read as the same state).'],
  async run({ read }, args) {
    const result = await checks.report(read, positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.report));
    return { result, text: printReport(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type ReportResult = Awaited<ReturnType<typeof checks.report>>;

/** The guide's report: worker counts by state, task counts by status, rates and average lifetime. */
export function printReport(result: ReportResult): string[] {
  const w = result.workers;
  const t = result.tasks;
  return [
    heading(`WORKER SYSTEM REPORT – last ${result.window_hours} hours (${instantText(result.from)} – ${instantText(result.to)})`),
    '📊 WORKER COUNTS',
    ...keyValues([
      ['Total created', w.total],
      [`${FLEET_STATE_ICONS.alive} Alive`, w.alive],
      [`${FLEET_STATE_ICONS.aging}  Aging`, w.aging],
      [`${FLEET_STATE_ICONS.stale} Stale`, w.stale],
      [`${FLEET_STATE_ICONS.never} Never beat`, w.never],
      [`${FLEET_STATE_ICONS.terminated} Terminated`, w.terminated],
      [`${FLEET_STATE_ICONS.error} Error`, w.error],
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
    // --- ERROR TEMPLATES (issue 11): the window's failed tasks and ERROR/CRITICAL lines as templates, not raw messages ---
    '',
    ...errorTemplateLines(result.error_templates),
    // --- end ERROR TEMPLATES ---
    '',
    `📈 SUCCESS RATE: ${percentText(result.success_rate)}   failure rate: ${percentText(result.failure_rate)}`,
    `⏱️  AVERAGE WORKER LIFETIME: ${formatDuration(result.avg_lifetime_s)}`,
    '',
    ...printStalledWorkers(result.stalled_workers),
  ];
}

/** Live workers whose main loop stopped while holding tasks: counted alive above, yet their tasks are lost work. */
function printStalledWorkers(stalled: ReportResult['stalled_workers']): string[] {
  if (stalled.length === 0) return [`${VERDICT_ICONS.ok} STALLED WORKERS: none (no live worker silent while holding a task)`];
  return [
    `${VERDICT_ICONS.bad} STALLED WORKERS: ${stalled.length} (heartbeat alive, main loop silent, tasks held)`,
    ...table(stalled, [
      { header: 'worker', value: (s) => s.worker_id },
      { header: 'pattern', value: (s) => patternWithConfidence(s) },
      { header: 'silent for', value: (s) => formatDuration(s.silence_s), align: 'right' },
      { header: 'tasks', value: (s) => s.task_ids.map(shortId).join(', ') },
    ]),
  ];
}

/** §6: the quick check of one worker: its status, newest log lines and tasks together. */
import { QUICK_CHECK_LOG_LINES } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { formatDuration, instantText } from '../../present/format.js';
import { statusFields } from '../../present/fields.js';
import { heading, keyValues } from '../../present/terminal.js';
import type { Command } from '../command.js';
import { logTable } from './worker-logs.js';
import { taskTable } from './worker-tasks.js';

export const checkCommand: Command = {
  name: 'check',
  section: '§6',
  summary: `Quick check: status, the last ${QUICK_CHECK_LOG_LINES} log lines and the tasks of a worker`,
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.quick(read, positionals[0]!);
    return { result, text: printCheck(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type CheckResult = Awaited<ReturnType<typeof checks.quick>>;

/** Three blocks, each as its own command prints it: `status`, the newest lines of `logs`, `tasks`. */
export function printCheck(result: CheckResult): string[] {
  return [
    heading('Worker status'),
    ...(result.status ? keyValues(statusFields(result.status)) : [`  No worker row for ${result.worker_id} (deleted?)`]),
    heading(`Last ${result.logs.length} of ${result.total_logs} log lines`),
    ...logTable(result.logs, 80),
    result.last_worker_log
      ? `  Worker's own last line: ${instantText(result.last_worker_log.timestamp)} (silent ${formatDuration(result.silence_s)})`
      : '  The worker never wrote a line of its own.',
    heading(`Tasks (${result.tasks.length})`),
    ...taskTable(result.tasks),
  ];
}

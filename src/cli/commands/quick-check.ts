import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { duration, heading } from '../../present/terminal.js';
import { logTable } from './worker-logs.js';
import { printStatus } from './worker-status.js';
import { taskTable } from './worker-tasks.js';
import { instantText } from '../../present/format.js';

export const checkCommand: Command = {
  name: 'check',
  section: '§6',
  summary: 'Quick check: status, the last 5 log lines and the tasks of a worker',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.quick(read, positionals[0]!);
    return {
      result,
      text: [
        heading('Worker status'),
        ...(result.status ? printStatus(result.status) : [`  No worker row for ${result.worker_id} (deleted?)`]),
        heading(`Last ${result.logs.length} of ${result.total_logs} log lines`),
        ...logTable(result.logs, 80),
        result.last_worker_log ? `  Worker's own last line: ${instantText(result.last_worker_log.timestamp)} (silent ${duration(result.silence_s)})` : "  The worker never wrote a line of its own.",
        heading(`Tasks (${result.tasks.length})`),
        ...taskTable(result.tasks),
      ],
    };
  },
};

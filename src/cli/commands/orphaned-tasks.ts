import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';

export const orphansCommand: Command = {
  name: 'orphans',
  section: '§11',
  summary: 'In Progress tasks whose worker is missing, has a stale heartbeat, or was never set',
  args: '',
  positionals: { min: 0, max: 0 },
  async run({ read }) {
    const result = await checks.orphans(read);
    return {
      result,
      text: [
        `ORPHANED TASKS: ${result.tasks.length} of ${result.in_progress} In Progress (${Object.entries(result.by_reason).map(([r, n]) => `${n} ${r}`).join(', ')})`,
        ...table(result.tasks, [
          { header: 'task_type', value: (t) => t.task_type },
          { header: 'id', value: (t) => t.id.slice(0, 8) },
          { header: 'worker', value: (t) => t.worker_id ?? '(none)' },
          { header: 'reason', value: (t) => t.reason + (t.heartbeat_age_s !== null ? ` (${duration(t.heartbeat_age_s)})` : '') },
          { header: 'running', value: (t) => duration(t.runtime_s), align: 'right' },
        ]),
      ],
    };
  },
};

import type { TaskLine } from '../../analyses/worker-tasks.js';
import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

export const tasksCommand: Command = {
  name: 'tasks',
  section: '§3',
  summary: 'Tasks assigned to a worker, oldest first',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.tasks(read, positionals[0]!);
    return {
      result,
      text: [
        `Tasks of ${result.worker_id}: ${result.total} (${Object.entries(result.by_status).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'})`,
        ...taskTable(result.tasks),
      ],
    };
  },
};

export function taskTable(tasks: readonly TaskLine[]): string[] {
  return table(tasks, [
    { header: 'task_type', value: (t) => t.task_type },
    { header: 'id', value: (t) => t.id },
    { header: 'status', value: (t) => t.status },
    { header: 'created', value: (t) => instantText(t.created_at) },
    { header: 'started', value: (t) => instantText(t.generation_started_at) },
    { header: 'took', value: (t) => (t.generation_s === null ? null : duration(t.generation_s)), align: 'right' },
    { header: 'error', value: (t) => t.error_message, max: 50 },
  ]);
}

/** §3: the tasks assigned to a worker, oldest first. */
import type { TaskLine } from '../../analyses/worker-tasks.js';
import * as checks from '../../checks/index.js';
import { countsText, formatDuration, instantText } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const tasksCommand: Command = {
  name: 'tasks',
  section: '§3',
  summary: 'Tasks assigned to a worker, oldest first',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.tasks(read, positionals[0]!);
    return { result, text: printTasks(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type TasksResult = Awaited<ReturnType<typeof checks.tasks>>;

/** The count by status (non-zero ones), then the tasks. */
export function printTasks(result: TasksResult): string[] {
  return [`Tasks of ${result.worker_id}: ${result.total} (${countsText(result.by_status)})`, ...taskTable(result.tasks)];
}

/** Tasks as a table, the error cut to a column (`check` shows the same table). */
export function taskTable(tasks: readonly TaskLine[]): string[] {
  return table(tasks, [
    { header: 'task_type', value: (t) => t.task_type },
    { header: 'id', value: (t) => t.id },
    { header: 'status', value: (t) => t.status },
    { header: 'created', value: (t) => instantText(t.created_at) },
    { header: 'started', value: (t) => instantText(t.generation_started_at) },
    { header: 'took', value: (t) => (t.generation_s === null ? null : formatDuration(t.generation_s)), align: 'right' },
    { header: 'error', value: (t) => t.error_message, max: 50 },
  ]);
}

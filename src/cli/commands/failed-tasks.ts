/** §10: the newest failed tasks with their error messages, and how they spread over workers. */
import { DEFAULT_FAILED_TASK_LIMIT } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { instantText, shortId } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import { positiveIntegerOption, stringOption, type Command } from '../command.js';

export const failedTasksCommand: Command = {
  name: 'failed-tasks',
  section: '§10',
  summary: 'The newest failed tasks with their error messages, grouped by worker',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    worker: { type: 'string', value: 'ID', description: "only this worker's failed tasks (all of them)" },
    limit: { type: 'string', value: 'N', description: `newest N (default ${DEFAULT_FAILED_TASK_LIMIT} fleet-wide; all for --worker)` },
  },
  async run({ read }, args) {
    const workerId = stringOption(args, 'worker');
    const limit = positiveIntegerOption(args, 'limit');
    const result = await checks.failed(read, { ...(workerId !== undefined ? { workerId } : {}), ...(limit !== undefined ? { limit } : {}) });
    return { result, text: printFailedTasks(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type FailedTasksResult = Awaited<ReturnType<typeof checks.failed>>;

/** The tasks, newest first, with their errors cut to a column; then the count per worker. */
export function printFailedTasks(result: FailedTasksResult): string[] {
  const worker = result.worker_id;
  return [
    `FAILED TASKS${worker ? ` OF ${worker}` : ''}: ${result.tasks.length}${result.limit ? ` (newest ${result.limit} at most)` : ''}`,
    ...table(result.tasks, [
      { header: 'created', value: (t) => instantText(t.created_at) },
      { header: 'worker', value: (t) => t.worker_id },
      { header: 'task_type', value: (t) => t.task_type },
      { header: 'id', value: (t) => shortId(t.id) },
      { header: 'tries', value: (t) => t.attempts, align: 'right' },
      { header: 'error', value: (t) => t.error_message ?? 'No error', max: 60 },
    ]),
    '',
    'By error template:',
    ...table(result.by_template, [
      { header: 'failed', value: (t) => t.count, align: 'right' },
      { header: 'kind', value: (t) => t.kind },
      { header: 'template', value: (t) => t.template, max: 90 },
    ]),
    '',
    'By worker:',
    ...table(result.by_worker, [
      { header: 'worker', value: (w) => w.worker_id ?? '(none)' },
      { header: 'failed', value: (w) => w.failed, align: 'right' },
      { header: 'task types', value: (w) => w.task_types.join(', ') },
    ]),
  ];
}

/** Issue 11 `errors`: failed tasks' messages and ERROR/CRITICAL lines grouped into templates, largest first. */
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { instantText } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import { positiveNumberOption, type Command } from '../command.js';

export const errorsCommand: Command = {
  name: 'errors',
  section: '–',
  summary: "Failed tasks' messages and ERROR/CRITICAL lines of the last N hours as templates (figures, ids masked), with a kind each",
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    hours: { type: 'string', value: 'N', description: `tasks failed and lines written in the last N hours (default ${DEFAULT_WINDOW_HOURS.errors})` },
  },
  details: ['Kinds: oom, timeout, upload, validation, device, model_load, other. A line reporting a failed task counts with the task, once.'],
  async run({ read }, args) {
    const result = await checks.errors(read, { hours: positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.errors) });
    return { result, text: printErrors(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type ErrorsResult = Awaited<ReturnType<typeof checks.errors>>;

/** The templates, largest first: kind, count, spread over workers and tasks, first and last seen. */
export function printErrors(result: ErrorsResult): string[] {
  return [
    `ERROR TEMPLATES – last ${result.window_hours} hours (${instantText(result.from)} – ${instantText(result.to)}): ` +
      `${result.templates.length} template(s) over ${result.occurrences} occurrence(s) ` +
      `(${result.failed_tasks} failed task(s), ${result.error_lines} ERROR/CRITICAL line(s))`,
    ...table(result.templates, [
      { header: 'count', value: (t) => t.count, align: 'right' },
      { header: 'kind', value: (t) => t.kind },
      { header: 'workers', value: (t) => t.workers.length, align: 'right' },
      { header: 'tasks', value: (t) => t.tasks.length, align: 'right' },
      { header: 'first', value: (t) => instantText(t.first_at) },
      { header: 'last', value: (t) => instantText(t.last_at) },
      { header: 'template', value: (t) => t.template, max: 90 },
    ]),
  ];
}

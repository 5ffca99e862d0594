/** The words of `errors` (issue 11): error templates as a table and a one-line summary. */
import { maskMessage, type ErrorTemplate, type ErrorTemplates } from '../analyses/error-templates.js';
import type { FailedTask } from '../analyses/failed-tasks.js';
import { instantText } from './format.js';
import { verdictLine } from './views.js';
import { table } from './terminal.js';

/** A template as a table row: the lists of workers and tasks as their counts (JSON keeps the ids). */
export function templateRow(t: ErrorTemplate) {
  return {
    count: t.count,
    kind: t.kind,
    template: t.template,
    workers: t.workers.length,
    tasks: t.tasks.length,
    first_at: t.first_at,
    last_at: t.last_at,
    sample: t.sample,
  };
}

export function templateRows(templates: readonly ErrorTemplate[]) {
  return templates.map(templateRow);
}

/** How many templates over how many occurrences, from how many failed tasks and lines. */
export function errorTemplatesSummaryHtml(result: ErrorTemplates & { from?: number; to?: number }): string {
  const window = result.from !== undefined && result.to !== undefined ? ` (${instantText(result.from)} – ${instantText(result.to)})` : '';
  return verdictLine(
    result.occurrences === 0 ? 'ok' : 'warn',
    result.occurrences === 0
      ? `No failed task and no ERROR/CRITICAL line${window}.`
      : `${result.templates.length} error template(s) over ${result.occurrences} occurrence(s): ${result.failed_tasks} failed task(s), ${result.error_lines} ERROR/CRITICAL line(s)${window}.`,
  );
}

/** §10's failed tasks as table rows with their message's template in place of the raw message (the JSON keeps it). */
export function failedTaskTemplateRows(tasks: readonly FailedTask[]) {
  return tasks.map(({ error_message, ...rest }) => ({ ...rest, template: error_message === null ? null : maskMessage(error_message) }));
}

/** Templates as terminal lines: a heading with their number, then count, kind, spread, last seen and the template. */
export function errorTemplateLines(templates: readonly ErrorTemplate[]): string[] {
  return [
    `🧾 ERROR TEMPLATES: ${templates.length}`,
    ...table(templates, [
      { header: 'count', value: (t) => t.count, align: 'right' },
      { header: 'kind', value: (t) => t.kind },
      { header: 'workers', value: (t) => t.workers.length, align: 'right' },
      { header: 'last', value: (t) => instantText(t.last_at) },
      { header: 'template', value: (t) => t.template, max: 90 },
    ]),
  ];
}

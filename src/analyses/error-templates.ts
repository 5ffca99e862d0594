/**
 * Issue 11, `errors`: failed tasks' `error_message` and ERROR/CRITICAL lines grouped into message
 * templates, largest first. A template is the message with its varying values masked (the named
 * masks of config/error-templates.ts: URLs, paths, UUIDs, worker ids, quoted values, hex, sizes,
 * durations, numbers); its kind comes from the keyword table there.
 *
 * One failure is counted once: a line that reports a failed task (it names the task in `task_id`
 * and carries the task's `error_message` whole) joins that task's occurrence rather than adding
 * one; a line that carries a failed task's template inside a longer wording (`❌ Task <uuid> failed
 * (attempt <n>/<n>): <the task's template>`) is counted in that template. No wording is assumed:
 * only containment is read.
 */
import { ERROR_KIND_KEYWORDS, ERROR_MASKS, MIN_EMBEDDED_TEMPLATE_CHARS, type ErrorKind } from '../config/error-templates.js';
import { ERROR_LEVELS } from '../config/markers.js';
import { redact } from '../redact.js';
import type { SystemLog, Task } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import { compareIds, compareLogs } from '../rows/order.js';

export interface ErrorTemplate {
  template: string;
  kind: ErrorKind;
  /** Occurrences: failed tasks, and lines that are not the report of one of them. */
  count: number;
  /** Of the count, how many are failed tasks and how many lines. */
  from_tasks: number;
  from_lines: number;
  /** Distinct worker ids (sorted). */
  workers: string[];
  /** Distinct task ids (sorted): the failed tasks, and the tasks the lines name. */
  tasks: string[];
  first_at: Instant;
  last_at: Instant;
  /** The message of the latest occurrence, unmasked. */
  sample: string;
}

export interface ErrorTemplates {
  /** Failed tasks and ERROR/CRITICAL lines read. */
  failed_tasks: number;
  error_lines: number;
  /** Occurrences over all templates. */
  occurrences: number;
  templates: ErrorTemplate[];
}

/**
 * The message with every mask applied, `ids` (the rows' own worker ids) masked as workers first;
 * whitespace collapsed. Secrets are redacted before any mask runs: a mask could cut a key in two,
 * and its halves would no longer look like a secret to the output's redaction.
 */
export function maskMessage(message: string, workerIds: readonly string[] = []): string {
  let text = redact(message);
  for (const id of workerIds) if (id.length >= 4) text = text.split(id).join('<worker>');
  for (const mask of ERROR_MASKS) text = text.replace(mask.pattern, `<${mask.name}>`);
  return text.replace(/\s+/g, ' ').trim();
}

/** The first kind of the keyword table whose expression matches the template, else `other`. */
export function errorKind(template: string): ErrorKind {
  return ERROR_KIND_KEYWORDS.find((k) => k.pattern.test(template))?.kind ?? 'other';
}

interface Occurrence {
  template: string;
  at: Instant;
  worker_id: string | null;
  task_id: string | null;
  message: string;
  fromTask: boolean;
  /** Tie-break for the sample: a stable id. */
  id: string;
}

/** When a failed task's failure happened: its last change, else its creation. */
function failedAt(task: Task): Instant {
  return task.updated_at ?? task.created_at;
}

/**
 * `failedTasks`: tasks (only `Failed` ones with a message count); `lines`: log lines (only
 * ERROR/CRITICAL ones count). Callers choose the window.
 */
export function errorTemplates(failedTasks: readonly Task[], lines: readonly SystemLog[]): ErrorTemplates {
  const tasks = failedTasks.filter((t) => t.status === 'Failed' && t.error_message !== null && t.error_message.trim() !== '');
  const errorLines = lines.filter((l) => ERROR_LEVELS.has(l.log_level)).sort(compareLogs);
  const workerIds = [
    ...new Set([...tasks.map((t) => t.worker_id), ...errorLines.map((l) => l.worker_id)].filter((id): id is string => id !== null)),
  ].sort((a, b) => b.length - a.length || compareIds(a, b));

  const occurrences: Occurrence[] = tasks.map((t) => ({
    template: maskMessage(t.error_message!, workerIds),
    at: failedAt(t),
    worker_id: t.worker_id,
    task_id: t.id,
    message: t.error_message!,
    fromTask: true,
    id: t.id,
  }));

  // Task templates long enough to be looked for inside a line's, longest first (the most specific wins).
  const taskTemplates = [...new Set(occurrences.map((o) => o.template))]
    .filter((t) => t.length >= MIN_EMBEDDED_TEMPLATE_CHARS)
    .sort((a, b) => b.length - a.length || compareIds(a, b));
  const failedById = new Map(tasks.map((t) => [t.id, t]));
  // For each failed task, its latest line carrying its message whole is its report: not counted again.
  const reports = new Set<string>();
  const reported = new Set<string>();
  for (let i = errorLines.length - 1; i >= 0; i--) {
    const line = errorLines[i]!;
    const task = line.task_id === null ? undefined : failedById.get(line.task_id);
    if (!task || reported.has(task.id) || !line.message.includes(task.error_message!)) continue;
    reported.add(task.id);
    reports.add(line.id);
  }
  for (const line of errorLines) {
    if (reports.has(line.id)) continue;
    const own = maskMessage(line.message, workerIds);
    const template = taskTemplates.find((t) => own.includes(t)) ?? own;
    occurrences.push({ template, at: line.timestamp, worker_id: line.worker_id, task_id: line.task_id, message: line.message, fromTask: false, id: line.id });
  }

  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    const group = groups.get(o.template);
    if (group) group.push(o);
    else groups.set(o.template, [o]);
  }
  const templates: ErrorTemplate[] = [...groups.entries()].map(([template, group]) => {
    let first = group[0]!;
    let latest = group[0]!;
    for (const o of group) {
      if (o.at < first.at) first = o;
      if (o.at > latest.at || (o.at === latest.at && compareIds(o.id, latest.id) > 0)) latest = o;
    }
    const fromTasks = group.filter((o) => o.fromTask).length;
    return {
      template,
      kind: errorKind(template),
      count: group.length,
      from_tasks: fromTasks,
      from_lines: group.length - fromTasks,
      workers: sortedDistinct(group.map((o) => o.worker_id)),
      tasks: sortedDistinct(group.map((o) => o.task_id)),
      first_at: first.at,
      last_at: latest.at,
      sample: latest.message,
    };
  });
  templates.sort((a, b) => b.count - a.count || b.last_at - a.last_at || compareIds(a.template, b.template));
  return { failed_tasks: tasks.length, error_lines: errorLines.length, occurrences: occurrences.length, templates };
}

function sortedDistinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort(compareIds);
}

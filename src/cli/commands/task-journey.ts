/** Issue 11: one task's journey across workers, and which death interrupted it. */
import * as checks from '../../checks/index.js';
import { formatDuration, instantText, shortId } from '../../present/format.js';
import { interruptionText, JOURNEY_EVENT_WORDS, journeySummary } from '../../present/journeys.js';
import { table } from '../../present/terminal.js';
import { secondsBetween } from '../../rows/time.js';
import type { Command } from '../command.js';

export const taskCommand: Command = {
  name: 'task',
  section: 'tasks',
  summary: "A task's journey: created, claims by which worker and attempt, its lines, requeues and resets, its end, and the deaths that interrupted it",
  args: '<task-id>',
  positionals: { min: 1, max: 1 },
  details: [
    'Queue time is creation → first claim; processing time is last claim → finish (Complete or Failed).',
    "Requeues and resets are read from the orchestrator's traces in error_message and from lines carrying the task's id.",
  ],
  async run({ read }, { positionals }) {
    const result = await checks.taskJourneyCheck(read, positionals[0]!);
    return { result, text: printTaskJourney(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type TaskJourneyResult = Awaited<ReturnType<typeof checks.taskJourneyCheck>>;

/** The summary, the workers, every event, and the deaths that interrupted the task. */
export function printTaskJourney(result: TaskJourneyResult): string[] {
  const out = [`Task ${result.id} (${result.task_type})`, `  ${journeySummary(result)}`];
  if (result.trace) out.push(`  Orchestrator trace: ${result.trace.text}`);
  out.push(
    '',
    `Workers (${result.workers.length}):`,
    ...table(result.workers, [
      { header: 'worker', value: (w) => w.worker_id },
      { header: 'attempts', value: (w) => w.attempts.join(', ') },
      { header: 'lines', value: (w) => w.lines, align: 'right' },
      { header: 'status', value: (w) => w.status ?? 'no row' },
      { header: 'pattern', value: (w) => w.pattern },
      { header: 'died at', value: (w) => (w.died_at === null ? null : instantText(w.died_at)) },
    ]),
    '',
    `Events (${result.events.length}):`,
    ...table(result.events, [
      { header: 'at', value: (e) => (e.at === null ? '(undated)' : instantText(e.at)) },
      { header: 'after', value: (e) => (e.at === null ? null : formatDuration(secondsBetween(result.created_at, e.at))), align: 'right' },
      { header: 'event', value: (e) => JOURNEY_EVENT_WORDS[e.kind] },
      { header: 'try', value: (e) => e.attempt, align: 'right' },
      { header: 'worker', value: (e) => (e.worker_id === null ? null : shortWorker(e.worker_id)) },
      { header: 'source', value: (e) => e.source },
      { header: 'detail', value: (e) => e.detail, max: 80 },
    ]),
    '',
  );
  if (result.interrupted_by.length === 0) out.push('Interrupted by: no death of a worker while it held the task.');
  else out.push('Interrupted by:', ...result.interrupted_by.map((i) => `  ${interruptionText(i)}`));
  return out;
}

/** A worker id's distinctive end (its hex suffix), for a narrow column. */
function shortWorker(id: string): string {
  return shortId(id.slice(id.lastIndexOf('-') + 1) || id);
}

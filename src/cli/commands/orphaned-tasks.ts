/** §11: In Progress tasks whose worker is gone, stale, or was never set. */
import * as checks from '../../checks/index.js';
import { countsText, formatDuration, shortId } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const orphansCommand: Command = {
  name: 'orphans',
  section: '§11',
  summary: 'In Progress tasks whose worker is missing, has a stale heartbeat, or was never set',
  args: '',
  positionals: { min: 0, max: 0 },
  async run({ read }) {
    const result = await checks.orphans(read);
    return { result, text: printOrphans(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type OrphansResult = Awaited<ReturnType<typeof checks.orphans>>;

/** The count of each reason (zeros too), then one row per orphaned task. */
export function printOrphans(result: OrphansResult): string[] {
  return [
    `ORPHANED TASKS: ${result.tasks.length} of ${result.in_progress} In Progress (${countsText(result.by_reason, { zeros: true })})`,
    ...table(result.tasks, [
      { header: 'task_type', value: (t) => t.task_type },
      { header: 'id', value: (t) => shortId(t.id) },
      { header: 'worker', value: (t) => t.worker_id ?? '(none)' },
      { header: 'reason', value: (t) => t.reason + (t.heartbeat_age_s !== null ? ` (${formatDuration(t.heartbeat_age_s)})` : '') },
      { header: 'running', value: (t) => formatDuration(t.runtime_s), align: 'right' },
    ]),
  ];
}

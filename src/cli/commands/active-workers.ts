/** §7: the active workers and the age of their DB heartbeat, worst first. */
import * as checks from '../../checks/index.js';
import { countsText, formatDuration } from '../../present/format.js';
import { HEARTBEAT_STATE_ICONS } from '../../present/icons.js';
import { table } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const activeCommand: Command = {
  name: 'active',
  section: '§7',
  summary: 'Workers with status active and their heartbeat age, worst first',
  args: '',
  positionals: { min: 0, max: 0 },
  async run({ read }) {
    const result = await checks.active(read);
    return { result, text: printActive(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type ActiveResult = Awaited<ReturnType<typeof checks.active>>;

/** The count of each heartbeat band (zeros too), then one row per worker. */
export function printActive(result: ActiveResult): string[] {
  return [
    `ACTIVE WORKERS: ${result.total} (${countsText(result.by_state, { zeros: true })})`,
    ...table(result.workers, [
      { header: '', value: (w) => HEARTBEAT_STATE_ICONS[w.heartbeat_state] },
      { header: 'worker', value: (w) => w.id },
      { header: 'heartbeat', value: (w) => w.heartbeat_state },
      { header: 'age', value: (w) => (w.heartbeat_age_s === null ? 'never' : formatDuration(w.heartbeat_age_s)), align: 'right' },
    ]),
  ];
}

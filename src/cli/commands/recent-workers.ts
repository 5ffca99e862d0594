/** §8: the workers created in a window, newest first. */
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { UsageError } from '../../errors.js';
import { formatDuration, instantText } from '../../present/format.js';
import { HEARTBEAT_STATE_ICONS } from '../../present/icons.js';
import { table } from '../../present/terminal.js';
import { hoursWindow } from '../../rows/window.js';
import { instantOption, positiveNumberOption, stringOption, type Command } from '../command.js';

export const recentCommand: Command = {
  name: 'recent',
  section: '§8',
  summary: 'Workers created in the last N hours (or between two instants), newest first',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    hours: { type: 'string', value: 'N', description: `look back N hours from as-of (default ${DEFAULT_WINDOW_HOURS.recent})` },
    from: { type: 'string', value: 'ISO', description: 'window start (with --to; instead of --hours)' },
    to: { type: 'string', value: 'ISO', description: 'window end (default: as-of)' },
  },
  async run({ read }, args) {
    const from = instantOption(args, 'from');
    const to = instantOption(args, 'to');
    if (from !== undefined && stringOption(args, 'hours') !== undefined) throw new UsageError('give either --hours or --from/--to, not both');
    if (to !== undefined && from === undefined) throw new UsageError('--to needs --from');
    const window =
      from !== undefined ? { from, to: to ?? read.asOf } : hoursWindow(read.asOf, positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.recent));
    if (window.from > window.to) throw new UsageError('--from is after --to');
    const result = await checks.recent(read, window);
    return { result, text: printRecent(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type RecentResult = Awaited<ReturnType<typeof checks.recent>>;

/** The window and its count, then one row per worker with its heartbeat band, RAM tier and GPU. */
export function printRecent(result: RecentResult): string[] {
  return [
    `WORKERS CREATED ${instantText(result.from)} – ${instantText(result.to)}: ${result.total}`,
    ...table(result.workers, [
      { header: '', value: (w) => HEARTBEAT_STATE_ICONS[w.heartbeat_state] },
      { header: 'worker', value: (w) => w.id },
      { header: 'status', value: (w) => w.status },
      { header: 'age', value: (w) => formatDuration(w.age_s), align: 'right' },
      { header: 'RAM', value: (w) => (w.ram_tier === null ? '?' : `${w.ram_tier} GB`), align: 'right' },
      { header: 'GPU', value: (w) => w.gpu_type },
      { header: 'created', value: (w) => instantText(w.created_at) },
    ]),
  ];
}

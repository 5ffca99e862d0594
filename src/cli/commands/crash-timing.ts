import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { CRASH_TIMING_DIMENSIONS, type CrashTimingDimension } from '../../analyses/crash-timing.js';
import * as checks from '../../checks/index.js';
import { UsageError } from '../../errors.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';
import { duration, percent, table } from '../../present/terminal.js';

export const crashTimingCommand: Command = {
  name: 'crash-timing',
  section: '§15',
  summary: 'Time from MODEL SWITCH to death across failed workers, by GPU, RAM tier, memory profile or model',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    hours: { type: 'string', value: 'N', description: `switches of the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` },
    by: { type: 'string', value: 'DIM', description: `${CRASH_TIMING_DIMENSIONS.join('|')} (default gpu)` },
  },
  async run({ read }, args) {
    const by = (stringOption(args, 'by') ?? 'gpu') as CrashTimingDimension;
    if (!CRASH_TIMING_DIMENSIONS.includes(by)) throw new UsageError(`--by must be one of ${CRASH_TIMING_DIMENSIONS.join(', ')}, got "${by}"`);
    const result = await checks.crashTimingCheck(read, { hours: positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes), by });
    const o = result.overall;
    return {
      result,
      text: [
        `CRASH TIMING (MODEL SWITCH → last DB heartbeat), by ${by}: ${o.crashed} crash(es) of ${o.switched} switching worker(s), median ${duration(o.median_s)}, IQR ${duration(o.q1_s)}–${duration(o.q3_s)}`,
        ...table(result.groups, [
          { header: by, value: (g) => g.key },
          { header: 'switched', value: (g) => g.switched, align: 'right' },
          { header: 'crashed', value: (g) => g.crashed, align: 'right' },
          { header: 'rate', value: (g) => percent(g.crash_rate), align: 'right' },
          { header: 'median', value: (g) => duration(g.median_s), align: 'right' },
          { header: 'q1–q3', value: (g) => (g.q1_s === null ? null : `${duration(g.q1_s)}–${duration(g.q3_s)}`), align: 'right' },
          { header: 'min–max', value: (g) => (g.min_s === null ? null : `${duration(g.min_s)}–${duration(g.max_s)}`), align: 'right' },
        ]),
      ],
    };
  },
};

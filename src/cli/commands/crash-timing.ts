/** Crash timing across failed workers: MODEL SWITCH to death, split by one attribute. */
import { DEFAULT_WINDOW_HOURS, THRESHOLDS } from '../../config/thresholds.js';
import { CRASH_TIMING_DIMENSIONS, type CrashTimingDimension } from '../../analyses/crash-timing.js';
import * as checks from '../../checks/index.js';
import { UsageError } from '../../errors.js';
import { formatDuration, percentText } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';

export const crashTimingCommand: Command = {
  name: 'crash-timing',
  section: '§15',
  summary: 'Time from MODEL SWITCH to death across failed workers, by GPU, RAM tier, memory profile, model or memory ([RAM] use at the switch)',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    hours: { type: 'string', value: 'N', description: `switches of the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` },
    by: { type: 'string', value: 'DIM', description: `${CRASH_TIMING_DIMENSIONS.join('|')} (default gpu); memory groups by the last [RAM] sample before the switch (high: ≥ ${THRESHOLDS.ramHighUsedPct} % used)` },
  },
  async run({ read }, args) {
    const by = (stringOption(args, 'by') ?? 'gpu') as CrashTimingDimension;
    if (!CRASH_TIMING_DIMENSIONS.includes(by)) throw new UsageError(`--by must be one of ${CRASH_TIMING_DIMENSIONS.join(', ')}, got "${by}"`);
    const result = await checks.crashTimingCheck(read, { hours: positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes), by });
    return { result, text: printCrashTiming(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type CrashTimingResult = Awaited<ReturnType<typeof checks.crashTimingCheck>>;

/** The fleet's figures in one line, then one row per group (`–` where a group had no crash). */
export function printCrashTiming(result: CrashTimingResult): string[] {
  const o = result.overall;
  const range = (low: number | null, high: number | null) => (low === null ? null : `${formatDuration(low)}–${formatDuration(high)}`);
  return [
    `CRASH TIMING (MODEL SWITCH → last DB heartbeat), by ${result.by}: ${o.crashed} crash(es) of ${o.switched} switching worker(s), median ${formatDuration(o.median_s)}, IQR ${formatDuration(o.q1_s)}–${formatDuration(o.q3_s)}`,
    ...table(result.groups, [
      { header: result.by, value: (g) => g.key },
      { header: 'switched', value: (g) => g.switched, align: 'right' },
      { header: 'crashed', value: (g) => g.crashed, align: 'right' },
      { header: 'rate', value: (g) => percentText(g.crash_rate), align: 'right' },
      { header: 'median', value: (g) => formatDuration(g.median_s), align: 'right' },
      { header: 'q1–q3', value: (g) => range(g.q1_s, g.q3_s), align: 'right' },
      { header: 'min–max', value: (g) => range(g.min_s, g.max_s), align: 'right' },
    ]),
  ];
}

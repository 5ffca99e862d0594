import type { Instant } from '../rows/time.js';
import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { CRASH_TIMING_DIMENSIONS, crashTiming, type CrashTiming, type CrashTimingDimension } from '../analyses/crash-timing.js';
import { hoursWindow } from '../rows/window.js';
import { loadSwitchTimingCases, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** Crash timings across failed workers, split by one attribute. */
export async function crashTimingCheck(
  read: ReadContext,
  options: { hours?: number; by?: CrashTimingDimension } = {},
): Promise<CrashTiming & { as_of: Instant; window_hours: number }> {
  const hours = options.hours ?? DEFAULT_WINDOW_HOURS.crashes;
  const window = hoursWindow(read.asOf, hours);
  const cases = await loadSwitchTimingCases(read, window);
  return { ...asOfOf(read), window_hours: hours, ...crashTiming(cases, window, read.asOf, read.vocabulary, options.by ?? 'gpu') };
}

/** The crash-timing comparison split every way at once (one read of the fleet). */
export async function crashTimingAllSplits(
  read: ReadContext,
  hours: number = DEFAULT_WINDOW_HOURS.crashes,
): Promise<Record<CrashTimingDimension, CrashTiming & { as_of: Instant; window_hours: number }>> {
  const window = hoursWindow(read.asOf, hours);
  const cases = await loadSwitchTimingCases(read, window);
  const split = (by: CrashTimingDimension) => ({ ...asOfOf(read), window_hours: hours, ...crashTiming(cases, window, read.asOf, read.vocabulary, by) });
  return Object.fromEntries(CRASH_TIMING_DIMENSIONS.map((by) => [by, split(by)])) as Record<CrashTimingDimension, ReturnType<typeof split>>;
}

/**
 * Comparing crash timings across failed workers (§15's last item, §16's crash window): the
 * distribution of time from MODEL SWITCH to death, split by GPU type, RAM tier, memory profile,
 * target model or memory (system RAM used at the switch, for fleets that log `[RAM]` samples), with
 * the crash rate of each group (model-load crashes / workers that switched).
 */
import { gpuType, ramTier } from '../rows/worker-metadata.js';
import type { Instant } from '../rows/time.js';
import { median, quantile } from './stats.js';
import { parseMemoryProfile, parseRam } from './memory-profile.js';
import { readFamilyValues, type Vocabulary } from '../config/vocabulary.js';
import { THRESHOLDS } from '../config/thresholds.js';
import { crashAfterSwitchS, isModelLoadCrash } from './death.js';
import { type SwitchCase } from './cases.js';
import { inWindow, type TimeWindow } from '../rows/window.js';
import { compareIds } from '../rows/order.js';

export const CRASH_TIMING_DIMENSIONS = ['gpu', 'ram_tier', 'memory_profile', 'model', 'memory'] as const;
export type CrashTimingDimension = (typeof CRASH_TIMING_DIMENSIONS)[number];

export const UNKNOWN_GROUP = 'unknown';

export interface TimingStats {
  key: string;
  /** Workers of the group whose last MODEL SWITCH lies in the window. */
  switched: number;
  /** Of those, the ones that died within 10 min of it. */
  crashed: number;
  crash_rate: number | null;
  median_s: number | null;
  q1_s: number | null;
  q3_s: number | null;
  /** Interquartile range: the spread. */
  iqr_s: number | null;
  min_s: number | null;
  max_s: number | null;
  timings_s: number[];
}

export interface CrashTimingPoint {
  worker_id: string;
  group: string;
  switch_at: Instant;
  died_at: Instant;
  crash_after_s: number;
}

export interface CrashTiming {
  by: CrashTimingDimension;
  from: Instant;
  to: Instant;
  overall: TimingStats;
  groups: TimingStats[];
  crashes: CrashTimingPoint[];
}

/** The model being loaded, read by the `model_switch` family's `to` group (`🔄 MODEL SWITCH: a -> b` → `b`). */
export function switchTargetModel(message: string, vocabulary: Vocabulary): string | null {
  const to = readFamilyValues(vocabulary, 'model_switch', message)?.['to']?.trim();
  return to ? to : null;
}

/** `memory` groups: the last `[RAM]` sample before the switch at or over THRESHOLDS.ramHighUsedPct, or under it. */
export const MEMORY_GROUPS = { high: 'high', normal: 'normal' } as const;

function memoryGroup(c: SwitchCase, vocabulary: Vocabulary): string | null {
  const sample = c.signals.ram_before_switch ? parseRam(c.signals.ram_before_switch, vocabulary) : null;
  if (sample?.system_used_pct == null) return null;
  return sample.system_used_pct >= THRESHOLDS.ramHighUsedPct ? MEMORY_GROUPS.high : MEMORY_GROUPS.normal;
}

export function groupKey(c: SwitchCase, by: CrashTimingDimension, vocabulary: Vocabulary): string {
  let key: string | number | null;
  switch (by) {
    case 'gpu':
      key = gpuType(c.worker);
      break;
    case 'ram_tier':
      key = ramTier(c.worker);
      break;
    case 'memory_profile':
      key = c.signals.memory_profile_line ? parseMemoryProfile(c.signals.memory_profile_line.message, vocabulary) : null;
      break;
    case 'model':
      key = c.signals.last_model_switch ? switchTargetModel(c.signals.last_model_switch.message, vocabulary) : null;
      break;
    case 'memory':
      key = memoryGroup(c, vocabulary);
      break;
  }
  return key === null ? UNKNOWN_GROUP : String(key);
}

export function timingStats(key: string, switched: number, timings: readonly number[]): TimingStats {
  const sorted = [...timings].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  return {
    key,
    switched,
    crashed: sorted.length,
    crash_rate: switched === 0 ? null : sorted.length / switched,
    median_s: median(sorted),
    q1_s: q1,
    q3_s: q3,
    iqr_s: q1 === null || q3 === null ? null : q3 - q1,
    min_s: sorted[0] ?? null,
    max_s: sorted[sorted.length - 1] ?? null,
    timings_s: sorted,
  };
}

export function crashTiming(
  cases: readonly SwitchCase[],
  window: TimeWindow,
  asOf: Instant,
  vocabulary: Vocabulary,
  by: CrashTimingDimension = 'gpu',
): CrashTiming {
  const groups = new Map<string, { switched: number; timings: number[] }>();
  const crashes: CrashTimingPoint[] = [];
  let switched = 0;
  for (const c of cases) {
    const sw = c.signals.last_model_switch;
    if (!sw || !inWindow(sw.timestamp, window)) continue;
    switched++;
    const key = groupKey(c, by, vocabulary);
    const group = groups.get(key) ?? { switched: 0, timings: [] };
    group.switched++;
    groups.set(key, group);
    const after = crashAfterSwitchS(c, asOf);
    if (!isModelLoadCrash(after)) continue;
    group.timings.push(after);
    crashes.push({ worker_id: c.worker.id, group: key, switch_at: sw.timestamp, died_at: c.worker.last_heartbeat!, crash_after_s: after });
  }
  crashes.sort((a, b) => a.crash_after_s - b.crash_after_s || compareIds(a.worker_id, b.worker_id));
  return {
    by,
    from: window.from,
    to: window.to,
    overall: timingStats('all', switched, crashes.map((c) => c.crash_after_s)),
    groups: [...groups.entries()]
      .map(([key, g]) => timingStats(key, g.switched, g.timings))
      .sort((a, b) => b.crashed - a.crashed || b.switched - a.switched || compareIds(a.key, b.key)),
    crashes,
  };
}

export interface TimingPlacement {
  crash_after_s: number;
  /** Share of the fleet's crash timings at or below this one, 0–1. */
  percentile: number;
  /** Of `n` fleet crashes. */
  n: number;
  median_s: number | null;
}

/** Where one worker's crash timing falls on the fleet's distribution. */
export function placeCrashTiming(timing: CrashTiming, crashAfterS: number): TimingPlacement {
  const all = timing.overall.timings_s;
  const atOrBelow = all.filter((t) => t <= crashAfterS).length;
  return {
    crash_after_s: crashAfterS,
    percentile: all.length === 0 ? 0 : atOrBelow / all.length,
    n: all.length,
    median_s: timing.overall.median_s,
  };
}

/**
 * Comparing crash timings across failed workers (§15's last item, §16's crash window): switch →
 * death of the model-load crashes (§12: under 10 min), split by GPU, RAM tier, memory profile or
 * target model, with each group's crash rate.
 */
import { describe, expect, it } from 'vitest';
import { CRASH_TIMING_DIMENSIONS, UNKNOWN_GROUP, crashTiming, groupKey, placeCrashTiming, switchTargetModel, timingStats } from '../../src/analyses/crash-timing.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { SwitchCase } from '../../src/analyses/cases.js';
import { fleetId as id, switchedCase as switched, tenMinuteEdgeFleet } from '../support/cases.js';
import { at, log, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY, compileVocabulary } from '../../src/config/vocabulary.js';

const AS_OF = at('14:00:00');

describe('switchTargetModel', () => {
  it('the model being loaded: the `to` group of the switch family, in each wording it knows', () => {
    expect(switchTargetModel('🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit', BUILT_IN_VOCABULARY)).toBe('qwen_image_edit');
    expect(switchTargetModel('🔄 MODEL SWITCH: wan_2_2_i2v → flux', BUILT_IN_VOCABULARY)).toBe('flux');
    expect(switchTargetModel("🔄 MODEL SWITCH: Switching from wan_2_2_i2v to qwen_image_edit using WGP's preload_model_when_switching", BUILT_IN_VOCABULARY)).toBe('qwen_image_edit');
    const reworded = compileVocabulary({ model_switch: [String.raw`Swapping weights (?<from>\S+) => (?<to>\S+)`] });
    expect(switchTargetModel('Swapping weights a => flux_dev', reworded)).toBe('flux_dev');
  });

  it('none without a switch line, or when the wording names no target', () => {
    expect(switchTargetModel('Loading model flux', BUILT_IN_VOCABULARY)).toBeNull();
    expect(switchTargetModel('🔄 MODEL SWITCH: a -> ', BUILT_IN_VOCABULARY)).toBeNull();
    expect(switchTargetModel('🔄 MODEL SWITCH:', BUILT_IN_VOCABULARY)).toBeNull();
    expect(switchTargetModel('🔄 MODEL SWITCH: qwen_image_edit', BUILT_IN_VOCABULARY)).toBeNull();
  });
});

describe('groupKey', () => {
  const c = switched(1, 120, 'NVIDIA A100', 3);

  it('one key per dimension, as text', () => {
    // No [RAM] line before the switch: its memory is unknown.
    expect(CRASH_TIMING_DIMENSIONS).toEqual(['gpu', 'ram_tier', 'memory_profile', 'model', 'memory']);
    expect(CRASH_TIMING_DIMENSIONS.map((by) => groupKey(c, by, BUILT_IN_VOCABULARY))).toEqual(['NVIDIA A100', '24', '3', 'qwen_image_edit', UNKNOWN_GROUP]);
  });

  it('memory: the last [RAM] sample before the switch, high at 90 % used or more', () => {
    const withRam = (pct: number, when = '12:59:00'): SwitchCase => {
      const w = worker({ heartbeat: '13:02:00' });
      const lines = [
        log(when, `[RAM] Before model switch: Process=20000MB (19.53GB) | System=${pct}% used, 5.8GB/64.0GB available`),
        log('13:00:00', '🔄 MODEL SWITCH: a -> b'),
      ];
      return { worker: w, tasks: [], signals: computeSignalsForWorker(w.id, lines, AS_OF, BUILT_IN_VOCABULARY) };
    };
    expect(groupKey(withRam(90), 'memory', BUILT_IN_VOCABULARY)).toBe('high');
    expect(groupKey(withRam(89.9), 'memory', BUILT_IN_VOCABULARY)).toBe('normal');
    // A sample after the switch says nothing about the memory the load began with.
    expect(groupKey(withRam(95, '13:01:00'), 'memory', BUILT_IN_VOCABULARY)).toBe(UNKNOWN_GROUP);
  });

  it('unknown when metadata is NULL or `{}`, or the line is missing or says nothing', () => {
    const bare = (metadata: Record<string, unknown> | null, lines: string[]): SwitchCase => {
      const w = worker({ metadata, heartbeat: '13:02:00' });
      const s = computeSignalsForWorker(w.id, lines.map((m, i) => log(`12:0${i}:00`, m)), AS_OF, BUILT_IN_VOCABULARY);
      return { worker: w, tasks: [], signals: s };
    };
    for (const k of [bare(null, []), bare({}, ['Memory Profile: default', '🔄 MODEL SWITCH:'])]) {
      expect(CRASH_TIMING_DIMENSIONS.map((by) => groupKey(k, by, BUILT_IN_VOCABULARY))).toEqual(CRASH_TIMING_DIMENSIONS.map(() => UNKNOWN_GROUP));
    }
  });
});

describe('timingStats', () => {
  it('counts, rate, median, quartiles (numpy-interpolated), spread, ends, timings ascending', () => {
    expect(timingStats('A100', 4, [599, 120, 240])).toEqual({
      key: 'A100',
      switched: 4,
      crashed: 3,
      crash_rate: 0.75,
      median_s: 240,
      q1_s: 180,
      q3_s: 419.5,
      iqr_s: 239.5,
      min_s: 120,
      max_s: 599,
      timings_s: [120, 240, 599],
    });
  });

  it('no crash: a zero rate when workers switched, no rate when none did; no figures', () => {
    expect(timingStats('k', 2, [])).toMatchObject({ crashed: 0, crash_rate: 0, median_s: null, q1_s: null, q3_s: null, iqr_s: null, min_s: null, max_s: null, timings_s: [] });
    expect(timingStats('k', 0, []).crash_rate).toBeNull();
  });
});

describe('crashTiming', () => {
  const cases = tenMinuteEdgeFleet();
  const window = { from: at('12:00:00'), to: AS_OF };

  it('groups with counts, median, quartiles and crash rate', () => {
    const byGpu = crashTiming(cases, window, AS_OF, BUILT_IN_VOCABULARY, 'gpu');
    expect(byGpu.overall).toMatchObject({ switched: 5, crashed: 3, median_s: 240, timings_s: [120, 240, 599] });
    expect(byGpu.groups.map((g) => [g.key, g.switched, g.crashed, g.crash_rate, g.median_s])).toEqual([
      ['A100', 2, 2, 1, 180],
      ['H100', 3, 1, 1 / 3, 599],
    ]);
    const byProfile = crashTiming(cases, window, AS_OF, BUILT_IN_VOCABULARY, 'memory_profile');
    expect(byProfile.groups.map((g) => [g.key, g.crashed])).toEqual([
      ['4', 2],
      ['3', 1],
    ]);
    expect(crashTiming(cases, window, AS_OF, BUILT_IN_VOCABULARY, 'model').groups[0]?.key).toBe('qwen_image_edit');
  });

  it('places one worker on the distribution', () => {
    const timing = crashTiming(cases, window, AS_OF, BUILT_IN_VOCABULARY);
    expect(placeCrashTiming(timing, 240)).toEqual({ crash_after_s: 240, percentile: 2 / 3, n: 3, median_s: 240 });
  });

  it('does not depend on the order of the workers', () => {
    expect(crashTiming([...cases].reverse(), window, AS_OF, BUILT_IN_VOCABULARY)).toEqual(crashTiming(cases, window, AS_OF, BUILT_IN_VOCABULARY));
  });

  it('the crash points, fastest first, ties by worker id; the default split is by GPU', () => {
    const timing = crashTiming([switched(12, 240, 'A100', 4), switched(11, 240, 'H100', 4), switched(3, 90, 'A100', 4)], window, AS_OF, BUILT_IN_VOCABULARY);
    expect(timing.by).toBe('gpu');
    expect(timing).toMatchObject({ from: at('12:00:00'), to: AS_OF });
    expect(timing.crashes).toEqual([
      { worker_id: id(3), group: 'A100', switch_at: at('13:00:00'), died_at: at('13:01:30'), crash_after_s: 90 },
      { worker_id: id(11), group: 'H100', switch_at: at('13:00:00'), died_at: at('13:04:00'), crash_after_s: 240 },
      { worker_id: id(12), group: 'A100', switch_at: at('13:00:00'), died_at: at('13:04:00'), crash_after_s: 240 },
    ]);
  });

  it('groups: most crashes first, then most switches, then key in code-unit order; unknown is a group', () => {
    const unknownGpu = (n: number, afterS: number): SwitchCase => {
      const c = switched(n, afterS, 'x', 3);
      return { ...c, worker: { ...c.worker, metadata: null } };
    };
    const timing = crashTiming([switched(1, 120, 'b-gpu', 3), switched(2, 120, 'B-gpu', 3), switched(3, 'alive', 'B-gpu', 3), switched(4, 'alive', 'a-gpu', 3), switched(7, 'alive', 'b-gpu', 3), unknownGpu(5, 100), unknownGpu(6, 110)], window, AS_OF, BUILT_IN_VOCABULARY);
    expect(timing.groups.map((g) => [g.key, g.crashed, g.switched])).toEqual([
      [UNKNOWN_GROUP, 2, 2],
      ['B-gpu', 1, 2],
      ['b-gpu', 1, 2],
      ['a-gpu', 0, 1],
    ]);
  });

  it('only switches in the window count (both ends in); nothing at all gives empty figures', () => {
    const one = [switched(1, 120, 'A100', 3)];
    expect(crashTiming(one, { from: at('13:00:00'), to: at('13:00:00') }, AS_OF, BUILT_IN_VOCABULARY).overall).toMatchObject({ switched: 1, crashed: 1 });
    expect(crashTiming(one, { from: at('13:00:00') + 1, to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ overall: { switched: 0, crashed: 0, crash_rate: null }, groups: [], crashes: [] });
    expect(crashTiming([], window, AS_OF, BUILT_IN_VOCABULARY, 'ram_tier')).toMatchObject({ by: 'ram_tier', overall: { key: 'all', switched: 0, median_s: null }, groups: [], crashes: [] });
  });
});

describe('placeCrashTiming', () => {
  const timing = crashTiming([switched(1, 120, 'A100', 3), switched(2, 240, 'A100', 4), switched(3, 599, 'H100', 4)], { from: at('12:00:00'), to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY);

  it('the share of the fleet\'s crash timings at or below this one', () => {
    expect(placeCrashTiming(timing, 119.999999)).toEqual({ crash_after_s: 119.999999, percentile: 0, n: 3, median_s: 240 });
    expect(placeCrashTiming(timing, 120).percentile).toBe(1 / 3);
    expect(placeCrashTiming(timing, 599).percentile).toBe(1);
    // A time outside the 10 min window is still placed; the words say it is not one of them.
    expect(placeCrashTiming(timing, 900).percentile).toBe(1);
  });

  it('against an empty fleet: percentile 0 of 0, no median', () => {
    const empty = crashTiming([], { from: at('12:00:00'), to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY);
    expect(placeCrashTiming(empty, 200)).toEqual({ crash_after_s: 200, percentile: 0, n: 0, median_s: null });
  });
});

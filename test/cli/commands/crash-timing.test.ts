/** `crash-timing`: its printer over fixed results made from the hand-made crash fleet. */
import { describe, expect, it } from 'vitest';
import { crashTiming, type CrashTimingDimension } from '../../../src/analyses/crash-timing.js';
import type { SwitchCase } from '../../../src/analyses/cases.js';
import { printCrashTiming } from '../../../src/cli/commands/crash-timing.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { FLEET_AS_OF, caseOf, healthyWorker, initFailureWorker, oomWorker, secondOomWorker, unknownGpuWorker } from '../../support/crash-fleet.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

const resultOf = (cases: SwitchCase[], by: CrashTimingDimension, hours = 24) => ({
  as_of: FLEET_AS_OF,
  window_hours: hours,
  ...crashTiming(cases, hoursWindow(FLEET_AS_OF, hours), FLEET_AS_OF, BUILT_IN_VOCABULARY, by),
});

const fleet = () => [oomWorker(), secondOomWorker(), initFailureWorker(), healthyWorker(), unknownGpuWorker()].map((m) => caseOf(m));

describe('printCrashTiming', () => {
  it('by GPU: a group with two crashes, one with none (dashes), the unknown group', async () => {
    const text = printCrashTiming(resultOf(fleet(), 'gpu'));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/crash-timing-gpu.txt');
    expect(text[0]).toBe('CRASH TIMING (MODEL SWITCH → last DB heartbeat), by gpu: 3 crash(es) of 4 switching worker(s), median 4.0 min, IQR 3.5 min–4.5 min');
  });

  it('by memory profile: the dimension names the first column', async () => {
    const text = printCrashTiming(resultOf(fleet(), 'memory_profile'));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/crash-timing-memory-profile.txt');
    expect(text[1]).toMatch(/^ {2}memory_profile {2}switched/);
  });

  it('no switch in the window: no median, an empty table', async () => {
    const text = printCrashTiming(resultOf([], 'model'));
    expect(text).toEqual(['CRASH TIMING (MODEL SWITCH → last DB heartbeat), by model: 0 crash(es) of 0 switching worker(s), median –, IQR –––', '  (none)']);
  });
});

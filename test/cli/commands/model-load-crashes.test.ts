/** `model-load-crashes` (§12): its printer over fixed results made from the hand-made crash fleet. */
import { describe, expect, it } from 'vitest';
import { modelLoadCrashes } from '../../../src/analyses/model-load-crashes.js';
import { printModelLoadCrashes } from '../../../src/cli/commands/model-load-crashes.js';
import type { WorkerCase } from '../../../src/analyses/cases.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { FLEET_AS_OF, caseOf, healthyWorker, initFailureWorker, oomWorker, secondOomWorker, unknownGpuWorker, vlmHangWorker } from '../../support/crash-fleet.js';

const resultOf = (cases: WorkerCase[], hours = 24) => ({ as_of: FLEET_AS_OF, window_hours: hours, ...modelLoadCrashes(cases, hoursWindow(FLEET_AS_OF, hours), FLEET_AS_OF) });

describe('printModelLoadCrashes', () => {
  it('the crashes among the workers that switched, oldest switch first, an unknown GPU marked', async () => {
    const cases = [oomWorker(), secondOomWorker(), initFailureWorker(), vlmHangWorker(), healthyWorker(), unknownGpuWorker()].map((m) => caseOf(m));
    const text = printModelLoadCrashes(resultOf(cases));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/model-load-crashes-fleet.txt');
    expect(text[0]).toBe('WORKERS THAT CRASHED DURING MODEL LOADING: 3 of 4 that switched models');
  });

  it('nobody switched', async () => {
    expect(printModelLoadCrashes(resultOf([caseOf(initFailureWorker())]))).toEqual(['WORKERS THAT CRASHED DURING MODEL LOADING: 0 of 0 that switched models', '  (none)']);
  });
});

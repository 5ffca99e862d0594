/** The words of `health`: the verdict's reason from the config's thresholds, and the notebook panel. */
import { describe, expect, it } from 'vitest';
import { fleetHealth } from '../../src/analyses/fleet-health.js';
import { HEALTH_VERDICT_SEVERITY, healthSummaryHtml, healthVerdictReason } from '../../src/present/fleet-health.js';
import type { Task } from '../../src/rows/schemas.js';
import { hoursWindow } from '../../src/rows/window.js';
import { at, task } from '../support/rows.js';

const AS_OF = at('14:00:00');
const done = (status: 'Complete' | 'Failed'): Task => ({ ...task({ status, created: '13:00:00' }), updated_at: at('13:45:00') });
const healthOf = (complete: number, failed: number) =>
  fleetHealth([...Array.from({ length: complete }, () => done('Complete')), ...Array.from({ length: failed }, () => done('Failed'))], [], hoursWindow(AS_OF, 0.5), AS_OF);

describe('healthVerdictReason', () => {
  it('names the rate, the count and the rule met', () => {
    expect(healthVerdictReason(healthOf(0, 0))).toBe('no task finished in the window');
    expect(healthVerdictReason(healthOf(3, 1))).toBe('25.0 % of 4 finished tasks failed (at most 50.0 %)');
    expect(healthVerdictReason(healthOf(1, 2))).toBe('66.7 % of 3 finished tasks failed (over 50.0 %)');
    expect(healthVerdictReason(healthOf(1, 9))).toBe('90.0 % of 10 finished tasks failed (over 80.0 %, at least 5 finished)');
  });
});

describe('healthSummaryHtml', () => {
  it('the verdict line with its severity mark, then the counts', () => {
    const html = healthSummaryHtml(healthOf(1, 2));
    // A badge with a word, not an emoji (a browser without an emoji font shows that too).
    expect(html).toContain('>warning</span>');
    expect(html).toContain('WARNING: 66.7 % of 3 finished tasks failed');
    expect(html).toContain('3 (1 Complete, 2 Failed)');
    expect(healthSummaryHtml(healthOf(0, 5))).toContain('>dead</span>');
    expect(healthSummaryHtml(healthOf(5, 0))).toContain('>ok</span>');
    expect(HEALTH_VERDICT_SEVERITY).toEqual({ OK: 'ok', IDLE: 'info', WARNING: 'warn', BLOCKED: 'bad' });
  });
});

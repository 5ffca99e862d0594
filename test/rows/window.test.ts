/** Time windows: both bounds inclusive, in epoch microseconds. */
import { describe, expect, it } from 'vitest';
import { hoursWindow, inWindow } from '../../src/rows/window.js';
import { at } from '../support/rows.js';

describe('inWindow', () => {
  const window = { from: at('12:00:00'), to: at('14:00:00') };

  it('both ends in; a microsecond outside either is out', () => {
    expect(inWindow(at('12:00:00'), window)).toBe(true);
    expect(inWindow(at('14:00:00'), window)).toBe(true);
    expect(inWindow(at('13:00:00'), window)).toBe(true);
    expect(inWindow(at('12:00:00') - 1, window)).toBe(false);
    expect(inWindow(at('14:00:00') + 1, window)).toBe(false);
  });

  it('a window of one instant holds that instant only', () => {
    expect(inWindow(at('13:00:00'), { from: at('13:00:00'), to: at('13:00:00') })).toBe(true);
    expect(inWindow(at('13:00:00') + 1, { from: at('13:00:00'), to: at('13:00:00') })).toBe(false);
  });
});

describe('hoursWindow', () => {
  it('the last N hours up to as-of, exactly', () => {
    expect(hoursWindow(at('14:00:00'), 6)).toEqual({ from: at('08:00:00'), to: at('14:00:00') });
    expect(hoursWindow(at('14:00:00'), 0.5)).toEqual({ from: at('13:30:00'), to: at('14:00:00') });
    expect(hoursWindow(at('14:00:00'), 24)).toEqual({ from: at('2025-10-16T14:00:00Z'), to: at('14:00:00') });
    expect(hoursWindow(at('14:00:00'), 0)).toEqual({ from: at('14:00:00'), to: at('14:00:00') });
  });

  it('a fraction of a microsecond is rounded to a whole one', () => {
    const w = hoursWindow(at('14:00:00'), 1 / 3);
    expect(Number.isInteger(w.from)).toBe(true);
    expect(w.to - w.from).toBe(1_200_000_000);
  });
});

/** Order statistics: quantiles by linear interpolation between closest ranks (numpy's default). */
import { describe, expect, it } from 'vitest';
import { median, quantile } from '../../src/analyses/stats.js';

describe('quantile', () => {
  it('quantiles interpolate like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([10, 20, 40], 0.25)).toBe(15);
    expect(quantile([10, 20, 40], 0.75)).toBe(30);
  });

  it('0 and 1 are the ends; one value is every quantile; none is null', () => {
    expect(quantile([3, 7, 9], 0)).toBe(3);
    expect(quantile([3, 7, 9], 1)).toBe(9);
    expect(quantile([42], 0.3)).toBe(42);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('median', () => {
  it('of values in any order, without reordering them', () => {
    const values = [240, 120, 599];
    expect(median(values)).toBe(240);
    expect(values).toEqual([240, 120, 599]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([-30, 30])).toBe(0);
    expect(median([])).toBeNull();
  });
});

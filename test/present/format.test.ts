/** Number, duration, instant, count and text formats: one of each, shared by every output. */
import { describe, expect, it } from 'vitest';
import { countsText, cut, formatDuration, instantText, minutesRangeText, ordinalText, percentText, thresholdText } from '../../src/present/format.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { at } from '../support/rows.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0 s'],
    [42, '42.0 s'],
    [119.94, '119.9 s'],
    [120, '2.0 min'],
    [190, '3.2 min'],
    [7199, '120.0 min'],
    [7200, '2.0 h'],
    [172_799, '48.0 h'],
    [172_800, '2.0 d'],
    [-30, '-30.0 s'],
    [-600, '-10.0 min'],
  ])('%s s → %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });

  it('none, NaN and infinities → –', () => {
    for (const s of [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(formatDuration(s)).toBe('–');
  });
});

describe('instantText', () => {
  it('ISO-8601 UTC, microseconds only when present; none → –', () => {
    expect(instantText(at('13:00:00'))).toBe('2025-10-17T13:00:00.000Z');
    expect(instantText(at('13:00:00') + 123_456)).toBe('2025-10-17T13:00:00.123456Z');
    expect(instantText(null)).toBe('–');
  });
});

describe('percentText', () => {
  it('one decimal and a space before %; none → –', () => {
    expect(percentText(2 / 6)).toBe('33.3 %');
    expect(percentText(0)).toBe('0.0 %');
    expect(percentText(1)).toBe('100.0 %');
    expect(percentText(null)).toBe('–');
  });
});

describe('ordinalText', () => {
  it.each([
    [0, '0th'],
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [33, '33rd'],
    [100, '100th'],
    [101, '101st'],
    [111, '111th'],
  ])('%s → %s', (n, text) => {
    expect(ordinalText(n)).toBe(text);
  });
});

describe('countsText', () => {
  it('the non-zero counts in the record\'s order; none when all are zero or there are none', () => {
    expect(countsText({ Queued: 0, 'In Progress': 1, Complete: 3, Failed: 0 })).toBe('1 In Progress, 3 Complete');
    expect(countsText({ a: 0 })).toBe('none');
    expect(countsText({})).toBe('none');
  });
});

describe('cut', () => {
  it('at most `max` code points, the last one an ellipsis; shorter text unchanged', () => {
    expect(cut('abcdef', 6)).toBe('abcdef');
    expect(cut('abcdefg', 6)).toBe('abcde…');
    expect(cut('✅✅✅✅', 3)).toBe('✅✅…');
    expect([...cut('🔄 MODEL SWITCH: wan -> qwen', 10)]).toHaveLength(10);
    expect(cut('abc', 1)).toBe('…');
    expect(cut('abc', 0)).toBe('…');
  });

  it('redacts before it cuts: a key cut short would no longer be recognised, so no piece of it is shown', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const shown = cut(`auth failed with key ${jwt} for the upload`, 40);
    expect(shown).not.toContain(jwt.slice(0, 12));
    expect(shown.startsWith('auth failed with key ')).toBe(true);
    expect(cut(`key ${jwt}`, 500)).not.toContain(jwt.slice(0, 12));
  });
});

describe('threshold labels', () => {
  it('thresholdText: whole minutes as minutes, anything else in seconds', () => {
    expect(thresholdText(300)).toBe('5 min');
    expect(thresholdText(60)).toBe('1 min');
    expect(thresholdText(600)).toBe('10 min');
    expect(thresholdText(90)).toBe('90 s');
    expect(thresholdText(40)).toBe('40 s');
    expect(thresholdText(30)).toBe('30 s');
  });

  it('minutesRangeText: a window of seconds in minutes', () => {
    expect(minutesRangeText({ min: 90, max: 300 })).toBe('1.5–5 min');
    expect(minutesRangeText(THRESHOLDS.oomCrashWindowS)).toBe(`${THRESHOLDS.oomCrashWindowS.min / 60}–${THRESHOLDS.oomCrashWindowS.max / 60} min`);
  });
});

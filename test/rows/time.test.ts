import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, formatPostgrestInstant, parseInstant, secondsBetween } from '../../src/rows/time.js';

const INSTANT = Date.UTC(2025, 9, 17, 13, 9, 52) * 1000 + 123_456;

describe('parseInstant: every shape Supabase and Postgres emit is one instant', () => {
  it.each([
    '2025-10-17T13:09:52.123456Z',
    '2025-10-17T13:09:52.123456+00:00',
    '2025-10-17T13:09:52.123456+00',
    '2025-10-17 13:09:52.123456+00',
    '2025-10-17 13:09:52.123456+0000',
    '2025-10-17T15:09:52.123456+02:00',
    '2025-10-17T08:09:52.123456-05',
    '2025-10-17T13:09:52.1234564Z', // beyond microseconds, rounded to the nearest like Postgres
    '2025-10-17T13:09:52.1234555Z',
  ])('%s', (text) => {
    expect(parseInstant(text)).toBe(INSTANT);
  });

  it('rounds a seventh digit up, carrying into the next second', () => {
    expect(parseInstant('2025-10-17T13:09:52.1234567Z')).toBe(INSTANT + 1);
    expect(parseInstant('2025-10-17T13:09:52.9999996Z')).toBe(Date.UTC(2025, 9, 17, 13, 9, 53) * 1000);
  });

  it('accepts 0 to 6 fraction digits (PostgREST trims trailing zeros)', () => {
    const whole = Date.UTC(2025, 9, 17, 13, 9, 52) * 1000;
    expect(parseInstant('2025-10-17T13:09:52+00:00')).toBe(whole);
    expect(parseInstant('2025-10-17T13:09:52.1+00:00')).toBe(whole + 100_000);
    expect(parseInstant('2025-10-17T13:09:52.12+00:00')).toBe(whole + 120_000);
    expect(parseInstant('2025-10-17T13:09:52.123+00:00')).toBe(whole + 123_000);
    expect(parseInstant('2025-10-17T13:09:52.000001+00:00')).toBe(whole + 1);
  });

  it('reads Date objects from a driver', () => {
    expect(parseInstant(new Date('2025-10-17T13:09:52.123Z'))).toBe(INSTANT - 456);
  });

  it.each(['', 'yesterday', '2025-13-01T00:00:00Z', '2025-02-30T00:00:00Z', '2025-10-17T25:00:00Z', '2025-10-17T13:09:52+25:00', '17/10/2025', null, 42, {}])(
    'rejects %s',
    (value) => {
      expect(parseInstant(value)).toBeNull();
    },
  );

  it('an invalid Date is rejected', () => {
    expect(parseInstant(new Date('nope'))).toBeNull();
  });
});

describe('formatInstant and formatPostgrestInstant', () => {
  it('keeps microseconds only when present', () => {
    expect(formatInstant(INSTANT)).toBe('2025-10-17T13:09:52.123456Z');
    expect(formatInstant(INSTANT - 456)).toBe('2025-10-17T13:09:52.123Z');
  });

  it('writes what PostgREST writes', () => {
    expect(formatPostgrestInstant(INSTANT)).toBe('2025-10-17T13:09:52.123456+00:00');
    expect(formatPostgrestInstant(INSTANT - 456)).toBe('2025-10-17T13:09:52.123+00:00');
    expect(formatPostgrestInstant(INSTANT - 123_456)).toBe('2025-10-17T13:09:52+00:00');
    expect(formatPostgrestInstant(INSTANT - 123_456 + 100_000)).toBe('2025-10-17T13:09:52.1+00:00');
  });

  const instants = fc.integer({ min: Date.UTC(2000, 0, 1) * 1000, max: Date.UTC(2100, 0, 1) * 1000 });

  it('round-trips every instant through both formats (property)', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        expect(parseInstant(formatInstant(instant))).toBe(instant);
        expect(parseInstant(formatPostgrestInstant(instant))).toBe(instant);
        expect(parseInstant(formatPostgrestInstant(instant).replace('T', ' ').replace('+00:00', '+00'))).toBe(instant);
      }),
    );
  });

  it('differences are exact to the microsecond (property)', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 86_400_000_000 }), (a, d) => {
        expect(secondsBetween(a, a + d)).toBe(d / 1e6);
      }),
    );
  });
});

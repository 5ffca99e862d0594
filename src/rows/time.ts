/**
 * Instants are integer microseconds since the Unix epoch.
 *
 * Why microseconds: Postgres `timestamptz` has microsecond precision and PostgREST emits up to six
 * fraction digits. Epoch microseconds (~1.8e15 today) are exact in a double (< 2^53), so ordering,
 * differences and equality are exact; epoch milliseconds would merge distinct rows and make the
 * in-process and in-database answers disagree.
 */
export type Instant = number;

export const MICROS_PER_SECOND = 1_000_000;

// Every shape Supabase/PostgREST and Postgres emit: `T` or space, 0-9 fraction digits,
// `Z`, `+00`, `+00:00`, `+0000` or no offset (taken as UTC: `timestamp without time zone`).
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** Parses an ISO-8601 / Postgres timestamp string or a Date into an Instant; null when invalid. */
export function parseInstant(value: unknown): Instant | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms * 1000 : null;
  }
  if (typeof value !== 'string') return null;
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Fraction: microseconds exactly; beyond the sixth digit Postgres rounds to the nearest
  // microsecond, and so does this (a carry into the next second is added below).
  const digits = m[7] ?? '';
  const fraction = digits.length <= 6 ? Number((digits + '000000').slice(0, 6)) : Math.round(Number(`${digits.slice(0, 6)}.${digits.slice(6)}`));
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; such instants are not plausible here anyway.
  if (year < 1000) return null;
  return (utcMs - offsetMinutes * 60_000) * 1000 + fraction;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Formats an Instant as an ISO-8601 UTC string: milliseconds always shown, microseconds only when
 * the instant has them (so that values read from Postgres round-trip exactly).
 */
export function formatInstant(instant: Instant): string {
  const micros = ((instant % 1000) + 1000) % 1000;
  const ms = (instant - micros) / 1000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (micros === 0) return iso;
  return iso.slice(0, -1) + String(micros).padStart(3, '0') + 'Z';
}

/** The shape PostgREST returns for `timestamptz`: `+00:00` offset, trailing fraction zeros trimmed. */
export function formatPostgrestInstant(instant: Instant): string {
  const iso = formatInstant(instant); // ends with Z
  const [head, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${head}${trimmed ? '.' + trimmed : ''}+00:00`;
}

export function instantFromDate(date: Date): Instant {
  return date.getTime() * 1000;
}

export function dateFromInstant(instant: Instant): Date {
  return new Date(Math.floor(instant / 1000));
}

/** Seconds between two instants (b - a), exact to the microsecond. */
export function secondsBetween(a: Instant, b: Instant): number {
  return (b - a) / MICROS_PER_SECOND;
}

export function seconds(s: number): number {
  return Math.round(s * MICROS_PER_SECOND);
}

export function addSeconds(instant: Instant, s: number): Instant {
  return instant + Math.round(s * MICROS_PER_SECOND);
}


/**
 * Number, duration, instant, count and text formats: one of each, shared by the terminal, the
 * notebook views, the frames and the figures.
 */
import { redact } from '../redact.js';
import { formatInstant, type Instant } from '../rows/time.js';

/** Human form of a duration in seconds: `42.0 s`, `3.2 min`, `1.5 h`. */
export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  const abs = Math.abs(s);
  if (abs < 120) return `${s.toFixed(1)} s`;
  if (abs < 7200) return `${(s / 60).toFixed(1)} min`;
  if (abs < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

/** An instant as printed everywhere (ISO-8601 UTC, microseconds when it has them); `–` for none. */
export function instantText(instant: Instant | null): string {
  return instant === null ? '–' : formatInstant(instant);
}

/** An integer as an English ordinal: `1st`, `2nd`, `3rd`, `11th`, `33rd`, `100th`. */
export function ordinalText(n: number): string {
  const lastTwo = Math.abs(n) % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][Math.abs(n) % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A rate 0–1 as `12.5 %`; `–` when there is none. */
export function percentText(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)} %`;
}

/**
 * `3 Complete, 1 Failed`: the non-zero counts of a record, in its order; `none` when all are zero.
 * With `zeros`, every count (`15 alive, 0 never`): for a fixed set of bands where a zero is news.
 */
export function countsText(counts: Readonly<Record<string, number>>, options: { zeros?: boolean } = {}): string {
  return (
    Object.entries(counts)
      .filter(([, n]) => options.zeros || n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none'
  );
}

/** Time after a reference instant, always in seconds: `+42.0 s`. */
export function offsetText(s: number): string {
  return `+${s.toFixed(1)} s`;
}

/** A task or row id in a narrow column: its first 8 characters (a UUID's first group). */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/**
 * Text redacted, then cut to `max` characters (code points), the last one an ellipsis. Redaction
 * comes first: a secret cut in two is no longer secret-shaped and would pass a later redaction.
 */
export function cut(text: string, max: number): string {
  const chars = [...redact(text)];
  return chars.length > max ? chars.slice(0, Math.max(0, max - 1)).join('') + '…' : chars.join('');
}

/** Seconds as whole minutes when they are (`5 min`), else seconds (`90 s`): for thresholds in labels. */
export function thresholdText(s: number): string {
  return s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

/** A window of seconds in minutes, `1.5–5 min`. */
export function minutesRangeText(range: { min: number; max: number }): string {
  return `${range.min / 60}–${range.max / 60} min`;
}

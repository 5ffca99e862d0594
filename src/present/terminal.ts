/** Plain-text rendering for the terminal: aligned tables, key/value blocks, short durations. */
import { redact } from '../redact.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
  /** Longer cell text is cut with an ellipsis. */
  max?: number;
}

/** Display width: emoji and other wide characters take two cells in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0xfe0f || code === 0x200d || (code >= 0x300 && code <= 0x36f)) continue;
    width += code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || code === 0x2705 || code === 0x274c || code === 0x26a0) ? 2 : 1;
  }
  return width;
}

/**
 * Redacted before it is cut: a secret cut in two is no longer secret-shaped, and the part before the
 * cut would pass the redaction of the printed text.
 */
export function truncate(text: string, max: number): string {
  const oneLine = redact(text).replace(/\s*\n\s*/g, ' ⏎ ');
  if (displayWidth(oneLine) <= max) return oneLine;
  let out = '';
  for (const ch of oneLine) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return out + '…';
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return String(value);
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  if (rows.length === 0) return ['  (none)'];
  const cells = rows.map((row) => columns.map((c) => truncate(cell(c.value(row)), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i]!))));
  const line = (values: string[]) =>
    '  ' + values.map((v, i) => pad(v, widths[i]!, columns[i]!.align ?? 'left')).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)];
}

export function keyValues(pairs: readonly [string, string | number | null | undefined][]): string[] {
  const width = Math.max(...pairs.map(([k]) => displayWidth(k)));
  return pairs.map(([k, v]) => `  ${pad(k, width, 'left')}  ${cell(v)}`);
}

export function heading(text: string): string {
  return `\n${text}\n${'═'.repeat(Math.min(100, displayWidth(text)))}`;
}

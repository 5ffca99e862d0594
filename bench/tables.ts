/** Plain-text and Markdown tables for the benchmark's output, and the figures' formats. */

export type Cell = string | number;

export function textTable(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, c) => Math.max(...all.map((row) => [...(row[c] ?? '')].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length);
        // Figures right-aligned, words left-aligned.
        return c > 0 && /^[\d.,\s×%–~≈x-]+\S*$/.test(cell) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(all[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const escape = (cell: Cell) => String(cell).replace(/\|/g, '\\|');
  const line = (row: readonly Cell[]) => `| ${row.map(escape).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

/**
 * The best of several runs, with their median: `1.52 s (median 1.71)`. On a shared machine other
 * work can only add time to a run, so the best run is the closest to the computation's own cost.
 */
export function secondsOf(values: readonly number[]): string {
  if (values.length === 1) return seconds(values[0]!);
  return `${seconds(Math.min(...values))} (median ${seconds(median(values)).replace(' s', '')})`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Progress for long reads: after a second, one self-overwriting stderr line per table with rows
 * read so far and the total (from `count=exact`). Only on a terminal and never with --json.
 */
import type { ReadProgress } from '../sources/types.js';

const QUIET_FOR_MS = 1000;

export function createProgressReporter(write: (text: string) => void, now: () => number = () => Date.now()) {
  const started = now();
  const tables = new Map<string, ReadProgress>();
  let shown = false;
  return {
    report(progress: ReadProgress): void {
      tables.set(progress.table, progress);
      if (now() - started < QUIET_FOR_MS) return;
      const parts = [...tables.values()].map((p) => `${p.table} ${p.rows.toLocaleString('en-US')}${p.total === null ? '' : `/${p.total.toLocaleString('en-US')}`}`);
      write(`\r\x1b[2Kreading ${parts.join(', ')} rows`);
      shown = true;
    },
    /** Clears the progress line before other output. */
    done(): void {
      if (shown) write('\r\x1b[2K');
      shown = false;
    },
  };
}

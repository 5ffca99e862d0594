/**
 * DataFrames (Arquero) from typed rows and from analysis results, and their HTML for notebooks:
 * long tables are cut to a limit with a note saying how many rows there are in all.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { gpuType, ramTier } from '../rows/worker-metadata.js';
import { dateFromInstant, type Instant } from '../rows/time.js';
import { heartbeatOf } from '../analyses/heartbeat.js';
import { cut } from './format.js';
import { escapeHtml } from './html.js';
import { jsonDocument } from './json.js';

export type Frame = ColumnTable;

const date = (instant: Instant | null) => (instant === null ? null : dateFromInstant(instant));

export function workersFrame(workers: readonly Worker[], asOf: Instant): Frame {
  return aq.from(
    workers.map((w) => {
      const hb = heartbeatOf(w, asOf);
      return {
        id: w.id,
        status: w.status,
        created_at: date(w.created_at),
        last_heartbeat: date(w.last_heartbeat),
        heartbeat_age_s: hb.age_s,
        heartbeat_state: hb.state,
        ram_tier: ramTier(w),
        gpu_type: gpuType(w),
      };
    }),
  );
}

export function tasksFrame(tasks: readonly Task[]): Frame {
  return aq.from(
    tasks.map((t) => ({
      id: t.id,
      task_type: t.task_type,
      status: t.status,
      worker_id: t.worker_id,
      attempts: t.attempts,
      created_at: date(t.created_at),
      generation_started_at: date(t.generation_started_at),
      generation_processed_at: date(t.generation_processed_at),
      error_message: t.error_message,
    })),
  );
}

export function logsFrame(logs: readonly SystemLog[]): Frame {
  return aq.from(
    logs.map((l) => ({
      timestamp: date(l.timestamp),
      source_type: l.source_type,
      log_level: l.log_level,
      task_id: l.task_id,
      message: l.message,
    })),
  );
}

/** Any list of result objects (e.g. `classify(...).workers`) as a frame; instants printed as ISO-8601 (see json.ts). */
export function resultFrame(rows: readonly object[], columns?: readonly string[]): Frame {
  const frame = aq.from(rows.map((row) => jsonDocument(row)) as object[]);
  return columns ? frame.select(...columns) : frame;
}

export interface FrameHtmlOptions {
  /** Rows shown at most (default 50). */
  limit?: number;
  /** Show the last rows instead of the first (for logs: the newest). */
  tail?: boolean;
  caption?: string;
  /** Longer text cells are cut (default 200 characters). */
  maxText?: number;
}

export function frameHtml(frame: Frame, options: FrameHtmlOptions = {}): string {
  const limit = options.limit ?? 50;
  const total = frame.numRows();
  const maxText = options.maxText ?? 200;
  const offset = options.tail ? Math.max(0, total - limit) : 0;
  const format = Object.fromEntries(
    frame.columnNames().map((name) => [
      name,
      (value: unknown) => {
        if (value instanceof Date) return value.toISOString();
        if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
        return cut(String(value), maxText);
      },
    ]),
  );
  // Left-aligned text (JupyterLab right-aligns cells by default); timestamps kept on one line.
  const dateColumns = new Set(frame.columnNames().filter((name) => frame.get(name, 0) instanceof Date || /(_at|timestamp|^at)$/.test(name)));
  const cellStyle = (name: string) => `padding: 2px 8px; vertical-align: top; text-align: left;${dateColumns.has(name) ? ' white-space: nowrap;' : ''}`;
  const table = frame.toHTML({
    limit,
    offset,
    null: () => '–',
    format,
    style: { table: 'font-size: 12px; border-collapse: collapse;', td: cellStyle, th: cellStyle },
  });
  const shown = Math.min(limit, total - offset);
  const note =
    total > shown
      ? `<p style="color:#666;font-size:12px">Showing ${options.tail ? 'the last' : 'the first'} ${shown} of ${total.toLocaleString('en-US')} rows.</p>`
      : `<p style="color:#666;font-size:12px">${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}.</p>`;
  const caption = options.caption ? `<p><b>${escapeHtml(options.caption)}</b></p>` : '';
  return `<div class="wf-table" style="max-width:100%;overflow-x:auto">${caption}${table}${note}</div>`;
}

/**
 * The worker's tasks as a Gantt chart (§3): claim to completion, or to as-of while In Progress.
 * Every row carries its label: one row per task, or, past GANTT_MAX_ROWS tasks, one row per task
 * type with each task's id and times in its hover text.
 */
import type { TaskLine } from '../../analyses/worker-tasks.js';
import { formatInstant, type Instant } from '../../rows/time.js';
import { shortId } from '../format.js';
import { baseLayout, TASK_STATUS_COLORS, type Figure } from './figure.js';

/** More tasks than this are drawn one row per task type: rows stay tall enough to read. */
export const GANTT_MAX_ROWS = 30;
const ROW_PX = 26;

/** A task's row label: its type and the start of its id. */
function taskRowLabel(t: TaskLine): string {
  return `${t.task_type} ${shortId(t.id)}`;
}

export function taskTimelineFigure(workerId: string, tasks: readonly TaskLine[], asOf: Instant): Figure {
  const byType = tasks.length > GANTT_MAX_ROWS;
  const rows = tasks.map((t) => {
    const start = t.generation_started_at ?? t.created_at;
    const end = t.generation_processed_at ?? (t.status === 'In Progress' ? asOf : (t.updated_at ?? t.generation_started_at ?? t.created_at));
    return { t, row: byType ? t.task_type : taskRowLabel(t), start: formatInstant(start), durationMs: Math.max(1000, (Math.min(end, asOf) - start) / 1000) };
  });
  // Every category, in order of first appearance, as an explicit tick: Plotly would otherwise
  // thin the labels of a tall category axis and leave rows unnamed.
  const categories = [...new Set(rows.map((r) => r.row))];
  const statuses = [...new Set(tasks.map((t) => t.status))];
  return {
    data: statuses.map((status) => {
      const mine = rows.filter((r) => r.t.status === status);
      return {
        type: 'bar',
        orientation: 'h',
        name: status,
        y: mine.map((r) => r.row),
        base: mine.map((r) => r.start),
        x: mine.map((r) => r.durationMs),
        marker: { color: TASK_STATUS_COLORS[status] ?? '#555555' },
        customdata: mine.map((r) => [r.t.id, r.t.error_message ?? '']),
        hovertemplate: '%{customdata[0]}<br>%{base} → %{x:,.0f} ms<br>%{customdata[1]}<extra>' + status + '</extra>',
      };
    }),
    layout: baseLayout(`Tasks of ${workerId} (${tasks.length}${byType ? `, one row per task type: ${categories.length}` : ''})`, {
      barmode: 'overlay',
      xaxis: { type: 'date', title: { text: 'time (UTC)' } },
      yaxis: { type: 'category', automargin: true, autorange: 'reversed', tickmode: 'array', tickvals: categories, ticktext: categories, categoryorder: 'array', categoryarray: categories },
      height: Math.max(260, 50 + 120 + ROW_PX * categories.length),
    }),
  };
}

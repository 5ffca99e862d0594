/** The worker's tasks as a Gantt chart (§3): claim to completion, or to as-of while In Progress. */
import type { TaskLine } from '../../analyses/worker-tasks.js';
import { formatInstant, type Instant } from '../../rows/time.js';
import { baseLayout, TASK_STATUS_COLORS, type Figure } from './figure.js';

export function taskTimelineFigure(workerId: string, tasks: readonly TaskLine[], asOf: Instant): Figure {
  const rows = tasks.map((t) => {
    const start = t.generation_started_at ?? t.created_at;
    const end = t.generation_processed_at ?? (t.status === 'In Progress' ? asOf : (t.updated_at ?? t.generation_started_at ?? t.created_at));
    return { t, start: formatInstant(start), durationMs: Math.max(1000, (Math.min(end, asOf) - start) / 1000) };
  });
  const statuses = [...new Set(tasks.map((t) => t.status))];
  return {
    data: statuses.map((status) => {
      const mine = rows.filter((r) => r.t.status === status);
      return {
        type: 'bar',
        orientation: 'h',
        name: status,
        y: mine.map((r) => `${r.t.task_type} ${r.t.id.slice(0, 8)}`),
        base: mine.map((r) => r.start),
        x: mine.map((r) => r.durationMs),
        marker: { color: TASK_STATUS_COLORS[status] ?? '#555555' },
        customdata: mine.map((r) => [r.t.id, r.t.error_message ?? '']),
        hovertemplate: '%{customdata[0]}<br>%{base} → %{x:,.0f} ms<br>%{customdata[1]}<extra>' + status + '</extra>',
      };
    }),
    layout: baseLayout(`Tasks of ${workerId} (${tasks.length})`, {
      xaxis: { type: 'date', title: { text: 'time (UTC)' } },
      yaxis: { automargin: true, autorange: 'reversed' },
      height: Math.max(220, 60 + 28 * tasks.length),
    }),
  };
}

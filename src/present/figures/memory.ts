/**
 * Memory before death (§14 with the `[RAM]` samples later worker versions log): system memory used
 * (%) and the worker process's memory (MB) over the last half hour of its life, with the model
 * switch and the death marked, and the high-memory line of THRESHOLDS.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import type { RamSample } from '../../analyses/memory-profile.js';
import { formatInstant, MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import { instantText } from '../format.js';
import { baseLayout, BOTTOM_MARGIN_PX, COLORS, eventMarks, type Figure } from './figure.js';

/** How far back before the death (or as-of) the figure looks. */
export const MEMORY_FIGURE_WINDOW_S = 30 * 60;

export function memoryBeforeDeathFigure(
  workerId: string,
  samples: readonly RamSample[],
  options: { asOf: Instant; diedAt: Instant | null; switchAt: Instant | null },
): Figure {
  const end = options.diedAt ?? options.asOf;
  const start = end - MEMORY_FIGURE_WINDOW_S * MICROS_PER_SECOND;
  const shown = samples.filter((s) => s.at >= start && s.at <= end);
  const x = shown.map((s) => formatInstant(s.at));
  const label = shown.map((s) => s.label ?? '');
  const shapes: unknown[] = [
    { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: THRESHOLDS.ramHighUsedPct, y1: THRESHOLDS.ramHighUsedPct, line: { color: COLORS.dead, width: 1, dash: 'dot' } },
  ];
  const events: [Instant | null, string, string][] = [
    [options.switchAt !== null && options.switchAt >= start ? options.switchAt : null, COLORS.switch, 'MODEL SWITCH'],
    [options.diedAt, COLORS.dead, 'last DB heartbeat (death)'],
  ];
  const range: [Instant, Instant] = [start, end + 30 * MICROS_PER_SECOND];
  // A death seconds after a switch would print over it: the labels take rows that never overlap.
  const labelled = eventMarks(
    events.filter((e): e is [Instant, string, string] => e[0] !== null).map(([t, color, label]) => ({ at: t, x: formatInstant(t), color, label, hover: `${label}: ${instantText(t)}` })),
    range,
  );
  shapes.push(...labelled.shapes);
  const annotations = labelled.annotations;
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'system memory used (%)',
        x,
        y: shown.map((s) => s.system_used_pct),
        text: label,
        line: { color: COLORS.dead },
        hovertemplate: '%{x}<br>%{y:.1f} % used<br>%{text}<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'worker process (MB)',
        x,
        y: shown.map((s) => s.process_mb),
        yaxis: 'y2',
        text: label,
        line: { color: COLORS.switch, dash: 'dot' },
        hovertemplate: '%{x}<br>%{y:,.0f} MB<br>%{text}<extra></extra>',
      },
    ],
    layout: baseLayout(`Memory of ${workerId} in its last ${MEMORY_FIGURE_WINDOW_S / 60} min: ${shown.length} [RAM] sample(s)`, {
      xaxis: { type: 'date', title: { text: 'time (UTC)' }, range: range.map(formatInstant) },
      yaxis: { title: { text: 'system memory used (%)' }, range: [0, 100] },
      yaxis2: { title: { text: 'worker process (MB)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      shapes,
      annotations,
      margin: { l: 60, r: 60, t: labelled.topMargin, b: BOTTOM_MARGIN_PX },
      height: 400 + labelled.topMargin - 50,
    }),
  };
}

/**
 * Crash timing across failed workers: time from MODEL SWITCH to death, as a histogram per group
 * with the guide's 1.5–5 min OOM window shaded, and optionally one worker placed on it.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import type { CrashTiming } from '../../analyses/crash-timing.js';
import { baseLayout, COLORS, verticalMarker, type Figure } from './figure.js';
import { minutesRangeText } from '../format.js';

const BIN_S = 15;

/** A worker to place on the distribution (an investigation has these fields). */
export interface Highlight {
  worker_id: string;
  model_switch: { crash_after_s: number | null };
}

export function crashTimingHistogram(timing: CrashTiming, highlight: Highlight | null = null): Figure {
  const groups = timing.groups.filter((g) => g.timings_s.length > 0);
  const window = THRESHOLDS.oomCrashWindowS;
  const shapes: unknown[] = [
    { type: 'rect', xref: 'x', yref: 'paper', x0: window.min, x1: window.max, y0: 0, y1: 1, fillcolor: COLORS.window, line: { width: 0 }, layer: 'below' },
  ];
  const annotations: unknown[] = [
    { x: (window.min + window.max) / 2, xref: 'x', yref: 'paper', y: 1.02, text: `OOM window ${minutesRangeText(window)} (§5)`, showarrow: false, font: { size: 11 } },
  ];
  const placed = highlight?.model_switch.crash_after_s ?? null;
  if (highlight && placed !== null) {
    const m = verticalMarker(placed, COLORS.dead, `${highlight.worker_id}: ${placed.toFixed(0)} s`, 'solid');
    shapes.push(m.shape);
    annotations.push({ ...m.annotation, y: 0.95 });
  }
  return {
    data: groups.map((g) => ({
      type: 'histogram',
      name: `${g.key} (n=${g.crashed}, median ${g.median_s === null ? '–' : g.median_s.toFixed(0)} s)`,
      x: g.timings_s,
      xbins: { start: 0, end: THRESHOLDS.modelLoadCrashWindowS, size: BIN_S },
      opacity: groups.length > 1 ? 0.7 : 1,
      hovertemplate: '%{x} s: %{y} crash(es)<extra>' + g.key + '</extra>',
    })),
    layout: baseLayout(
      `Time from MODEL SWITCH to death, ${timing.overall.crashed} crash(es) of ${timing.overall.switched} switching worker(s), by ${timing.by}`,
      {
        barmode: 'stack',
        xaxis: { title: { text: 'seconds from MODEL SWITCH to the last DB heartbeat' }, range: [0, THRESHOLDS.modelLoadCrashWindowS] },
        yaxis: { title: { text: 'workers' }, dtick: 1 },
        shapes,
        annotations,
      },
    ),
  };
}

/** Per group: the spread of timings (box with every point) and the crash rate. */
export function crashTimingByGroupFigure(timing: CrashTiming): Figure {
  const groups = timing.groups;
  return {
    data: [
      ...groups
        .filter((g) => g.timings_s.length > 0)
        .map((g) => ({
          type: 'box',
          name: g.key,
          y: g.timings_s,
          boxpoints: 'all',
          jitter: 0.4,
          pointpos: 0,
          showlegend: false,
          hovertemplate: '%{y:.0f} s<extra>' + g.key + '</extra>',
        })),
      {
        type: 'scatter',
        mode: 'markers+text',
        name: 'crash rate',
        x: groups.map((g) => g.key),
        y: groups.map((g) => g.crash_rate),
        yaxis: 'y2',
        text: groups.map((g) => `${g.crashed}/${g.switched}`),
        textposition: 'top center',
        marker: { symbol: 'diamond', size: 11, color: COLORS.dead },
        hovertemplate: '%{x}: %{text} crashed (%{y:.0%})<extra></extra>',
      },
    ],
    layout: baseLayout(`Crash timing and crash rate by ${timing.by}`, {
      yaxis: { title: { text: 'switch → death (s)' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'crash rate' }, overlaying: 'y', side: 'right', range: [0, 1.1], tickformat: '.0%' },
      xaxis: { type: 'category', automargin: true },
      margin: { l: 60, r: 60, t: 50, b: 80 },
    }),
  };
}

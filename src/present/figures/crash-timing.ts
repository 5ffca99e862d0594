/**
 * Crash timing across failed workers: time from MODEL SWITCH to death, as a histogram per group
 * with the guide's 1.5–5 min OOM window shaded, and optionally one worker placed on it.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import type { CrashTiming } from '../../analyses/crash-timing.js';
import { baseLayout, BOTTOM_MARGIN_PX, bottomMarginFor, COLORS, eventMarks, GROUP_COLORS, type EventMark, type Figure } from './figure.js';
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
  const placed = highlight?.model_switch.crash_after_s ?? null;
  // Labels above the plot, in rows that never overlap: the window's (its edges are the shaded
  // area's), and the worker's in a white box with a red border, clear of every bar whatever its
  // colour; the worker's red line is drawn over the bars, which are never red (GROUP_COLORS).
  const marks: EventMark[] = [
    { at: window.min, x: window.min, label: `OOM window ${minutesRangeText(window)} (§5)`, color: '#8a5a00', line: false },
  ];
  if (highlight && placed !== null) {
    marks.push({ at: placed, x: placed, label: `${highlight.worker_id}: ${placed.toFixed(0)} s`, color: COLORS.dead, dash: 'solid', boxed: true });
  }
  const labelled = eventMarks(marks, [0, THRESHOLDS.modelLoadCrashWindowS]);
  shapes.push(...labelled.shapes);
  const annotations = labelled.annotations;
  const names = groups.map((g) => `${g.key} (n=${g.crashed}, median ${g.median_s === null ? '–' : g.median_s.toFixed(0)} s)`);
  const bottom = groups.length > 1 ? bottomMarginFor(names) : BOTTOM_MARGIN_PX;
  return {
    data: groups.map((g, i) => ({
      type: 'histogram',
      name: names[i],
      x: g.timings_s,
      xbins: { start: 0, end: THRESHOLDS.modelLoadCrashWindowS, size: BIN_S },
      marker: { color: GROUP_COLORS[i % GROUP_COLORS.length] },
      opacity: groups.length > 1 ? 0.85 : 1,
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
        margin: { l: 60, r: 20, t: labelled.topMargin, b: bottom },
        height: 400 + labelled.topMargin - 50 + bottom - BOTTOM_MARGIN_PX,
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

/**
 * Figures are Plotly specs (`{data, layout}`) built by pure functions over analysis results: they
 * can be snapshot-tested as JSON and are drawn only in a browser (plotly.js does not run in Node).
 */
export type Trace = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

/** One palette for every figure, so a state or level has the same colour everywhere. */
export const COLORS = {
  alive: '#2ca02c',
  aging: '#ff9f1c',
  dead: '#d62728',
  stale: '#d62728',
  never: '#7f7f7f',
  terminated: '#9467bd',
  error: '#8c1c13',
  switch: '#1f77b4',
  vlm: '#17becf',
  asOf: '#444444',
  gap: 'rgba(214, 39, 40, 0.18)',
  window: 'rgba(255, 159, 28, 0.15)',
} as const;

export const LEVEL_COLORS: Readonly<Record<string, string>> = {
  DEBUG: '#9e9e9e',
  INFO: '#1f77b4',
  WARNING: '#ff9f1c',
  ERROR: '#d62728',
  CRITICAL: '#8c1c13',
};

export const TASK_STATUS_COLORS: Readonly<Record<string, string>> = {
  Queued: '#9e9e9e',
  'In Progress': '#ff9f1c',
  Complete: '#2ca02c',
  Failed: '#d62728',
  Cancelled: '#9467bd',
};

/** Colours for groups of bars (histograms by GPU, model…): never the red of a death, which marks the worker. */
export const GROUP_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'] as const;

/** Pixels at the bottom of every figure: tick labels, the date line of a date axis, the axis title, then the legend. */
export const BOTTOM_MARGIN_PX = 120;

export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    // Pinned to the top of the figure, so that labels placed in the top margin stay clear of it.
    title: { text: title, font: { size: 15 }, x: 0.01, xanchor: 'left', yref: 'container', y: 1, yanchor: 'top', pad: { t: 10 } },
    margin: { l: 60, r: 20, t: 50, b: BOTTOM_MARGIN_PX },
    height: 400,
    hovermode: 'closest',
    // At the foot of the figure (container, not plot, coordinates), below the axis title and the
    // date line of a date axis whatever the plot's height: paper coordinates put it over them.
    legend: { orientation: 'h', x: 0, xanchor: 'left', yref: 'container', y: 0, yanchor: 'bottom' },
    ...extra,
  };
}

/** Height of one row of a horizontal legend. */
const LEGEND_ROW_PX = 20;

/**
 * The bottom margin for a horizontal legend of these entries: BOTTOM_MARGIN_PX holds one row; a
 * legend that wraps at the layout width gets a row more each, so it never climbs onto the axis.
 */
export function bottomMarginFor(legendNames: readonly string[]): number {
  let rows = 1;
  let used = 0;
  for (const name of legendNames) {
    const width = 40 + name.length * LABEL_CHAR_PX;
    if (used > 0 && used + width > LABEL_LAYOUT_WIDTH_PX) {
      rows += 1;
      used = 0;
    }
    used += width;
  }
  return BOTTOM_MARGIN_PX + (rows - 1) * LEGEND_ROW_PX;
}

/** A vertical line across the plot at an x value (date or number), with a label. */
export function verticalMarker(x: string | number, color: string, label: string, dash = 'dash') {
  return {
    shape: { type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 2, dash } },
    annotation: { x, xref: 'x', yref: 'paper', y: 1.02, text: label, showarrow: false, font: { size: 11, color }, xanchor: 'left' },
  };
}

/** An instant or value marked on a figure by a vertical line with a label above the plot. */
export interface EventMark {
  /** Where on the x axis, as a number on the axis's own scale (µs for instants, seconds…). */
  at: number;
  /** The same position as Plotly wants it (an ISO string on a date axis). */
  x: string | number;
  label: string;
  color: string;
  dash?: string;
  /** Shown on hover over the label (e.g. the exact instant). */
  hover?: string;
  /** Draw the vertical line (default); false: the label only. */
  line?: boolean;
  /** Draw the label in a white box with a border of its colour, readable over anything. */
  boxed?: boolean;
}

/**
 * The plot width labels are laid out for. A wider plot only spreads them further apart; figures
 * are drawn wider than this in notebooks and reports (the browser test draws them at 1280 px).
 */
export const LABEL_LAYOUT_WIDTH_PX = 640;
/** A generous width per character of an 11 px label, capitals included, and the box around it. */
const LABEL_CHAR_PX = 7.5;
const LABEL_PAD_PX = 14;
/** Height of one row of labels above the plot. */
export const LABEL_ROW_PX = 19;

/**
 * Vertical lines with their labels above the plot, staggered into rows so that no two labels
 * overlap however close the events are (an OOM's switch, last line and last heartbeat fall seconds
 * apart). Each label is anchored at its line, to the right of it in the left half of the plot and
 * to the left of it in the right half, and goes in the lowest row where it clears every label
 * already placed at the layout width. Returns the shapes, the annotations and the top margin the
 * rows need under a one-line title.
 */
export function eventMarks(marks: readonly EventMark[], range: readonly [number, number]): { shapes: unknown[]; annotations: unknown[]; topMargin: number } {
  const span = range[1] - range[0] || 1;
  const rows: [number, number][][] = [];
  const placed = [...marks]
    .sort((a, b) => a.at - b.at || a.label.localeCompare(b.label))
    .map((mark) => {
      const px = ((mark.at - range[0]) / span) * LABEL_LAYOUT_WIDTH_PX;
      const width = mark.label.length * LABEL_CHAR_PX + LABEL_PAD_PX;
      const right = px > LABEL_LAYOUT_WIDTH_PX / 2;
      const box: [number, number] = right ? [px - width, px] : [px, px + width];
      let row = rows.findIndex((taken) => taken.every(([a, b]) => box[1] <= a || box[0] >= b));
      if (row === -1) row = rows.push([]) - 1;
      rows[row]!.push(box);
      return { mark, row, right };
    });
  return {
    shapes: placed.filter(({ mark }) => mark.line !== false).map(({ mark }) => ({
      type: 'line', xref: 'x', yref: 'paper', x0: mark.x, x1: mark.x, y0: 0, y1: 1, line: { color: mark.color, width: 2, dash: mark.dash ?? 'dash' },
    })),
    annotations: placed.map(({ mark, row, right }) => ({
      x: mark.x,
      xref: 'x',
      yref: 'paper',
      y: 1,
      yanchor: 'bottom',
      yshift: 3 + row * LABEL_ROW_PX,
      xanchor: right ? 'right' : 'left',
      text: mark.label,
      showarrow: false,
      font: { size: 11, color: mark.boxed ? '#222222' : mark.color },
      ...(mark.boxed ? { bgcolor: '#ffffff', bordercolor: mark.color, borderwidth: 1.5, borderpad: 2 } : {}),
      ...(mark.hover ? { hovertext: mark.hover } : {}),
    })),
    topMargin: 44 + Math.max(1, rows.length) * LABEL_ROW_PX + 6,
  };
}

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

export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 15 } },
    margin: { l: 60, r: 20, t: 50, b: 110 },
    height: 400,
    hovermode: 'closest',
    // Below the x-axis title, not over it.
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    ...extra,
  };
}

/** A vertical line across the plot at an x value (date or number), with a label. */
export function verticalMarker(x: string | number, color: string, label: string, dash = 'dash') {
  return {
    shape: { type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 2, dash } },
    annotation: { x, xref: 'x', yref: 'paper', y: 1.02, text: label, showarrow: false, font: { size: 11, color }, xanchor: 'left' },
  };
}

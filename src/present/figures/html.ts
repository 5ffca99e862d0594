/**
 * Figures as self-contained HTML for notebooks and reports. nbconvert drops Plotly's JSON MIME
 * type, so a figure is a <div> plus a script calling Plotly.newPlot; plotly.js itself (the
 * cartesian bundle, 1.5 MB: scatter, bar, histogram, box) is embedded once per notebook by
 * `plotlyLoaderHtml()`, and each figure's script waits for it. Nothing is fetched from a network.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { redactDeep } from '../../redact.js';
import { safeHtml } from '../html.js';
import type { Figure } from './figure.js';

const require = createRequire(import.meta.url);
let bundle: string | null = null;

export function plotlyBundle(): string {
  bundle ??= readFileSync(require.resolve('plotly.js-cartesian-dist-min/plotly-cartesian.min.js'), 'utf8');
  return bundle;
}

/** JSON safe inside <script>: no `</script>`, no `<!--`, no line separators that end a JS string. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** plotly.js, inline; display it once, before the first figure. */
export function plotlyLoaderHtml(): string {
  return `<script type="text/javascript">/* plotly.js cartesian bundle, embedded so the report works offline */\n${plotlyBundle()}\n</script>`;
}

/** Class of the JSON script tag holding a figure's spec, next to its <div>. */
export const FIGURE_SPEC_CLASS = 'wf-plot-spec';
/** Class of the static picture put inside a figure's <div> after rendering; the drawing script removes it. */
export const STATIC_FIGURE_CLASS = 'wf-plot-static';

let counter = 0;

/** True when some trace has a point to draw (an empty plot would only show axes). */
export function hasData(figure: Figure): boolean {
  return figure.data.some((trace) => ['x', 'y'].some((axis) => Array.isArray(trace[axis]) && (trace[axis] as unknown[]).some((v) => v !== null && v !== undefined)));
}

function titleOf(figure: Figure): string {
  const title = figure.layout['title'];
  const text = title && typeof title === 'object' ? (title as { text?: unknown }).text : title;
  return typeof text === 'string' ? text : 'this figure';
}

/** The figure as a <div> and a Plotly.newPlot script; a figure with nothing to draw as one line saying so. */
export function figureHtml(figure: Figure, options: { id?: string } = {}): string {
  if (!hasData(figure)) {
    return `<p class="wf-plot-empty" style="color:#666;font-size:13px">Nothing to plot: ${safeHtml(titleOf(figure))}.</p>`;
  }
  const spec = redactDeep(figure);
  const json = scriptSafeJson(spec);
  const id = options.id ?? `wf-plot-${createHash('sha1').update(json).digest('hex').slice(0, 10)}-${++counter}`;
  const height = typeof spec.layout['height'] === 'number' ? spec.layout['height'] : 360;
  // The spec travels in its own JSON script tag, so that the renderer can draw a static picture of
  // the same figure after the notebook ran (src/notebook/static-figures.ts) and viewers that run no
  // script can show that instead; the drawing script reads it from there and replaces the picture.
  return (
    `<div id="${id}" class="wf-plot" style="width:100%;min-height:${height}px"></div>\n` +
    `<script type="application/json" class="${FIGURE_SPEC_CLASS}" id="${id}-spec">${json}</script>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var spec = JSON.parse(document.getElementById(${JSON.stringify(`${id}-spec`)}).textContent);\n` +
    `  function draw(tries) {\n` +
    `    var plot = document.getElementById(${JSON.stringify(id)});\n` +
    `    if (window.Plotly) {\n` +
    `      plot.querySelectorAll('.${STATIC_FIGURE_CLASS}').forEach(function (picture) { picture.remove(); });\n` +
    `      window.Plotly.newPlot(${JSON.stringify(id)}, spec.data, spec.layout, {responsive: true, displaylogo: false});\n` +
    `      return;\n` +
    `    }\n` +
    `    if (tries > 200) { if (!plot.querySelector('.${STATIC_FIGURE_CLASS}')) plot.textContent = 'plotly.js is not loaded: run the notebook from its first cell.'; return; }\n` +
    `    setTimeout(function () { draw(tries + 1); }, 50);\n` +
    `  }\n` +
    `  draw(0);\n` +
    `})();</script>`
  );
}


/**
 * Static pictures of a rendered notebook's figures, for viewers that run no script: an untrusted
 * notebook in Jupyter, a repository's notebook preview, nbviewer-style sites, a Markdown document.
 *
 * A figure's HTML fragment carries its Plotly spec in a JSON script tag (present/figures/html.ts).
 * After the notebook ran, every output holding such a spec gets, in the same output bundle:
 * - `image/svg+xml`: the figure drawn by the same plotly.js from the same spec, in headless
 *   Chromium (the one the set-up installs, driven by playwright-core; nothing is downloaded);
 * - `application/vnd.plotly.v1+json`: the spec itself, which JupyterLab's and VS Code's Plotly
 *   renderers draw natively;
 * - and its `text/html` keeps the interactive figure, with the picture inside the figure's <div>
 *   as an <img>, which the drawing script removes once plotly.js is there.
 * One browser draws every figure of a render, all in one page.
 */
import { existsSync } from 'node:fs';
import type { Figure } from '../present/figures/figure.js';
import { FIGURE_SPEC_CLASS, STATIC_FIGURE_CLASS, plotlyBundle } from '../present/figures/html.js';
import { escapeHtml, svgDataUri } from '../present/html.js';
import type { Notebook } from './parameters.js';

export const CHROMIUM_ENV = 'WORKER_FORENSICS_CHROMIUM';
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** Width of a static picture, in CSS pixels (figures set their own height). */
export const STATIC_FIGURE_WIDTH = 960;
const DEFAULT_FIGURE_HEIGHT = 400;
export const SVG_MIME = 'image/svg+xml';
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium is not there (or does not start): the notebook is still written, without pictures. */
export class ChromiumUnavailableError extends Error {
  override readonly name = 'ChromiumUnavailableError';
}

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env[CHROMIUM_ENV] || DEFAULT_CHROMIUM;
}

const SPEC_TAG = new RegExp(`<script type="application/json" class="${FIGURE_SPEC_CLASS}" id="([^"]+)-spec">([\\s\\S]*?)</script>`, 'g');

export interface FigureSpecInHtml {
  /** The id of the figure's <div>. */
  id: string;
  spec: Figure;
}

/** Every figure spec an HTML fragment carries, in order. */
export function figureSpecsIn(html: string): FigureSpecInHtml[] {
  return [...html.matchAll(SPEC_TAG)].map((m) => ({ id: m[1]!, spec: JSON.parse(m[2]!) as Figure }));
}

/** The figure's title, for alt texts and file links. */
export function figureTitle(figure: Figure): string {
  const title = figure.layout['title'];
  const text = title && typeof title === 'object' ? (title as { text?: unknown }).text : title;
  return typeof text === 'string' ? text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() : 'figure';
}

/** Draws figures as SVG documents; one browser, closed by `close`. */
export interface FigureRenderer {
  svgs(figures: readonly Figure[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with plotly.js loaded in one blank page (no network: every request is
 * refused). ChromiumUnavailableError when the browser is missing or does not start.
 */
export async function openFigureRenderer(env: NodeJS.ProcessEnv = process.env): Promise<FigureRenderer> {
  const executablePath = chromiumPath(env);
  if (!existsSync(executablePath)) {
    throw new ChromiumUnavailableError(`Chromium is not installed at ${executablePath} (set ${CHROMIUM_ENV}, or run \`npm run setup\`)`);
  }
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new ChromiumUnavailableError(`Chromium at ${executablePath} did not start: ${String((error as Error).message ?? error).split('\n')[0]}`);
  }
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: plotlyBundle() });
    return {
      async svgs(figures) {
        if (figures.length === 0) return [];
        const jobs = figures.map((f) => ({
          data: f.data,
          layout: { ...f.layout, width: STATIC_FIGURE_WIDTH },
          width: STATIC_FIGURE_WIDTH,
          height: typeof f.layout['height'] === 'number' ? f.layout['height'] : DEFAULT_FIGURE_HEIGHT,
        }));
        return page.evaluate(async (all) => {
          const plotly = (globalThis as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
          const out: string[] = [];
          for (const job of all) {
            const url = await plotly.toImage({ data: job.data, layout: job.layout }, { format: 'svg', width: job.width, height: job.height });
            out.push(decodeURIComponent(url.slice(url.indexOf(',') + 1)));
          }
          return out;
        }, jobs);
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** One figure of a rendered notebook with its picture. */
export interface StaticFigure {
  title: string;
  spec: Figure;
  svg: string;
}

type Output = Record<string, unknown> & { data?: Record<string, unknown> };

function textOf(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

/** The SVG as an <img> placed inside the figure's <div>, where the drawing script finds and removes it. */
function withPicture(html: string, id: string, figure: Figure, svg: string): string {
  const img =
    `<img class="${STATIC_FIGURE_CLASS}" alt="${escapeHtml(figureTitle(figure))}" style="max-width:100%" ` +
    `src="${svgDataUri(svg)}">`;
  const open = `<div id="${id}" class="wf-plot"`;
  const at = html.indexOf(open);
  if (at < 0) return html;
  const end = html.indexOf('>', at);
  return html.slice(0, end + 1) + img + html.slice(end + 1);
}

/** Whether some output of `notebook` holds a figure (else no browser is needed). */
export function hasFigures(notebook: Notebook): boolean {
  return notebook.cells.some((cell) => ((cell.outputs ?? []) as Output[]).some((output) => textOf(output.data?.['text/html']).includes(FIGURE_SPEC_CLASS)));
}

/**
 * Adds the static pictures to every figure output of `notebook` (changed in place) and returns the
 * figures in document order. An output holding one figure gets `image/svg+xml` and the Plotly MIME
 * type; every figure gets its picture inside its <div>.
 */
export async function addStaticFigures(notebook: Notebook, renderer: FigureRenderer): Promise<StaticFigure[]> {
  const found: { output: Output; specs: FigureSpecInHtml[] }[] = [];
  for (const cell of notebook.cells) {
    for (const output of (cell.outputs ?? []) as Output[]) {
      const html = textOf(output.data?.['text/html']);
      if (!html.includes(FIGURE_SPEC_CLASS)) continue;
      const specs = figureSpecsIn(html);
      if (specs.length > 0) found.push({ output, specs });
    }
  }
  const svgs = await renderer.svgs(found.flatMap((f) => f.specs.map((s) => s.spec)));
  const figures: StaticFigure[] = [];
  let next = 0;
  for (const { output, specs } of found) {
    const data = output.data!;
    let html = textOf(data['text/html']);
    const mine = specs.map((s) => ({ ...s, svg: svgs[next++]! }));
    for (const s of mine) {
      html = withPicture(html, s.id, s.spec, s.svg);
      figures.push({ title: figureTitle(s.spec), spec: s.spec, svg: s.svg });
    }
    data['text/html'] = html;
    if (mine.length === 1) {
      data[SVG_MIME] = mine[0]!.svg;
      data[PLOTLY_MIME] = mine[0]!.spec;
    }
  }
  return figures;
}

/**
 * An SVG as the secret check reads it: every tag set apart by spaces. plotly.js writes a multi-line
 * text as one <tspan> per line, so `password=` ending a line is followed by `</tspan>`, which a
 * check of the raw markup would take for the parameter's value. The tags themselves (attributes
 * included) are still checked.
 */
export function svgForSecretCheck(svg: string): string {
  return svg.replace(/<[^>]*>/g, (tag) => ` ${tag} `);
}

/** The notebook as the secret check reads it: its SVG outputs through svgForSecretCheck. */
export function notebookForSecretCheck(notebook: Notebook): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) =>
      cell.outputs === undefined
        ? cell
        : {
            ...cell,
            outputs: (cell.outputs as Output[]).map((output) =>
              output.data && typeof output.data[SVG_MIME] === 'string' ? { ...output, data: { ...output.data, [SVG_MIME]: svgForSecretCheck(output.data[SVG_MIME] as string) } } : output,
            ),
          },
    ),
  };
}

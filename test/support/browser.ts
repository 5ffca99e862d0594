/**
 * Opening a rendered report in headless Chromium (Debian's `chromium`, driven by playwright-core)
 * with the network cut off: every request that is not for a file: or data: URL is aborted and
 * recorded, so a test proves that the page needs no network.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS as RENDER_CHROMIUM_ARGS, chromiumPath } from '../../src/notebook/static-figures.js';

/** The Chromium the renderer draws static figures with (WORKER_FORENSICS_CHROMIUM, else Debian's). */
export const CHROMIUM = chromiumPath();
/** The renderer's headless flags; QUIC off as well, so that every request goes through the route below. */
const CHROMIUM_ARGS = [...RENDER_CHROMIUM_ARGS, '--disable-quic'];

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page, in order. */
  consoleErrors: string[];
  /** URLs the page tried to fetch from the network (all were refused). */
  blockedRequests: string[];
  close(): Promise<void>;
}

export function openInChromium(htmlPath: string): Promise<OpenedPage> {
  return openPage(pathToFileURL(path.resolve(htmlPath)).href, () => false);
}

/**
 * Opens `url` in headless Chromium with every request but file:, data: and those `allowed` aborted
 * and recorded, and the page's console errors collected.
 */
async function openPage(url: string, allowed: (requested: string) => boolean, viewport?: { width: number; height: number }): Promise<OpenedPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm run setup\` (Debian package chromium)`);
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext(viewport ? { viewport } : {});
    const blockedRequests: string[] = [];
    await context.route('**/*', (route) => {
      const requested = route.request().url();
      if (requested.startsWith('file:') || requested.startsWith('data:') || allowed(requested)) return route.continue();
      blockedRequests.push(requested);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(url, { waitUntil: 'load' });
    return { page, consoleErrors, blockedRequests, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export interface PlotCheck {
  id: string;
  marks: number;
}

/**
 * Checks that every Plotly plot on the page drew: each `.js-plotly-plot` / `.plotly-graph-div` has
 * an `svg.main-svg` holding marks (lines, markers, bars, boxes or heatmap images). Throws naming
 * the plots that did not; returns the mark count of each plot.
 */
export async function assertPlotsDrew(page: Page): Promise<PlotCheck[]> {
  const plots = await page.$$eval('.js-plotly-plot, .plotly-graph-div', (found) =>
    found.map((plot, i) => ({
      id: (plot.id as string) || `plot #${i + 1}`,
      svgs: plot.querySelectorAll('svg.main-svg').length as number,
      // Trace groups hold the marks: lines, markers, bars (g.point > path), boxes, fills, heatmap images.
      marks: plot.querySelectorAll(
        'svg.main-svg .trace path.js-line, svg.main-svg .trace path.point, svg.main-svg .trace .point > path, ' +
          'svg.main-svg .trace path.box, svg.main-svg .trace path.js-fill, svg.main-svg .trace image',
      ).length as number,
    })),
  );
  if (plots.length === 0) throw new Error('no Plotly plot on the page');
  const blank = plots.filter((p) => p.svgs === 0 || p.marks === 0);
  if (blank.length > 0) {
    const reasons = blank.map((p) => `${p.id} (${p.svgs === 0 ? 'no svg.main-svg' : 'no marks'})`);
    throw new Error(`${blank.length} of ${plots.length} Plotly plot(s) did not draw: ${reasons.join(', ')}`);
  }
  return plots.map(({ id, marks }) => ({ id, marks }));
}

/**
 * Opens a page served over HTTP on this machine (a notebook server on 127.0.0.1) in headless
 * Chromium: requests to `origin` and to file:/data: URLs go through, every other one is aborted
 * and recorded, as for openInChromium.
 */
export function openUrlInChromium(url: string, options: { width?: number; height?: number } = {}): Promise<OpenedPage> {
  const origin = new URL(url).origin;
  return openPage(url, (requested) => requested.startsWith(`${origin}/`), { width: options.width ?? 1280, height: options.height ?? 900 });
}

/**
 * Static pictures of figures: the spec a figure's HTML carries, the output bundle after the
 * pictures are added (with a stand-in renderer), and the real renderer (Debian's Chromium, the
 * checkout's plotly.js) drawing SVGs that hold plot marks.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Figure } from '../../src/present/figures/figure.js';
import { figureHtml, STATIC_FIGURE_CLASS } from '../../src/present/figures/html.js';
import {
  ChromiumUnavailableError,
  PLOTLY_MIME,
  SVG_MIME,
  addStaticFigures,
  figureSpecsIn,
  figureTitle,
  openFigureRenderer,
  svgForSecretCheck,
  type FigureRenderer,
} from '../../src/notebook/static-figures.js';
import { findSecrets } from '../../src/redact.js';
import { svgFromDataUri } from '../../src/present/html.js';
import { codeCell, notebook } from '../support/notebooks.js';
import { CHROMIUM } from '../support/browser.js';

const scatter: Figure = {
  data: [{ type: 'scatter', mode: 'lines+markers', x: [0, 1, 2, 3], y: [0, 1, 4, 9], name: 'squares' }],
  layout: { title: { text: 'Squares </script> & <b>more</b>' }, height: 300 },
};
const bars: Figure = { data: [{ type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2] }], layout: { title: { text: 'Bars' } } };

function display(html: string) {
  return { output_type: 'display_data', data: { 'text/html': html }, metadata: {} };
}

/** Stands in for Chromium: one recognisable SVG per figure, and every call recorded. */
function fakeRenderer(): FigureRenderer & { calls: Figure[][] } {
  const calls: Figure[][] = [];
  return {
    calls,
    svgs: async (figures) => {
      calls.push([...figures]);
      return figures.map((f, i) => `<svg class="main-svg" data-n="${i}"><text>${figureTitle(f)}</text></svg>`);
    },
    close: async () => undefined,
  };
}

describe('figureSpecsIn', () => {
  it('reads back the spec a figure fragment carries, however its text is escaped', () => {
    const html = figureHtml(scatter, { id: 'p1' }) + '<p>between</p>' + figureHtml(bars, { id: 'p2' });
    expect(figureSpecsIn(html)).toEqual([
      { id: 'p1', spec: scatter },
      { id: 'p2', spec: bars },
    ]);
    // The spec's own "</script>" cannot end the tag early.
    expect(html).not.toContain('Squares </script>');
  });

  it('finds nothing in HTML without a figure (an empty figure is a sentence, not a spec)', () => {
    expect(figureSpecsIn('<table><tr><td>1</td></tr></table>')).toEqual([]);
    expect(figureSpecsIn(figureHtml({ data: [{ type: 'bar', x: [], y: [] }], layout: {} }))).toEqual([]);
  });
});

describe('addStaticFigures', () => {
  it('puts the SVG and the Plotly spec next to the HTML of each one-figure output, and the picture inside its div', async () => {
    const nb = notebook([
      codeCell('a', [], [display('<p>no figure</p>'), display(figureHtml(scatter, { id: 'p1' }))]),
      codeCell('b', [], [{ output_type: 'stream', name: 'stdout', text: 'hello\n' }, display(figureHtml(bars, { id: 'p2' }))]),
    ]);
    const renderer = fakeRenderer();
    const figures = await addStaticFigures(nb, renderer);
    // One call for the whole notebook: one page draws every figure.
    expect(renderer.calls).toEqual([[scatter, bars]]);
    expect(figures.map((f) => f.title)).toEqual(['Squares & more', 'Bars']);
    const [first, second] = [nb.cells[0]!.outputs![1], nb.cells[1]!.outputs![1]] as { data: Record<string, unknown> }[];
    expect(Object.keys(first!.data).sort()).toEqual([PLOTLY_MIME, SVG_MIME, 'text/html'].sort());
    expect(first!.data[SVG_MIME]).toBe('<svg class="main-svg" data-n="0"><text>Squares & more</text></svg>');
    expect(first!.data[PLOTLY_MIME]).toEqual(scatter);
    expect(second!.data[SVG_MIME]).toContain('data-n="1"');
    const html = first!.data['text/html'] as string;
    const picture = `<div id="p1" class="wf-plot" style="width:100%;min-height:300px"><img class="${STATIC_FIGURE_CLASS}"`;
    expect(html).toContain(picture);
    const src = /src="(data:image\/svg\+xml,[^"]+)"/.exec(html)![1]!;
    expect(svgFromDataUri(src)).toBe(first!.data[SVG_MIME]);
    // The output without a figure is untouched.
    expect(nb.cells[0]!.outputs![0]).toEqual(display('<p>no figure</p>'));
  });

  it('an output with two figures keeps both pictures in its HTML but no single SVG for the bundle', async () => {
    const nb = notebook([codeCell('a', [], [display(figureHtml(scatter, { id: 'p1' }) + figureHtml(bars, { id: 'p2' }))])]);
    expect(await addStaticFigures(nb, fakeRenderer())).toHaveLength(2);
    const data = (nb.cells[0]!.outputs![0] as { data: Record<string, unknown> }).data;
    expect(Object.keys(data)).toEqual(['text/html']);
    expect((data['text/html'] as string).split(`class="${STATIC_FIGURE_CLASS}"`)).toHaveLength(3);
  });

  it('the drawing script removes the picture before plotly.js draws', () => {
    const html = figureHtml(scatter, { id: 'p1' });
    expect(html).toContain(`plot.querySelectorAll('.${STATIC_FIGURE_CLASS}').forEach(function (picture) { picture.remove(); });`);
  });
});

describe('openFigureRenderer', { timeout: 60_000 }, () => {
  let renderer: FigureRenderer | undefined;
  afterAll(async () => renderer?.close());

  it('draws each figure from its spec with plotly.js in Chromium: SVG documents with the plot marks', async () => {
    renderer = await openFigureRenderer({ ...process.env, WORKER_FORENSICS_CHROMIUM: CHROMIUM });
    const [line, bar] = await renderer.svgs([scatter, bars]);
    for (const svg of [line!, bar!]) {
      expect(svg).toMatch(/^<svg class="main-svg" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).not.toMatch(/<script|href="(https?|file):/);
    }
    expect(line).toContain('class="trace scatter');
    expect(line).toMatch(/class="js-line"/);
    expect(line!.match(/class="point"/g)).toHaveLength(4);
    expect(line).toContain('height="300"');
    expect(bar).toContain('class="trace bars"');
    expect(bar!.match(/class="point"/g)).toHaveLength(3);
    expect(bar).toContain('Bars');
  });

  it('says where it looked when Chromium is missing', async () => {
    const missing = openFigureRenderer({ WORKER_FORENSICS_CHROMIUM: '/nonexistent/chromium' });
    await expect(missing).rejects.toThrow(ChromiumUnavailableError);
    await expect(missing).rejects.toThrow('Chromium is not installed at /nonexistent/chromium (set WORKER_FORENSICS_CHROMIUM, or run `npm run setup`)');
  });
});

describe('svgForSecretCheck', () => {
  it('a line ending in "password=" is not taken for a parameter, a password inside a tag still is', () => {
    // plotly.js writes each line of a text as its own <tspan>.
    const lines = '<text><tspan class="line">auth retry: password=</tspan><tspan class="line">next attempt</tspan></text>';
    expect(findSecrets(lines)).toEqual(['a password parameter']);
    expect(findSecrets(svgForSecretCheck(lines))).toEqual([]);
    expect(findSecrets(svgForSecretCheck('<text data-unformatted="password=hunter22">x</text>'))).toEqual(['a password parameter']);
  });
});

/** Classic Jupyter Notebook's sanitizer for untrusted outputs (Debian's jupyter-notebook ships it). */
const CLASSIC_SANITIZER = '/usr/lib/python3/dist-packages/notebook/static/components/sanitizer/index.js';

describe.skipIf(!existsSync(CLASSIC_SANITIZER))('a figure output in an untrusted notebook', { timeout: 60_000 }, () => {
  it("Jupyter's sanitizer strips the scripts but keeps the picture, which the browser draws", async () => {
    const renderer = await openFigureRenderer({ ...process.env, WORKER_FORENSICS_CHROMIUM: CHROMIUM });
    try {
      const nb = notebook([codeCell('plot()', [], [display(figureHtml(scatter, { id: 'p1' }))])]);
      await addStaticFigures(nb, renderer);
      const html = (nb.cells[0]!.outputs![0] as { data: Record<string, string> }).data['text/html']!;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
        // The bundle is an AMD module: `define(() => exports)`.
        await page.evaluate(() => {
          (globalThis as unknown as { define: (f: () => unknown) => void }).define = (f) => {
            (globalThis as unknown as { sanitizer: unknown }).sanitizer = f();
          };
        });
        await page.addScriptTag({ path: CLASSIC_SANITIZER });
        // As outputarea.js does for an untrusted text/html output: sanitized, CSS dropped.
        const shown = await page.evaluate(async (value) => {
          const { defaultSanitizer } = (globalThis as unknown as { sanitizer: { defaultSanitizer: { sanitize(h: string, o: object): string } } }).sanitizer;
          const clean = defaultSanitizer.sanitize(value, { allowedStyles: {} });
          const out = (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string; querySelectorAll(s: string): ArrayLike<{ naturalWidth: number; decode(): Promise<void> }> } } }).document.getElementById('out');
          out.innerHTML = clean;
          const images = Array.from(out.querySelectorAll('img'));
          await Promise.all(images.map((img) => img.decode()));
          return { scripts: out.querySelectorAll('script').length, widths: images.map((img) => img.naturalWidth) };
        }, html);
        expect(shown).toEqual({ scripts: 0, widths: [960] });
      } finally {
        await browser.close();
      }
    } finally {
      await renderer.close();
    }
  });
});

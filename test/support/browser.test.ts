import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPlotsDrew, openInChromium } from './browser.js';

const require = createRequire(import.meta.url);
const plotlyBundle = readFileSync(require.resolve('plotly.js-cartesian-dist-min'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'wf-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function page(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `<!DOCTYPE html><html><head><meta charset="utf-8"><script>${plotlyBundle}</script></head><body>${body}</body></html>`);
  return file;
}

describe('openInChromium and assertPlotsDrew', { timeout: 60_000 }, () => {
  it('opens a page with plotly.js inline and finds its one scatter drawn, with no network', async () => {
    const file = page(
      'scatter.html',
      '<div id="scatter"></div><script>Plotly.newPlot("scatter", [{ type: "scatter", mode: "lines+markers", x: [1, 2, 3], y: [3, 1, 2] }]);</script>',
    );
    const opened = await openInChromium(file);
    try {
      const plots = await assertPlotsDrew(opened.page);
      expect(plots).toHaveLength(1);
      expect(plots[0]!.id).toBe('scatter');
      // One line and three markers.
      expect(plots[0]!.marks).toBe(4);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.blockedRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('fails for a plot that drew nothing and records refused network requests', async () => {
    const file = page(
      'blank.html',
      '<img src="https://example.invalid/pixel.png"><div id="ok"></div><div id="empty"></div><script>' +
        'Plotly.newPlot("ok", [{ type: "bar", x: ["a", "b"], y: [1, 2] }]);' +
        'Plotly.newPlot("empty", []);</script>',
    );
    const opened = await openInChromium(file);
    try {
      await expect(assertPlotsDrew(opened.page)).rejects.toThrow('1 of 2 Plotly plot(s) did not draw: empty (no marks)');
      expect(opened.blockedRequests).toEqual(['https://example.invalid/pixel.png']);
    } finally {
      await opened.close();
    }
  });

  it('fails when there is no plot at all, and reports page errors', async () => {
    const opened = await openInChromium(page('none.html', '<p>no plot</p><script>undefinedFunction();</script>'));
    try {
      await expect(assertPlotsDrew(opened.page)).rejects.toThrow('no Plotly plot on the page');
      expect(opened.consoleErrors).toEqual(['uncaught: undefinedFunction is not defined']);
    } finally {
      await opened.close();
    }
  });
});

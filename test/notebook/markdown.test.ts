/** A rendered notebook as Markdown: what each kind of cell and output becomes, with --no-input and without. */
import { describe, expect, it } from 'vitest';
import { markdownHtml, notebookMarkdown } from '../../src/notebook/markdown.js';
import { addStaticFigures, PLOTLY_MIME, SVG_MIME, type FigureRenderer } from '../../src/notebook/static-figures.js';
import type { Figure } from '../../src/present/figures/figure.js';
import { figureHtml, plotlyLoaderHtml } from '../../src/present/figures/html.js';
import { codeCell, markdownCell, notebook } from '../support/notebooks.js';

const figure: Figure = { data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { title: { text: 'Heartbeats [gpu-7]' } } };
const picture = '<svg class="main-svg"><g class="trace scatter"></g></svg>';
const renderer: FigureRenderer = { svgs: async (figures) => figures.map(() => picture), close: async () => undefined };

function display(data: Record<string, unknown>) {
  return { output_type: 'display_data', data, metadata: {} };
}

async function rendered() {
  const nb = notebook([
    markdownCell('# Why did it die?\n\nThe checklist.'),
    codeCell('let workerId = "gpu-7";', ['parameters']),
    codeCell('tslab.display.html(wf.plotlyLoaderHtml());\nconsole.log("```fenced```");', [], [
      display({ 'text/html': plotlyLoaderHtml() }),
      { output_type: 'stream', name: 'stdout', text: 'a line with ```fence```\n' },
    ]),
    codeCell('show()', [], [
      display({ 'text/html': '<table style="font-size:12px">\n\n<tr><td onclick="steal()">1</td></tr></table><style>td{}</style><script>alert(1)</script>' }),
      display({ 'text/html': figureHtml(figure, { id: 'f1' }) }),
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '42' }, metadata: {} },
      { output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['\u001b[31mError: boom\u001b[0m', '    at cell'] },
    ]),
  ]);
  await addStaticFigures(nb, renderer);
  return nb;
}

describe('notebookMarkdown', () => {
  it('markdown cells as written, code fenced, text outputs fenced, figures as SVG files linked relatively', async () => {
    const { text, files } = notebookMarkdown(await rendered(), 'gpu-7');
    expect(files).toEqual([{ path: 'gpu-7_files/figure-1.svg', content: picture }]);
    expect(text).toContain('# Why did it die?\n\nThe checklist.');
    expect(text).toContain('```typescript\nlet workerId = "gpu-7";\n```');
    // A fence longer than any backtick run inside.
    expect(text).toContain('````\na line with ```fence```\n````');
    expect(text).toContain('![Heartbeats \\[gpu-7\\]](gpu-7_files/figure-1.svg)');
    expect(text).toContain('<table style="font-size:12px">\n<tr><td>1</td></tr></table>');
    expect(text).toContain('```\n42\n```');
    expect(text).toContain('```\nError: boom\n    at cell\n```');
  });

  it('runs nothing: no script, no style element, no event handler, no plotly.js, no spec', async () => {
    const { text } = notebookMarkdown(await rendered(), 'gpu-7');
    expect(text).not.toMatch(/<script|<style|onclick|Plotly|wf-plot-spec|\u001b/);
    expect(text.length).toBeLessThan(2000);
  });

  it('--no-input leaves the code out and keeps every output', async () => {
    const withInput = notebookMarkdown(await rendered(), 'gpu-7');
    const { text, files } = notebookMarkdown(await rendered(), 'gpu-7', { noInput: true });
    expect(text).not.toContain('```typescript');
    expect(text).not.toContain('tslab.display');
    expect(files).toEqual(withInput.files);
    expect(text).toContain('![Heartbeats \\[gpu-7\\]](gpu-7_files/figure-1.svg)');
    expect(text).toContain('```\n42\n```');
  });

  it('says so where a figure has no picture (Chromium was missing)', () => {
    const nb = notebook([codeCell('plot()', [], [display({ 'text/html': figureHtml(figure, { id: 'f1' }) })])]);
    const { text, files } = notebookMarkdown(nb, 'x');
    expect(files).toEqual([]);
    expect(text).toContain('A figure without its static picture');
  });

  it('takes the pictures out of an output holding several figures', async () => {
    const nb = notebook([codeCell('plot()', [], [display({ 'text/html': figureHtml(figure, { id: 'a' }) + figureHtml(figure, { id: 'b' }) })])]);
    await addStaticFigures(nb, renderer);
    const data = (nb.cells[0]!.outputs![0] as { data: Record<string, unknown> }).data;
    expect(data[SVG_MIME]).toBeUndefined();
    expect(data[PLOTLY_MIME]).toBeUndefined();
    const { text, files } = notebookMarkdown(nb, 'x');
    expect(files.map((f) => [f.path, f.content])).toEqual([
      ['x_files/figure-1.svg', picture],
      ['x_files/figure-2.svg', picture],
    ]);
    expect(text).toContain('](x_files/figure-2.svg)');
  });
});

describe('markdownHtml', () => {
  it('drops blank lines, which would end an HTML block in Markdown', () => {
    expect(markdownHtml('<div>\n\n  \n<p>a</p>\n</div>')).toBe('<div>\n<p>a</p>\n</div>');
  });
});

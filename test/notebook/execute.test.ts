/**
 * Executes fixture notebooks for real: Jupyter (nbclient, nbconvert) and the tslab kernel must be
 * installed (`npm run setup`); without them these tests fail, saying so.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { failureExitCode, renderNotebook, type RenderOptions, type RenderResult } from '../../src/notebook/execute.js';
import { locateJupyter, requireKernel, runPython, RUNNER, type JupyterInstallation } from '../../src/notebook/jupyter.js';
import { packageRoot } from '../../src/package-root.js';
import type { Notebook } from '../../src/notebook/parameters.js';
import { clearRegisteredSecrets, registerSecret } from '../../src/redact.js';
import { assertPlotsDrew, openInChromium } from '../support/browser.js';
import { codeCells, FIXTURE_NOTEBOOKS, fixtureNotebook, outputText, requireJupyter, sourceOf, tslabKernelsIn, waitFor, writeStaleNotebook } from '../support/notebooks.js';

// Against the nbformat 4.5 schema itself: nbformat.read and validate() repair missing cell ids.
const VALIDATE = [
  'import json, sys',
  'from nbformat.validator import get_validator',
  'errors = [e.message for e in get_validator(4, 5).iter_errors(json.load(open(sys.argv[1])))]',
  'sys.exit("; ".join(errors)) if errors else None',
].join('\n');
const outRoot = mkdtempSync(path.join(tmpdir(), 'wf-render-'));
let runs = 0;

function render(notebook: string, parameters: Record<string, unknown>, options: Partial<RenderOptions> = {}) {
  const name = path.basename(notebook, '.ipynb');
  return renderNotebook({ notebook: fixtureNotebook(notebook), parameters, outDir: path.join(outRoot, `run-${runs++}`), name, ...options });
}

function readNotebookJson(file: string): Notebook {
  return JSON.parse(readFileSync(file, 'utf8')) as Notebook;
}

async function expectValidNotebook(file: string): Promise<void> {
  const validation = await runPython((await locateJupyter()).python, ['-c', VALIDATE, file]);
  expect(validation.code, validation.stderr).toBe(0);
}

afterAll(() => {
  clearRegisteredSecrets();
  rmSync(outRoot, { recursive: true, force: true });
});

describe.concurrent('renderNotebook', { timeout: 120_000 }, () => {
  beforeAll(requireJupyter, 60_000);

  it('writes the executed notebook and its HTML, with the injected values in the outputs', async () => {
    const note = 'say "hi" \\ then\nnew line </script><!-- é';
    const result = await render('greets.ipynb', { workerId: 'gpu-7', hours: '6', note });
    expect(result.failure).toBeNull();
    expect(result.ipynb!).toMatch(/run-\d+\/greets\.ipynb$/);
    expect(result.html!).toMatch(/run-\d+\/greets\.html$/);

    const nb = readNotebookJson(result.ipynb!);
    const cells = codeCells(nb);
    expect(cells.map((c) => c.metadata.tags ?? [])).toEqual([['parameters'], ['injected-parameters'], [], []]);
    // The values went through a real tslab run: quotes, backslashes, newlines and </script> intact.
    expect(JSON.parse(outputText(cells[2]!).trim())).toEqual({ workerId: 'gpu-7', hours: 6, verbose: false, note });
    expect(outputText(cells[3]!)).toContain('<p id="greeting">Hello gpu-7, 12 half-hours</p>');
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
    expect(nb.metadata['papermill']).toEqual({ parameters: { workerId: 'gpu-7', hours: 6, note } });
    expect(nb.metadata['worker_forensics']).toMatchObject({ parameters: { workerId: 'gpu-7', hours: 6, verbose: false, note } });
    expect(nb.metadata['language_info']).toMatchObject({ name: 'typescript' });
    expect(nb.nbformat_minor).toBe(5);
    await expectValidNotebook(result.ipynb!);

    const html = readFileSync(result.html!, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<p id="greeting">Hello gpu-7, 12 half-hours</p>');
    expect(html).toContain('<title>greets</title>');
    expect(html).not.toMatch(/file:\/\//);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    // Only the two files, no temporary ones left behind.
    expect(readdirSync(path.dirname(result.ipynb!)).sort()).toEqual(['greets.html', 'greets.ipynb']);
  });

  it('runs the notebook with no outputs from an earlier run', async () => {
    const stale = writeStaleNotebook();
    const result = await renderNotebook({ notebook: stale, parameters: { workerId: 'gpu-fresh' }, outDir: path.join(outRoot, `run-${runs++}`), name: 'stale' });
    expect(result.failure).toBeNull();
    const text = readFileSync(result.ipynb!, 'utf8');
    expect(text).not.toContain('stale output');
    expect(text).not.toContain('stale display');
    expect(text).not.toContain('gpu-stale');
    expect(text).not.toContain('code cell 9');
    const nb = readNotebookJson(result.ipynb!);
    expect(nb.cells.map((c) => c.metadata.tags ?? [])).toEqual([['parameters'], ['injected-parameters'], []]);
    expect(outputText(nb.cells[2]!)).toBe('worker is gpu-fresh\n');
  });

  it('stops at a cell that throws: both files written, the failure named at the top', async () => {
    const result = await render('throws.ipynb', { errorName: 'NotFoundError', message: 'worker gpu-9 not found' });
    expect(result.failure).toEqual({ kind: 'error', cellIndex: 3, ename: 'NotFoundError', evalue: 'worker gpu-9 not found' });
    expect(failureExitCode(result.failure!)).toBe(EXIT_CODES.notFound);

    const nb = readNotebookJson(result.ipynb!);
    const top = nb.cells[0]!;
    expect(top.cell_type).toBe('markdown');
    expect(top.metadata.tags).toEqual(['execution-failure']);
    await expectValidNotebook(result.ipynb!);
    expect(sourceOf(top)).toContain('This run stopped at code cell 3');
    expect(sourceOf(top)).toContain('console.log(&quot;before the failure&quot;);');
    const cells = codeCells(nb);
    expect(outputText(cells[2]!)).toContain('before the failure');
    expect(outputText(cells[2]!)).toContain('NotFoundError: worker gpu-9 not found');
    expect(cells[3]!.outputs).toEqual([]);

    const html = readFileSync(result.html!, 'utf8');
    expect(html).toContain('This run stopped at code cell 3');
    expect(html).toContain('NotFoundError: worker gpu-9 not found');
    expect(html.indexOf('This run stopped')).toBeLessThan(html.indexOf('before the failure'));
  });

  it('stops at a cell that does not compile', async () => {
    const result = await render('type-error.ipynb', {});
    expect(result.failure).toMatchObject({ kind: 'error', cellIndex: 3, ename: 'CompileError' });
    expect(result.failure!.evalue).toContain("Type 'string' is not assignable to type 'number'");
    expect(failureExitCode(result.failure!)).toBe(EXIT_CODES.internal);
    const nb = readNotebookJson(result.ipynb!);
    const cells = codeCells(nb);
    expect(outputText(cells[1]!)).toBe('hours: 24\n');
    expect(cells[3]!.outputs).toEqual([]);
    expect(sourceOf(nb.cells[0])).toContain('CompileError');
  });

  it('stops a cell that runs longer than the cell timeout', async () => {
    const result = await render('sleeps.ipynb', { sleepS: 60 }, { cellTimeoutS: 2 });
    expect(result.failure).toMatchObject({ kind: 'timeout', cellIndex: 4, ename: 'CellTimeoutError' });
    const nb = readNotebookJson(result.ipynb!);
    expect(sourceOf(nb.cells[0])).toContain('This run stopped at code cell 4: it ran longer than 2 s');
    const cells = codeCells(nb);
    expect(outputText(cells[2]!)).toBe('going to sleep\n');
    expect(outputText(cells[3]!)).not.toContain('woke up');
    expect(cells[4]!.outputs).toEqual([]);
  });

  it('says so when the kernel does not start', async () => {
    // A kernelspec earlier on Jupyter's path than the real one, for a kernel that exits at once.
    const dataDir = path.join(outRoot, 'jupyter-data');
    mkdirSync(path.join(dataDir, 'kernels', 'tslab'), { recursive: true });
    const argv = [process.execPath, '-e', 'process.exit(1)', '{connection_file}'];
    writeFileSync(path.join(dataDir, 'kernels', 'tslab', 'kernel.json'), JSON.stringify({ argv, display_name: 'broken', language: 'typescript' }));
    const result = await render('greets.ipynb', {}, { env: { ...process.env, JUPYTER_DATA_DIR: dataDir } });
    expect(result.failure).toMatchObject({ kind: 'kernel-start', cellIndex: null, ename: 'RuntimeError' });
    expect(result.failure!.evalue).toMatch(/Kernel died/i);
    expect(failureExitCode(result.failure!)).toBe(EXIT_CODES.internal);
    const nb = readNotebookJson(result.ipynb!);
    expect(sourceOf(nb.cells[0])).toContain('The notebook did not run: its kernel did not start');
    expect(codeCells(nb).every((c) => (c.outputs ?? []).length === 0)).toBe(true);
  });

  it('writes no byte of a secret the kernel printed', async () => {
    const canary = 'canary-5b0e2d-registered-secret';
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    registerSecret(canary);
    const env = { ...process.env, WORKER_FORENSICS_TEST_CANARY: `${canary} ${jwt}` };
    const result = await render('prints-env.ipynb', {}, { env });
    expect(result.failure).toBeNull();
    for (const file of [result.ipynb!, result.html!]) {
      const bytes = readFileSync(file);
      expect(bytes.includes(canary)).toBe(false);
      expect(bytes.includes('c2lnbmF0dXJl')).toBe(false);
      expect(bytes.includes('value: [REDACTED] [REDACTED]')).toBe(true);
    }
  });

  it('renders plotly.js output that draws in a browser with no network', async () => {
    const result = await render('plot.ipynb', { points: 4 });
    expect(result.failure).toBeNull();
    const opened = await openInChromium(result.html!);
    try {
      expect(await assertPlotsDrew(opened.page)).toEqual([{ id: 'plot', marks: 5 }]);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.blockedRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe('renderNotebook refuses before running', () => {
  it('rejects bad parameters and writes nothing', async () => {
    const outDir = path.join(outRoot, 'refused');
    const options = { notebook: fixtureNotebook('greets.ipynb'), outDir, name: 'greets' };
    await expect(renderNotebook({ ...options, parameters: { hours: 'abc' } })).rejects.toThrow('parameter hours is a number, got "abc"');
    await expect(renderNotebook({ ...options, parameters: { worker: 'x' } })).rejects.toThrow(UsageError);
    expect(existsSync(outDir)).toBe(false);
  });

  it('says how to install Jupyter when the chosen Python has none', async () => {
    const options = { notebook: fixtureNotebook('greets.ipynb'), parameters: {}, outDir: path.join(outRoot, 'no-jupyter'), name: 'greets' };
    const env = { ...process.env, WORKER_FORENSICS_PYTHON: '/nonexistent/python3' };
    await expect(renderNotebook({ ...options, env })).rejects.toThrow('Jupyter is not installed: run `npm run setup` (/nonexistent/python3: not found)');
  });
});

describe('renderNotebook stopped by its signal', () => {
  beforeAll(requireJupyter, 60_000);

  it('stops the whole run when aborted, killing the kernel and writing nothing', async () => {
    const outDir = path.join(outRoot, 'aborted');
    const controller = new AbortController();
    const reason = new Error('gave up');
    const before = new Set(tslabKernelsIn(FIXTURE_NOTEBOOKS));
    const rendering = renderNotebook({ notebook: fixtureNotebook('sleeps.ipynb'), parameters: {}, outDir, name: 'sleeps', signal: controller.signal });
    let ours: string[] = [];
    await waitFor(() => (ours = tslabKernelsIn(FIXTURE_NOTEBOOKS).filter((pid) => !before.has(pid))).length > 0, 'the kernel never started');
    controller.abort(reason);
    await expect(rendering).rejects.toBe(reason);
    await waitFor(() => tslabKernelsIn(FIXTURE_NOTEBOOKS).every((pid) => !ours.includes(pid)), `kernel ${ours.join(', ')} still runs`, 5_000);
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);
});

describe('requireKernel and failureExitCode', () => {
  const jupyter: JupyterInstallation = {
    python: '/usr/bin/python3',
    nbclient: '0.7.2',
    nbconvert: '6.5.3',
    nbformat: '5.5.0',
    kernels: { python3: { argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher'], resource_dir: '/usr/share/jupyter/kernels/python3' } },
  };

  it('says how to register a missing or broken tslab kernel', () => {
    expect(() => requireKernel(jupyter)).toThrow('the tslab kernel is not registered with /usr/bin/python3: run `npm run setup`');
    const broken = { ...jupyter, kernels: { tslab: { argv: ['/gone/node_modules/.bin/tslab', 'kernel'], resource_dir: '/k' } } };
    expect(() => requireKernel(broken)).toThrow('runs /gone/node_modules/.bin/tslab, which does not exist: run `npm run setup`');
  });

  it('keeps the exit code of the project error a cell threw, else 1', () => {
    const failure = { kind: 'error' as const, cellIndex: 2, evalue: 'x' };
    expect(failureExitCode({ ...failure, ename: 'UsageError' })).toBe(2);
    expect(failureExitCode({ ...failure, ename: 'SourceError' })).toBe(4);
    expect(failureExitCode({ ...failure, ename: 'Error', evalue: 'SourceError: HTTP 503' })).toBe(4);
    expect(failureExitCode({ ...failure, ename: 'TypeError' })).toBe(1);
    expect(failureExitCode({ kind: 'timeout', cellIndex: 3, ename: 'CellTimeoutError', evalue: 'the cell did not finish within 2 s' })).toBe(1);
  });
});

/** Files (with their modification times) of the checkout's folders a render runs in or reads from. */
function checkoutListing(): string[] {
  const root = packageRoot();
  return ['.', 'notebooks', 'python', 'test/fixtures/notebooks'].flatMap((folder) =>
    readdirSync(path.join(root, folder)).map((name) => `${folder}/${name} ${statSync(path.join(root, folder, name)).mtimeMs}`),
  );
}

describe('static pictures, a trusted notebook, --to and --no-input', { timeout: 180_000 }, () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let jupyter: JupyterInstallation;
  let before: string[];
  let result: RenderResult;

  beforeAll(async () => {
    await requireJupyter();
    jupyter = await locateJupyter();
    // The notary key and signature database go to a data directory of the test's own; the tslab
    // kernel is still found where the set-up registered it.
    dataDir = mkdtempSync(path.join(tmpdir(), 'wf-jupyter-data-'));
    env = { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_PATH: path.dirname(path.dirname(requireKernel(jupyter).resource_dir)) };
    before = checkoutListing();
    result = await render('figures.ipynb', { title: 'squares' }, { env, formats: ['html', 'ipynb', 'md'], noInput: true });
  }, 150_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function trusted(text: string): Promise<boolean> {
    const run = await runPython(jupyter.python, [RUNNER, 'check'], { env, input: JSON.stringify({ notebook: text }) });
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { trusted: boolean }).trusted;
  }

  it('writes the notebook, the page, the Markdown and its two pictures, and lists them', () => {
    expect(result.failure).toBeNull();
    expect(result.warnings).toEqual([]);
    const dir = path.dirname(result.ipynb!);
    expect(result.files).toEqual(['figures.ipynb', 'figures.html', 'figures.md', 'figures_files/figure-1.svg', 'figures_files/figure-2.svg'].map((f) => path.join(dir, f)));
    expect(result.files.every((f) => existsSync(f))).toBe(true);
    expect(result.figures.map((f) => f.title)).toEqual(['squares', 'bars']);
  });

  it('signs the notebook with the notary key of the Jupyter data directory: Jupyter trusts it, and not once it is changed', async () => {
    expect(result.trusted).toBe(true);
    const text = readFileSync(result.ipynb!, 'utf8');
    expect(await trusted(text)).toBe(true);
    expect(readdirSync(dataDir).sort()).toEqual(['nbsignatures.db', 'notebook_secret']);
    const changed = readNotebookJson(result.ipynb!);
    changed.cells.push({ cell_type: 'markdown', id: 'added', metadata: {}, source: 'added later' });
    expect(await trusted(JSON.stringify(changed))).toBe(false);
  });

  it('signing and rendering write nothing into the checkout', () => {
    expect(checkoutListing()).toEqual(before);
    const root = packageRoot();
    for (const name of ['nbsignatures.db', 'notebook_secret', '.ipynb_checkpoints']) {
      expect(['.', 'notebooks', 'test/fixtures/notebooks'].filter((folder) => existsSync(path.join(root, folder, name)))).toEqual([]);
    }
  });

  it('every figure output carries its SVG picture and its Plotly spec next to the interactive HTML', () => {
    const nb = readNotebookJson(result.ipynb!);
    const figures = codeCells(nb)
      .flatMap((c) => (c.outputs ?? []) as { data?: Record<string, unknown> }[])
      .filter((o) => String(o.data?.['text/html'] ?? '').includes('wf-plot-spec'));
    expect(figures).toHaveLength(2);
    for (const output of figures) {
      expect(Object.keys(output.data!).sort()).toEqual(['application/vnd.plotly.v1+json', 'image/svg+xml', 'text/html']);
      expect(output.data!['image/svg+xml']).toMatch(/^<svg class="main-svg"/);
      expect(output.data!['text/html']).toContain('<img class="wf-plot-static"');
    }
    expect(figures[0]!.data!['image/svg+xml']).toContain('class="trace scatter');
    expect(figures[1]!.data!['image/svg+xml']).toContain('class="trace bars"');
    expect((figures[0]!.data!['application/vnd.plotly.v1+json'] as { data: { y: number[] }[] }).data[0]!.y).toEqual([0, 1, 4, 9]);
  });

  it('--no-input: the code is hidden in the notebook and absent from the page and the Markdown', () => {
    const nb = readNotebookJson(result.ipynb!);
    expect(codeCells(nb).every((c) => (c.metadata['jupyter'] as { source_hidden?: boolean } | undefined)?.source_hidden === true)).toBe(true);
    const html = readFileSync(result.html!, 'utf8');
    const md = readFileSync(result.md!, 'utf8');
    for (const text of [html, md]) {
      // (nbconvert highlights code token by token: the names are searched one by one.)
      expect(['figureHtml', 'plotlyLoaderHtml'].filter((name) => text.includes(name))).toEqual([]);
    }
    expect(html).toContain('drawing squares');
    expect(md).toContain('```\ndrawing squares\n```');
  });

  it('the Markdown links each picture relatively and runs nothing', () => {
    const md = readFileSync(result.md!, 'utf8');
    expect(md).toContain('![squares](figures_files/figure-1.svg)');
    expect(md).toContain('![bars](figures_files/figure-2.svg)');
    expect(md).not.toMatch(/<script|Plotly|file:|https?:/);
    expect(readFileSync(path.join(path.dirname(result.md!), 'figures_files/figure-2.svg'), 'utf8')).toContain('class="trace bars"');
  });

  it('without --no-input the page shows the code; --to html writes the page alone and signs nothing', async () => {
    const pageOnly = await render('figures.ipynb', { title: 'squares' }, { env, formats: ['html'] });
    expect(pageOnly.files).toEqual([pageOnly.html]);
    expect([pageOnly.ipynb, pageOnly.md, pageOnly.trusted]).toEqual([null, null, false]);
    expect(readdirSync(path.dirname(pageOnly.html!))).toEqual(['figures.html']);
    const html = readFileSync(pageOnly.html!, 'utf8');
    expect(['figureHtml', 'plotlyLoaderHtml'].filter((name) => html.includes(name))).toEqual(['figureHtml', 'plotlyLoaderHtml']);
  });

  it('without Chromium: the files are still written, with one warning naming where it looked', async () => {
    const noBrowser = await render('figures.ipynb', { title: 'squares' }, { env: { ...env, WORKER_FORENSICS_CHROMIUM: '/nonexistent/chromium' }, formats: ['ipynb', 'md'] });
    expect(noBrowser.failure).toBeNull();
    expect(noBrowser.warnings).toEqual([
      'the figures of figures have no static picture: Chromium is not installed at /nonexistent/chromium (set WORKER_FORENSICS_CHROMIUM, or run `npm run setup`)',
    ]);
    expect(noBrowser.figures).toEqual([]);
    const keys = codeCells(readNotebookJson(noBrowser.ipynb!)).flatMap((c) => (c.outputs ?? []).flatMap((o) => Object.keys((o as { data?: object }).data ?? {})));
    expect(keys.filter((k) => k === 'text/html')).toHaveLength(4);
    expect(keys.filter((k) => k !== 'text/html' && k !== 'text/plain')).toEqual([]);
    expect(readFileSync(noBrowser.md!, 'utf8').split('A figure without its static picture')).toHaveLength(3);
    expect(noBrowser.trusted).toBe(true);
  });
});

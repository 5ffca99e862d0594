/**
 * Executes fixture notebooks for real: Jupyter (nbclient, nbconvert) and the tslab kernel must be
 * installed (`npm run setup`); without them these tests fail, saying so.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { failureExitCode, renderNotebook, type RenderOptions } from '../../src/notebook/execute.js';
import { locateJupyter, requireKernel, runPython, type JupyterInstallation } from '../../src/notebook/jupyter.js';
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

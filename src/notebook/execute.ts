/**
 * Rendering a parameterized notebook to `<name>.ipynb` + `<name>.html` through Jupyter's own
 * machinery (nbclient runs the tslab kernel, nbconvert makes the HTML; python/run_notebook.py).
 *
 * Secrets: the kernel gets credentials only through its environment. Everything written is
 * redacted first (outputs, metadata, sources), the HTML is made from the redacted notebook, and
 * both texts are checked once more: if anything secret-shaped is still there, nothing is written.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXIT_CODES, OutputRefusedError } from '../errors.js';
import { findSecrets, findSecretsDeep, redact, redactDeep } from '../redact.js';
import { removeLocalFileReferences } from './html.js';
import { notebookMarkdown } from './markdown.js';
import { addStaticFigures, hasFigures, notebookForSecretCheck, openFigureRenderer, svgForSecretCheck, type FigureRenderer, type StaticFigure } from './static-figures.js';
import { locateJupyter, requireKernel, runPython, RUNNER, type PythonRun } from './jupyter.js';
import { injectParameters, readNotebook, stripOutputs, type Notebook } from './parameters.js';

const KERNEL_NAME = 'tslab';
export const DEFAULT_CELL_TIMEOUT_S = 300;
const STARTUP_TIMEOUT_S = 60;
/** The line python/run_notebook.py writes on stderr once its kernel's process group exists. */
const KERNEL_PGID_LINE = /^worker-forensics-kernel-pgid (\d+)$/;

export type FailureKind = 'error' | 'timeout' | 'kernel-died' | 'kernel-start';

export interface RenderFailure {
  kind: FailureKind;
  /** 1-based position among the code cells of the saved notebook (its injected cell included); null if the kernel did not start. */
  cellIndex: number | null;
  ename: string;
  evalue: string;
}

/** The files a render can write: `--to html,ipynb,md`. */
export const OUTPUT_FORMATS = ['html', 'ipynb', 'md'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const DEFAULT_OUTPUT_FORMATS: readonly OutputFormat[] = ['html', 'ipynb'];

export interface RenderOptions {
  /** Path of the .ipynb to run; it runs in its own folder (so `../dist/index.js` resolves). */
  notebook: string;
  parameters: Record<string, unknown>;
  outDir: string;
  /** Basename of the files written, without extension. */
  name: string;
  /** Which files to write (default html and ipynb). */
  formats?: readonly OutputFormat[];
  /** Hide the code cells, as `nbconvert --no-input` does: none in the HTML and Markdown, hidden in the notebook. */
  noInput?: boolean;
  /** Draws the static pictures (one browser shared by several renders); else one is opened for this render. */
  figures?: FigureRenderer;
  /** The kernel's environment (it inherits it): the only way credentials reach it. */
  env?: NodeJS.ProcessEnv;
  cellTimeoutS?: number;
  /** Stops the whole run: the runner and the kernel are killed and nothing is written. */
  signal?: AbortSignal;
  /** Injected for tests: when the run happened. */
  now?: Date;
}

export interface RenderResult {
  ipynb: string | null;
  html: string | null;
  md: string | null;
  /** Every file written, the .md's pictures included. */
  files: string[];
  /** The figures with their static pictures (empty when Chromium was not available). */
  figures: StaticFigure[];
  /** Whether Jupyter trusts the written .ipynb (signed with the user's notary key). */
  trusted: boolean;
  /** What was not done but did not stop the render (no Chromium, no signature): one line each, for stderr. */
  warnings: string[];
  failure: RenderFailure | null;
}

interface ExecuteResult {
  ok: boolean;
  notebook: Notebook;
  error: { kind: FailureKind; cell_index: number | null; ename: string; evalue: string } | null;
}

/** The notebook as it is sent to the kernel: no outputs from an earlier run, the given values injected. */
export function prepareNotebook(file: string, parameters: Record<string, unknown>, now?: Date): Notebook {
  return injectParameters(stripOutputs(readNotebook(file)), parameters, { label: file, ...(now ? { now } : {}) });
}

function runnerFailure(action: string, run: PythonRun): Error {
  const tail = run.stderr.trim().split('\n').slice(-5).join(' | ');
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
  return new Error(redact(`python/run_notebook.py ${action} ${how}: ${tail || 'no message'}`));
}

function parseRunnerOutput<T>(action: string, run: PythonRun): T {
  if (run.code !== 0) throw runnerFailure(action, run);
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw runnerFailure(action, run);
  }
}

function killProcessGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Code cells hidden the way Jupyter records it (JupyterLab and VS Code collapse them; nbconvert's --no-input drops them). */
function hideInputs(notebook: Notebook): void {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    const jupyter = (cell.metadata['jupyter'] as Record<string, unknown> | undefined) ?? {};
    cell.metadata['jupyter'] = { ...jupyter, source_hidden: true };
  }
}

async function drawStaticFigures(notebook: Notebook, options: RenderOptions, env: NodeJS.ProcessEnv, warnings: string[]): Promise<StaticFigure[]> {
  if (!hasFigures(notebook)) return [];
  let renderer = options.figures;
  let own = false;
  try {
    if (!renderer) {
      renderer = await openFigureRenderer(env);
      own = true;
    }
    return await addStaticFigures(notebook, renderer);
  } catch (error) {
    const reason = redact(String((error as Error).message ?? error).split('\n')[0]!);
    warnings.push(`the figures of ${options.name} have no static picture: ${reason}`);
    return [];
  } finally {
    if (own) await renderer?.close();
  }
}

/**
 * Runs `notebook` with `parameters` and writes `<outDir>/<name>.ipynb`, `.html` and `.md` (as
 * `formats` asks; the .md's pictures in `<name>_files/`). A failing cell is not an exception: the
 * files are written (the notebook opens with a note on the failure) and `failure` says what
 * failed. Every figure gets its static picture (Chromium; without it, a warning) and the .ipynb is
 * signed with the user's Jupyter notary key, so that Jupyter trusts it on this machine (or a
 * warning). Missing Jupyter or tslab kernel, bad parameters: UsageError, nothing written.
 */
export async function renderNotebook(options: RenderOptions): Promise<RenderResult> {
  const env = options.env ?? process.env;
  const { signal } = options;
  const formats = new Set(options.formats ?? DEFAULT_OUTPUT_FORMATS);
  const notebookFile = path.resolve(options.notebook);
  const cwd = path.dirname(notebookFile);
  const prepared = prepareNotebook(notebookFile, options.parameters, options.now);
  const jupyter = await locateJupyter(env, signal);
  requireKernel(jupyter, KERNEL_NAME);

  let kernelPgid: number | null = null;
  const job = {
    notebook: JSON.stringify(prepared),
    cwd,
    kernel_name: KERNEL_NAME,
    cell_timeout_s: options.cellTimeoutS ?? DEFAULT_CELL_TIMEOUT_S,
    startup_timeout_s: STARTUP_TIMEOUT_S,
  };
  const executed = parseRunnerOutput<ExecuteResult>(
    'execute',
    await runPython(jupyter.python, [RUNNER, 'execute'], {
      cwd,
      env,
      input: JSON.stringify(job),
      ...(signal ? { signal } : {}),
      onStderrLine: (line) => {
        const match = KERNEL_PGID_LINE.exec(line.trim());
        if (match) kernelPgid = Number(match[1]);
      },
      // The kernel runs in its own session: killing the runner alone would leave it running.
      onAbort: () => {
        if (kernelPgid !== null) killProcessGroup(kernelPgid);
      },
    }),
  );

  const warnings: string[] = [];
  const notebook = redactDeep(executed.notebook);
  // Drawn from the redacted specs; checked again below with everything else written.
  const figures = await drawStaticFigures(notebook, options, env, warnings);
  signal?.throwIfAborted();
  if (options.noInput) hideInputs(notebook);

  const texts = new Map<string, string>();
  const ipynb = path.join(options.outDir, `${options.name}.ipynb`);
  const html = path.join(options.outDir, `${options.name}.html`);
  const md = path.join(options.outDir, `${options.name}.md`);
  const ipynbText = JSON.stringify(notebook, null, 1) + '\n';
  if (formats.has('ipynb')) texts.set(ipynb, ipynbText);
  if (formats.has('html')) {
    const exported = parseRunnerOutput<{ html: string }>(
      'html',
      await runPython(jupyter.python, [RUNNER, 'html'], {
        cwd,
        env,
        input: JSON.stringify({ notebook: JSON.stringify(notebook), title: options.name, cwd, exclude_input: options.noInput === true }),
        ...(signal ? { signal } : {}),
      }),
    );
    texts.set(html, removeLocalFileReferences(redact(exported.html)));
  }
  if (formats.has('md')) {
    const document = notebookMarkdown(notebook, options.name, { noInput: options.noInput === true });
    texts.set(md, document.text);
    for (const file of document.files) texts.set(path.join(options.outDir, file.path), file.content);
  }

  // Each file is checked as written; the notebook as a value (its JSON text would misread escapes).
  const leaksByFile = new Map<string, string[]>();
  const notebookLeaks = findSecretsDeep(notebookForSecretCheck(notebook));
  if (notebookLeaks.length > 0 && formats.has('ipynb')) leaksByFile.set(ipynb, notebookLeaks);
  for (const [file, text] of texts) {
    if (file === ipynb) continue;
    const found = findSecrets(file.endsWith('.svg') ? svgForSecretCheck(text) : text);
    if (found.length > 0) leaksByFile.set(file, found);
  }
  if (notebookLeaks.length > 0 && !formats.has('ipynb')) leaksByFile.set(`the notebook behind ${[...texts.keys()][0] ?? options.name}`, notebookLeaks);
  if (leaksByFile.size > 0) {
    const named = [ipynb, html, md].filter((file) => texts.has(file));
    const files = named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
    const kinds = [...new Set([...leaksByFile.values()].flat())].join(', ');
    const where = [...leaksByFile.keys()].map((file) => path.basename(file)).join(', ');
    throw new OutputRefusedError(`refusing to write ${files}: after redaction they still contain ${kinds} (in ${where})`);
  }
  mkdirSync(options.outDir, { recursive: true });
  if (formats.has('md')) {
    // Pictures of an earlier render of the same name must not linger beside the new ones.
    rmSync(path.join(options.outDir, `${options.name}_files`), { recursive: true, force: true });
  }
  for (const [file, text] of texts) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, text);
  }

  let trusted = false;
  if (formats.has('ipynb')) {
    // Signed as written: the notary's secret and signature database live in Jupyter's data
    // directory (~/.local/share/jupyter), never beside the notebook or in this checkout.
    const run = await runPython(jupyter.python, [RUNNER, 'sign'], { cwd: options.outDir, env, input: JSON.stringify({ notebook: ipynbText }), ...(signal ? { signal } : {}) });
    try {
      trusted = parseRunnerOutput<{ trusted: boolean }>('sign', run).trusted;
      if (!trusted) warnings.push(`${ipynb} was signed but Jupyter does not trust it: its figures will not draw in Jupyter until \`jupyter trust ${ipynb}\``);
    } catch (error) {
      warnings.push(`${ipynb} is not signed, so Jupyter will not trust it on this machine: ${(error as Error).message}`);
    }
  }

  const error = executed.error;
  return {
    ipynb: formats.has('ipynb') ? ipynb : null,
    html: formats.has('html') ? html : null,
    md: formats.has('md') ? md : null,
    files: [...texts.keys()],
    figures,
    trusted,
    warnings,
    failure: error && redactDeep({ kind: error.kind, cellIndex: error.cell_index, ename: error.ename, evalue: error.evalue }),
  };
}

/** One line saying what stopped the run (for the CLI and logs). */
export function describeFailure(failure: RenderFailure, cellTimeoutS = DEFAULT_CELL_TIMEOUT_S): string {
  const cell = `code cell ${failure.cellIndex ?? '?'}`;
  switch (failure.kind) {
    case 'error':
      return `${cell} failed: ${failure.ename}: ${failure.evalue.split('\n')[0]}`;
    case 'timeout':
      return `${cell} ran longer than ${cellTimeoutS} s`;
    case 'kernel-died':
      return `the kernel died while running ${cell} (out of memory, or killed)`;
    case 'kernel-start':
      return `the tslab kernel did not start: ${failure.ename}: ${failure.evalue.split('\n')[0]}`;
  }
}

const PROJECT_ERROR_EXIT_CODES: Record<string, number> = {
  UsageError: EXIT_CODES.usage,
  NotFoundError: EXIT_CODES.notFound,
  SourceError: EXIT_CODES.source,
};

/**
 * The exit code of a failed render: a cell that threw one of the project's own errors keeps that
 * error's code (2, 3, 4), anything else is 1.
 */
export function failureExitCode(failure: RenderFailure): number {
  const named = PROJECT_ERROR_EXIT_CODES[failure.ename];
  if (named !== undefined) return named;
  const mentioned = Object.keys(PROJECT_ERROR_EXIT_CODES).find((name) => new RegExp(`\\b${name}\\b`).test(failure.evalue));
  return mentioned ? PROJECT_ERROR_EXIT_CODES[mentioned]! : EXIT_CODES.internal;
}

/**
 * `render` runs any parameterized notebook; `investigate` runs the worker investigation template.
 * Both write `<DIR>/<name>.ipynb` and `<DIR>/<name>.html` (or what `--to` asks: `md` adds
 * `<name>.md` with its pictures in `<name>_files/`) and print the paths. They open no
 * source themselves: the notebook does, in its kernel, which inherits this process's environment
 * (credentials never travel as parameters).
 *
 * `source` and `asOf` follow the other commands: a notebook declaring a `source` parameter reads
 * --source if given, else the same default as every command (supabase if SUPABASE_URL is set, else
 * postgres if DATABASE_URL is, else the demo fleet); `asOf` gets --as-of when given. A `-p` value
 * wins over both. The notebook's own defaults apply only when it is run by hand in Jupyter.
 */
import * as path from 'node:path';
import { EXIT_CODES, ForensicsError, UsageError } from '../../errors.js';
import { validateWorkerId } from '../../checks/load.js';
import {
  DEFAULT_CELL_TIMEOUT_S,
  DEFAULT_OUTPUT_FORMATS,
  OUTPUT_FORMATS,
  describeFailure,
  failureExitCode,
  renderNotebook,
  type OutputFormat,
  type RenderResult,
} from '../../notebook/execute.js';
import type { FigureRenderer } from '../../notebook/static-figures.js';
import { declaredParameters, parseParameterArgs, readNotebook } from '../../notebook/parameters.js';
import { packageRoot } from '../../package-root.js';
import { redact, shownInput } from '../../redact.js';
import { defaultSourceSpec, parseSourceSpec, type SourceSpec } from '../../sources/open.js';
import { formatInstant } from '../../rows/time.js';
import { MARKERS_ENV } from '../../config/vocabulary.js';
import { instantOption, positiveNumberOption, stringOption, type CliIO, type Command, type CommandContext, type OptionSpec, type ParsedArgs } from '../command.js';

export const DEFAULT_REPORTS_DIR = 'reports';
export const INVESTIGATE_NOTEBOOK = path.join(packageRoot(), 'notebooks', 'investigate-worker.ipynb');
const MAX_NAME_LENGTH = 120;
/** A whole render (kernel start, every cell, HTML) may take longer than a query: 30 min by default. */
export const RENDER_TIMEOUT_S = 1800;

/** A cell failed: its project error's exit code (2, 3, 4) when it threw one, else 1. */
export class NotebookRunError extends ForensicsError {
  override readonly name = 'NotebookRunError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.internal,
  ) {
    super(message);
  }
}

export const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', value: 'DIR', description: `write the files into DIR (default ${DEFAULT_REPORTS_DIR}/)` },
  to: {
    type: 'string',
    value: 'FORMATS',
    description: `the files to write, comma-separated among ${OUTPUT_FORMATS.join(', ')} (default ${DEFAULT_OUTPUT_FORMATS.join(',')}); md: <name>.md with its figures as SVG files in <name>_files/`,
  },
  'no-input': { type: 'boolean', description: 'hide the code cells, as nbconvert --no-input does: reports for readers' },
  'cell-timeout': { type: 'string', value: 'S', description: `stop at a cell still running after S seconds (default ${DEFAULT_CELL_TIMEOUT_S})` },
};

export interface RenderPlan {
  notebook: string;
  parameters: Record<string, unknown>;
  outDir: string;
  name: string;
  cellTimeoutS: number;
  formats: OutputFormat[];
  noInput: boolean;
}

/** `--to html,ipynb,md`: the formats in the order given, each once; a usage error naming a bad one. */
export function parseFormats(text: string | undefined): OutputFormat[] {
  if (text === undefined) return [...DEFAULT_OUTPUT_FORMATS];
  const asked = text.split(',').map((f) => f.trim().toLowerCase());
  const known = new Set<string>(OUTPUT_FORMATS);
  const bad = asked.filter((f) => !known.has(f));
  if (bad.length > 0 || asked.length === 0) {
    const named = bad.length > 0 ? bad.map((f) => (f === '' ? 'an empty format' : `"${shownInput(f)}"`)).join(', ') : 'nothing';
    throw new UsageError(`--to ${shownInput(text)}: ${named} is not a format (choose among ${OUTPUT_FORMATS.join(', ')}, comma-separated)`);
  }
  return [...new Set(asked as OutputFormat[])];
}

/** A name usable as a file's basename on any system: letters, digits, `.`, `_` and `-`. */
export function fileSafeName(text: string): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|_+$/g, '')
    .slice(0, MAX_NAME_LENGTH);
  if (name === '') throw new UsageError(`"${shownInput(text)}" gives no usable file name`);
  return name;
}

/** `--source` as the notebook's `source` parameter; a snapshot file made absolute (the kernel runs in the notebook's folder). */
function sourceParameter(spec: SourceSpec, cwd: string): string {
  return spec.kind === 'snapshot' ? `snapshot:${path.resolve(cwd, spec.file)}` : spec.kind;
}

/**
 * What to run: the notebook, its parameters (`given` from `-p`, plus `source` and `asOf` as the
 * header says), where to write and under which name (default: the notebook's basename followed by
 * the `-p` values, e.g. `investigate-worker-gpu-7`).
 */
export function planRender(notebookPath: string, given: Record<string, unknown>, args: ParsedArgs, io: CliIO, name?: string): RenderPlan {
  const notebook = path.resolve(io.cwd, notebookPath);
  const declared = new Set(declaredParameters(readNotebook(notebook), notebookPath).map((d) => d.name));
  const parameters: Record<string, unknown> = { ...given };
  const sourceText = stringOption(args, 'source');
  if (sourceText !== undefined && !declared.has('source')) throw new UsageError(`${notebookPath} has no source parameter: --source does not apply to it`);
  if (declared.has('source') && parameters['source'] === undefined) {
    parameters['source'] = sourceParameter(sourceText !== undefined ? parseSourceSpec(sourceText) : defaultSourceSpec(io.env), io.cwd);
  }
  const asOf = instantOption(args, 'as-of');
  if (asOf !== undefined) {
    if (!declared.has('asOf')) throw new UsageError(`${notebookPath} has no asOf parameter: --as-of does not apply to it`);
    if (parameters['asOf'] === undefined) parameters['asOf'] = formatInstant(asOf);
  }
  const base = path.basename(notebook, '.ipynb');
  return {
    notebook,
    parameters,
    outDir: path.resolve(io.cwd, stringOption(args, 'out') ?? DEFAULT_REPORTS_DIR),
    name: name ?? fileSafeName(redact([base, ...Object.values(given).map(String)].join('-'))),
    cellTimeoutS: positiveNumberOption(args, 'cell-timeout', DEFAULT_CELL_TIMEOUT_S),
    formats: parseFormats(stringOption(args, 'to')),
    noInput: args.options['no-input'] === true,
  };
}

function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** What a render wrote (paths relative to the working directory when inside it) and whether every cell ran. */
export interface RenderOutput {
  /** The notebook, signed with the user's Jupyter key; null when `--to` left it out. */
  ipynb: string | null;
  html: string | null;
  md: string | null;
  /** Every file written, in order: the notebook, the page, the Markdown and its SVG figures. */
  files: string[];
  /** Figures that got their static picture (SVG). */
  static_figures: number;
  /** Jupyter trusts the notebook on this machine (false when not signed, or no .ipynb). */
  trusted: boolean;
  ok: boolean;
  failure: RenderResult['failure'];
}

/** `a`, `a and b`, `a, b and c`. */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Runs the plan; a failed cell is deferred (it sets the exit code) and the files written are still
 * the result. Static pictures are drawn by `figures` when given (one browser for several renders).
 */
export async function runPlan(ctx: CommandContext, plan: RenderPlan, figures?: FigureRenderer): Promise<{ result: RenderOutput; rendered: RenderResult }> {
  // The kernel opens its own session from its environment; a markers file goes with it, by absolute path
  // (the kernel runs in the notebook's folder).
  const markers = ctx.read.vocabulary.file;
  const env = markers === null ? ctx.io.env : { ...ctx.io.env, [MARKERS_ENV]: markers };
  const rendered: RenderResult = await renderNotebook({ ...plan, env, signal: ctx.signal, ...(figures ? { figures } : {}) });
  const shown = (file: string | null) => (file === null ? null : shownPath(file, ctx.io.cwd));
  const result: RenderOutput = {
    ipynb: shown(rendered.ipynb),
    html: shown(rendered.html),
    md: shown(rendered.md),
    files: rendered.files.map((f) => shownPath(f, ctx.io.cwd)),
    static_figures: rendered.figures.length,
    trusted: rendered.trusted,
    ok: rendered.failure === null,
    failure: rendered.failure,
  };
  for (const warning of rendered.warnings) ctx.notice(redact(`worker-forensics: warning: ${warning}`));
  if (rendered.failure) {
    const first = result.ipynb ?? result.html ?? result.md ?? plan.name;
    const saved = listText([result.ipynb && 'notebook', result.html && 'page', result.md && 'Markdown'].filter((k): k is string => typeof k === 'string'));
    const message = `${first}: ${describeFailure(rendered.failure, plan.cellTimeoutS)} (the saved ${saved} show${saved.includes(' and ') ? '' : 's'} where)`;
    ctx.defer(new NotebookRunError(redact(message), failureExitCode(rendered.failure)));
  }
  return { result, rendered };
}

function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export const renderCommand: Command = {
  name: 'render',
  section: '–',
  summary: 'Run a parameterized notebook; save it as .ipynb and .html (or --to md)',
  args: '<notebook.ipynb>',
  positionals: { min: 1, max: 1 },
  readsSource: false,
  defaultTimeoutS: RENDER_TIMEOUT_S,
  options: {
    parameter: { type: 'string', short: 'p', multiple: true, value: 'NAME=VALUE', description: 'set a parameter declared in the notebook\'s "parameters" cell (repeatable)' },
    ...OUTPUT_OPTIONS,
  },
  details: [
    'Runs through Jupyter (nbclient) and the tslab kernel (`npm run setup` installs both); prints the paths written.',
    'The .ipynb is signed with your Jupyter notary key (trusted on this machine); every figure also carries a static SVG.',
    'A notebook declaring `source` gets --source or the default source; `asOf` gets --as-of. A cell that fails still',
    'leaves both files, with the failure noted at the top; the exit code is then that of the error the cell threw (2, 3, 4) or 1.',
    'Example: worker-forensics render notebooks/investigate-worker.ipynb -p workerId=gpu-7 -p hours=6',
  ],
  async run(ctx, args) {
    const notebook = args.positionals[0]!;
    const { result } = await runPlan(ctx, planRender(notebook, parseParameterArgs(listOption(args, 'parameter')), args, ctx.io));
    return { result, text: printRender(result) };
  },
};

export const investigateCommand: Command = {
  name: 'investigate',
  section: '§15',
  summary: 'Render the investigation notebook for one worker: <DIR>/<worker>.ipynb and .html (or --to md)',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  readsSource: false,
  defaultTimeoutS: RENDER_TIMEOUT_S,
  options: OUTPUT_OPTIONS,
  details: [
    `Runs ${path.relative(packageRoot(), INVESTIGATE_NOTEBOOK)} with workerId, source (--source or the default source) and asOf (--as-of).`,
  ],
  async run(ctx, args) {
    const workerId = validateWorkerId(args.positionals[0]!);
    const { result } = await runPlan(ctx, planRender(INVESTIGATE_NOTEBOOK, { workerId }, args, ctx.io, fileSafeName(workerId)));
    return { result, text: printRender(result) };
  },
};

/**
 * `render` and `investigate`: the files written, one path per line (a failed cell is reported on
 * stderr); the .md's pictures as their folder.
 */
export function printRender(result: RenderOutput): string[] {
  const pictures = result.files.filter((f) => f.endsWith('.svg'));
  const folder = pictures.length > 0 ? `${path.dirname(pictures[0]!)}/` : null;
  return [result.ipynb, result.html, result.md, folder].filter((line): line is string => line !== null);
}

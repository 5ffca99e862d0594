/**
 * `render` and `investigate`: what they run (parameters, output names) and, through the CLI entry
 * point with Jupyter and tslab for real, what they print and exit with.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO, ParsedArgs } from '../../../src/cli/command.js';
import { main } from '../../../src/cli/main.js';
import { fileSafeName, investigateCommand, parseFormats, planRender, printRender, renderCommand, type RenderOutput } from '../../../src/cli/commands/render.js';
import { classifyCommand } from '../../../src/cli/commands/crash-patterns.js';
import { locateJupyter, requireKernel, runPython, RUNNER } from '../../../src/notebook/jupyter.js';
import type { Notebook } from '../../../src/notebook/parameters.js';
import { UsageError } from '../../../src/errors.js';
import { parseInstant } from '../../../src/rows/time.js';
import { FIXTURE_NOTEBOOKS, fixtureNotebook, readJson, requireJupyter } from '../../support/notebooks.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-render-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(env: NodeJS.ProcessEnv = {}, cwd = tmp): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd,
    interactive: false,
    now: () => parseInstant('2026-01-01T00:00:00Z')!,
  };
}

function args(options: ParsedArgs['options'] = {}): ParsedArgs {
  return { positionals: [], options };
}

describe('planRender', () => {
  const investigate = fixtureNotebook('investigate.ipynb');

  it('names the output after the notebook and the -p values, in reports/ under the working directory', () => {
    const plan = planRender(investigate, { workerId: 'gpu-7', hours: '6' }, args(), io());
    expect(plan).toEqual({
      notebook: investigate,
      parameters: { workerId: 'gpu-7', hours: '6', source: 'demo' },
      outDir: path.join(tmp, 'reports'),
      name: 'investigate-gpu-7-6',
      cellTimeoutS: 300,
      formats: ['html', 'ipynb'],
      noInput: false,
    });
  });

  it('gives source the default of every command, or --source, with a snapshot path made absolute', () => {
    expect(planRender(investigate, {}, args(), io({ SUPABASE_URL: 'https://x.supabase.co' })).parameters).toEqual({ source: 'supabase' });
    expect(planRender(investigate, {}, args(), io({ DATABASE_URL: 'postgres://localhost/x' })).parameters).toEqual({ source: 'postgres' });
    const snapshot = planRender(investigate, {}, args({ source: 'snapshot:evidence.json.gz' }), io({ SUPABASE_URL: 'https://x.supabase.co' }));
    expect(snapshot.parameters).toEqual({ source: `snapshot:${path.join(tmp, 'evidence.json.gz')}` });
  });

  it('gives asOf the --as-of instant, and lets -p win over both', () => {
    const plan = planRender(investigate, {}, args({ 'as-of': '2025-10-17 13:00:00+00' }), io());
    expect(plan.parameters).toEqual({ source: 'demo', asOf: '2025-10-17T13:00:00.000Z' });
    const given = planRender(investigate, { source: 'postgres', asOf: '2025-01-01T00:00:00Z' }, args({ source: 'demo', 'as-of': '2025-10-17T13:00:00Z' }), io());
    expect(given.parameters).toEqual({ source: 'postgres', asOf: '2025-01-01T00:00:00Z' });
  });

  it('refuses --source or --as-of for a notebook without that parameter', () => {
    const greets = fixtureNotebook('greets.ipynb');
    expect(planRender(greets, {}, args(), io()).parameters).toEqual({});
    expect(() => planRender(greets, {}, args({ source: 'demo' }), io())).toThrow(/has no source parameter: --source does not apply to it/);
    expect(() => planRender(greets, {}, args({ 'as-of': '2025-10-17T13:00:00Z' }), io())).toThrow(/has no asOf parameter/);
    expect(() => planRender(greets, {}, args({ 'as-of': 'yesterday' }), io())).toThrow(UsageError);
  });

  it('takes --out and --cell-timeout, and resolves the notebook against the working directory', () => {
    const plan = planRender('greets.ipynb', {}, args({ out: 'elsewhere', 'cell-timeout': '30' }), io({}, FIXTURE_NOTEBOOKS));
    expect(plan).toMatchObject({ notebook: fixtureNotebook('greets.ipynb'), outDir: path.join(FIXTURE_NOTEBOOKS, 'elsewhere'), name: 'greets', cellTimeoutS: 30 });
    expect(() => planRender('missing.ipynb', {}, args(), io())).toThrow(`notebook ${path.join(tmp, 'missing.ipynb')} does not exist`);
  });

  it('takes --to as a comma-separated list of html, ipynb and md, and --no-input', () => {
    const plan = planRender(investigate, {}, args({ to: 'md, HTML,md', 'no-input': true }), io());
    expect(plan).toMatchObject({ formats: ['md', 'html'], noInput: true });
    expect(planRender(investigate, {}, args({ to: 'ipynb' }), io()).formats).toEqual(['ipynb']);
  });

  it('refuses a --to naming an unknown or empty format, naming it', () => {
    expect(() => planRender(investigate, {}, args({ to: 'html,pdf' }), io())).toThrow(UsageError);
    expect(() => planRender(investigate, {}, args({ to: 'html,pdf' }), io())).toThrow('--to html,pdf: "pdf" is not a format (choose among html, ipynb, md, comma-separated)');
    expect(() => planRender(investigate, {}, args({ to: 'html,' }), io())).toThrow(/an empty format is not a format/);
    expect(() => parseFormats('')).toThrow(UsageError);
    expect(parseFormats(undefined)).toEqual(['html', 'ipynb']);
  });

  it('never puts a secret into a file name', () => {
    const plan = planRender(fixtureNotebook('greets.ipynb'), { note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }, args(), io());
    expect(plan.name).toBe('greets-_REDACTED');
  });
});

describe('fileSafeName', () => {
  it('keeps letters, digits, dots, underscores and dashes only', () => {
    expect(fileSafeName('gpu-20251017_130952-95cd7f4c')).toBe('gpu-20251017_130952-95cd7f4c');
    expect(fileSafeName('gpu:a/b\\c d')).toBe('gpu_a_b_c_d');
    expect(fileSafeName('../../etc/passwd')).toBe('etc_passwd');
    expect(() => fileSafeName('///')).toThrow(UsageError);
  });
});

describe('render and investigate through the CLI', { timeout: 120_000 }, () => {
  beforeAll(requireJupyter, 60_000);
  const commands = [renderCommand, investigateCommand];

  it('render prints the two paths it wrote, and --json the same with ok and failure', async () => {
    const cli = io({ ...process.env }, FIXTURE_NOTEBOOKS);
    const out = path.join(tmp, 'cli-out');
    const code = await main(['render', 'investigate.ipynb', '-p', 'workerId=gpu-7', '--parameter', 'hours=6', '--out', out, '--as-of', '2025-10-17T13:00:00Z', '--json'], cli, commands);
    expect(code, cli.err.join('')).toBe(0);
    const result = JSON.parse(cli.out.join(''));
    expect(result).toEqual({
      ipynb: path.join(out, 'investigate-gpu-7-6.ipynb'),
      html: path.join(out, 'investigate-gpu-7-6.html'),
      md: null,
      files: [path.join(out, 'investigate-gpu-7-6.ipynb'), path.join(out, 'investigate-gpu-7-6.html')],
      static_figures: 0,
      trusted: true,
      ok: true,
      failure: null,
    });
    const nb = readJson(result.ipynb);
    const printed = nb.cells.flatMap((c) => (c.outputs ?? []) as { text?: string }[]).map((o) => o.text ?? '').join('');
    expect(printed).toBe('worker=gpu-7 source=demo asOf=2025-10-17T13:00:00.000Z hours=6\n');
    expect(existsSync(result.html)).toBe(true);
  });

  it('without Chromium, render still writes the files and says on stderr that the figures have no picture', async () => {
    const cli = io({ ...process.env, WORKER_FORENSICS_CHROMIUM: '/nonexistent/chromium' }, tmp);
    const code = await main(['render', fixtureNotebook('figures.ipynb'), '--out', 'no-chromium', '--to', 'ipynb'], cli, commands);
    expect(code).toBe(0);
    expect(cli.out.join('')).toBe('no-chromium/figures.ipynb\n');
    expect(cli.err.join('')).toContain(
      'worker-forensics: warning: the figures of figures have no static picture: Chromium is not installed at /nonexistent/chromium (set WORKER_FORENSICS_CHROMIUM, or run `npm run setup`)',
    );
    // A notebook without figures needs no browser, and warns of nothing.
    const plain = io({ ...process.env, WORKER_FORENSICS_CHROMIUM: '/nonexistent/chromium' }, tmp);
    expect(await main(['render', fixtureNotebook('greets.ipynb'), '--out', 'no-chromium', '--json'], plain, commands)).toBe(0);
    expect(plain.err.join('')).not.toContain('warning');
    expect(JSON.parse(plain.out.join(''))).toMatchObject({ static_figures: 0, trusted: true });
  });

  it('render exits with the code of the project error a cell threw, still writing both files', async () => {
    const cli = io({ ...process.env }, tmp);
    const code = await main(
      ['render', fixtureNotebook('throws.ipynb'), '-p', 'errorName=NotFoundError', '-p', 'message=no worker gpu-9', '--out', 'failed'],
      cli,
      commands,
    );
    expect(code).toBe(3);
    expect(cli.out.join('')).toBe('failed/throws-NotFoundError-no_worker_gpu-9.ipynb\nfailed/throws-NotFoundError-no_worker_gpu-9.html\n');
    expect(cli.err.join('')).toContain(
      'worker-forensics: failed/throws-NotFoundError-no_worker_gpu-9.ipynb: code cell 3 failed: NotFoundError: no worker gpu-9 (the saved notebook and page show where)',
    );
    expect(existsSync(path.join(tmp, 'failed/throws-NotFoundError-no_worker_gpu-9.html'))).toBe(true);
  });
});

describe('render and investigate refuse before running', () => {
  const commands = [renderCommand, investigateCommand];

  it('render refuses an unknown parameter with exit code 2', async () => {
    const cli = io({ ...process.env }, tmp);
    const code = await main(['render', fixtureNotebook('greets.ipynb'), '-p', 'worker=gpu-7'], cli, commands);
    expect(code).toBe(2);
    expect(cli.err.join('')).toContain('has no parameter "worker" (its parameters: workerId, hours, verbose, note)');
  });

  it('investigate refuses a malformed worker id before running anything', async () => {
    const cli = io({ ...process.env }, tmp);
    const code = await main(['investigate', 'gpu 7; rm -rf /'], cli, commands);
    expect(code).toBe(2);
    expect(cli.err.join('')).toContain('malformed worker id');
  });

  it('investigate and render refuse an unknown --to format with exit code 2, naming it, and write nothing', async () => {
    for (const args of [['investigate', 'gpu-7'], ['render', fixtureNotebook('greets.ipynb')]]) {
      const cli = io({ ...process.env }, tmp);
      const out = path.join(tmp, 'bad-format');
      const code = await main([...args, '--to', 'html,pdf', '--out', out], cli, commands);
      expect(code).toBe(2);
      expect(cli.err.join('')).toContain('--to html,pdf: "pdf" is not a format (choose among html, ipynb, md, comma-separated)');
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('printRender', () => {
  const failed = {
    ipynb: 'failed/throws-NotFoundError.ipynb',
    html: 'failed/throws-NotFoundError.html',
    md: null,
    files: ['failed/throws-NotFoundError.ipynb', 'failed/throws-NotFoundError.html'],
    static_figures: 0,
    trusted: true,
    ok: false,
    failure: { kind: 'error' as const, cellIndex: 3, ename: 'NotFoundError', evalue: 'no worker gpu-9' },
  };

  it('the files written, one per line, whether or not every cell ran', async () => {
    const text = printRender(failed);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/render-failed.txt');
    expect(text).toEqual(['failed/throws-NotFoundError.ipynb', 'failed/throws-NotFoundError.html']);
    expect(printRender({ ...failed, ok: true, failure: null })).toEqual(text);
  });

  it('--to md: the Markdown file and the folder of its SVG figures; no line for a format not written', async () => {
    const md = {
      ...failed,
      ipynb: null,
      html: null,
      md: 'reports/gpu-7.md',
      files: ['reports/gpu-7.md', 'reports/gpu-7_files/figure-1.svg', 'reports/gpu-7_files/figure-2.svg'],
      static_figures: 2,
      trusted: false,
      ok: true,
      failure: null,
    };
    const text = printRender(md);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/render-md.txt');
    expect(text).toEqual(['reports/gpu-7.md', 'reports/gpu-7_files/']);
    expect(printRender({ ...md, files: ['reports/gpu-7.md'] })).toEqual(['reports/gpu-7.md']);
  });
});

describe('investigate --to html,ipynb,md --no-input on the demo fleet', { timeout: 300_000 }, () => {
  const out = path.join(tmp, 'for-readers');
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let result: RenderOutput;
  let worker: string;

  beforeAll(async () => {
    await requireJupyter();
    const jupyter = await locateJupyter();
    dataDir = mkdtempSync(path.join(tmpdir(), 'wf-jupyter-data-'));
    // The notary of a data directory of the test's own; the tslab kernel where the set-up put it.
    env = { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_PATH: path.dirname(path.dirname(requireKernel(jupyter).resource_dir)) };
    const classify = io(env);
    expect(await main(['classify', '--source', 'demo', '--json'], classify, [classifyCommand])).toBe(0);
    worker = (JSON.parse(classify.out.join('')) as { workers: { id: string; pattern: string }[] }).workers.find((w) => w.pattern === 'oom_model_load')!.id;
    const cli = io(env);
    const code = await main(['investigate', worker, '--source', 'demo', '--to', 'html,ipynb,md', '--no-input', '--out', out, '--json'], cli, [investigateCommand]);
    expect(code, cli.err.join('')).toBe(0);
    // No warning: Chromium drew the pictures and the notebook is signed.
    expect(cli.err.join('')).not.toContain('warning');
    // Paths as printed: relative to the working directory.
    const printed = JSON.parse(cli.out.join('')) as RenderOutput;
    const at = (file: string | null) => (file === null ? null : path.resolve(tmp, file));
    expect(printed.ipynb).toBe(path.join('for-readers', `${worker}.ipynb`));
    result = { ...printed, ipynb: at(printed.ipynb), html: at(printed.html), md: at(printed.md), files: printed.files.map((f) => path.resolve(tmp, f)) };
  }, 280_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes three files and the pictures, and its JSON lists them', () => {
    expect(result).toMatchObject({ ipynb: path.join(out, `${worker}.ipynb`), html: path.join(out, `${worker}.html`), md: path.join(out, `${worker}.md`), ok: true, trusted: true });
    const svgs = result.files.filter((f) => f.endsWith('.svg'));
    expect(result.files).toEqual([result.ipynb, result.html, result.md, ...svgs]);
    // The template's figures: log volume, heartbeat timeline, task Gantt, crash timing (the memory figure has no [RAM] sample to draw for this worker).
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    expect(result.static_figures).toBe(svgs.length);
    expect(readdirSync(path.join(out, `${worker}_files`)).length).toBe(svgs.length);
  });

  it('the notebook: its signature is accepted by Jupyter, and each figure output has its static picture', async () => {
    const text = readFileSync(result.ipynb!, 'utf8');
    const run = await runPython((await locateJupyter()).python, [RUNNER, 'check'], { env, input: JSON.stringify({ notebook: text }) });
    expect(JSON.parse(run.stdout)).toEqual({ trusted: true });
    const outputs = (JSON.parse(text) as Notebook).cells.flatMap((c) => (c.outputs ?? []) as { data?: Record<string, unknown> }[]);
    const figures = outputs.filter((o) => String(o.data?.['text/html'] ?? '').includes('wf-plot-spec'));
    expect(figures.length).toBe(result.static_figures);
    for (const figure of figures) {
      expect(figure.data!['image/svg+xml']).toMatch(/^<svg class="main-svg"[\s\S]*class="trace /);
      expect(figure.data!['application/vnd.plotly.v1+json']).toHaveProperty('data');
    }
  });

  it('the page has no code cell', () => {
    const html = readFileSync(result.html!, 'utf8');
    expect(html).toContain('jp-mod-noInput');
    expect(['openSession', 'figureHtml', 'checks.investigation'].filter((name) => html.includes(name))).toEqual([]);
    expect(html.includes(`<img class="wf-plot-static"`)).toBe(true);
  });

  it('the Markdown: every picture it links exists and shows a plot; no code, no script', () => {
    const md = readFileSync(result.md!, 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toEqual(result.files.filter((f) => f.endsWith('.svg')).map((f) => path.relative(out, f)));
    for (const link of links) {
      const svg = readFileSync(path.join(out, decodeURI(link)), 'utf8');
      expect(svg).toMatch(/^<svg class="main-svg"/);
      // Marks: lines, markers or bars inside a trace group.
      expect(svg).toMatch(/class="trace [^"]*"[\s\S]*(class="js-line"|class="point")/);
    }
    expect(md).toContain('## Verdict');
    expect(md).toContain('oom_model_load');
    expect(md).not.toMatch(/```typescript|<script|openSession/);
  });
});

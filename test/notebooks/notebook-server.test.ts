/**
 * `npm run notebook` as a user meets it: scripts/notebook.sh starts the Jupyter web UI (the classic
 * notebook from Debian, which the set-up installs) on a free port of 127.0.0.1, in a temporary copy
 * of notebooks/ beside a link to dist/ so that nothing is saved into the checkout, and prints the
 * URL with its token. Headless Chromium then opens the investigation template, sets `workerId` to
 * a demo OOM worker in the parameters cell, runs all cells, and the test checks that every code
 * cell ran without an error output and that the plots drew.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { assertPlotsDrew, openUrlInChromium, type OpenedPage } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { requireJupyter } from '../support/notebooks.js';

const ROOT = packageRoot();
const TEMPLATE = 'investigate-worker.ipynb';

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

let dir = '';
let server: ChildProcess | null = null;
let stderr = '';
let url = '';
let opened: OpenedPage | null = null;
let oomWorker = '';
const templateMtime = statSync(path.join(ROOT, 'notebooks', TEMPLATE)).mtimeMs;

/** Starts scripts/notebook.sh and resolves with the URL it prints on stdout. */
function startServer(port: number): Promise<string> {
  // No database settings: the kernel reads the demo fleet (the parameters cell says so as well).
  const env = { ...process.env };
  for (const key of ['SUPABASE_URL', 'SUPABASE_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'DATABASE_URL']) delete env[key];
  const child = spawn('bash', [path.join(ROOT, 'scripts', 'notebook.sh'), '--dir', path.join(dir, 'notebooks'), '--port', String(port)], {
    cwd: dir,
    env,
    detached: true, // its own process group: the server and its kernels are stopped together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`scripts/notebook.sh printed no URL in 150 s; stderr:\n${stderr.slice(-3000)}`)), 150_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('http://'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/notebook.sh exited with ${code} before printing a URL; stderr:\n${stderr.slice(-3000)}`));
    });
  });
}

beforeAll(async () => {
  await requireJupyter();
  const classified = (await runCli(['classify', '--json', '--source', 'demo'])).json();
  oomWorker = classified.workers.find((w: { pattern: string }) => w.pattern === 'oom_model_load').id;
  dir = mkdtempSync(path.join(tmpdir(), 'wf-notebook-server-'));
  cpSync(path.join(ROOT, 'notebooks'), path.join(dir, 'notebooks'), { recursive: true });
  // The notebooks import ../dist/index.js.
  symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
  url = await startServer(await freePort());
}, 300_000);

afterAll(async () => {
  await opened?.close();
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface CellState {
  index: number;
  type: string;
  prompt: number | string | null;
  errors: string[];
}

describe('npm run notebook', { timeout: 600_000 }, () => {
  it('prints the URL of a server on 127.0.0.1 with its token', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(tree|lab)\?token=[0-9a-f]{48}$/);
    expect(stderr).toMatch(/starting (Jupyter Notebook|JupyterLab) [\d.]+ in .*wf-notebook-server-/);
  });

  it('the template runs in it: workerId set, Run All, every cell without an error, the plots drawn', async () => {
    const { origin, pathname, searchParams } = new URL(url);
    if (pathname !== '/tree' || !/starting Jupyter Notebook [4-6]\./.test(stderr)) {
      throw new Error(`scripts/notebook.sh started ${stderr.match(/starting (.*?) in /)?.[1] ?? 'another web UI'}: this test drives the classic notebook's page (Debian's jupyter-notebook, which the set-up installs on CI)`);
    }
    opened = await openUrlInChromium(`${origin}/notebooks/${TEMPLATE}?token=${searchParams.get('token')}`);
    const page = opened.page;
    // The classic notebook's own API (Notebook 6.x, the Debian package the set-up installs).
    await page.waitForFunction(
      () => {
        const J = (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean; kernel?: { is_connected(): boolean } } } }).Jupyter;
        return Boolean(J?.notebook?._fully_loaded && J.notebook.kernel?.is_connected());
      },
      undefined,
      { timeout: 120_000 },
    );
    const set = await page.evaluate((workerId) => {
      type Cell = { cell_type: string; metadata: { tags?: string[] }; get_text(): string; set_text(t: string): void };
      const nb = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[]; execute_all_cells(): void } } }).Jupyter.notebook;
      const cell = nb.get_cells().find((c) => c.cell_type === 'code' && (c.metadata.tags ?? []).includes('parameters'));
      if (!cell) return null;
      const text = cell
        .get_text()
        .replace(/^let workerId: string = ".*?";/m, `let workerId: string = ${JSON.stringify(workerId)};`)
        .replace(/^let source: string = ".*?";/m, 'let source: string = "demo";');
      cell.set_text(text);
      nb.execute_all_cells(); // Cell > Run All
      return cell.get_text();
    }, oomWorker);
    expect(set, 'the parameters cell').not.toBeNull();
    expect(set).toContain(`let workerId: string = "${oomWorker}";`);

    // Done when the kernel is idle with no cell queued ("*"): every code cell ran, or Run All
    // stopped at a cell that failed (the notebook then drops the rest of the queue).
    await page.waitForFunction(
      () => {
        type Cell = { cell_type: string; input_prompt_number?: number | string | null };
        const J = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter;
        const idle = document.querySelector('#kernel_indicator_icon')?.classList.contains('kernel_idle_icon');
        return idle && J.notebook.get_cells().every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*');
      },
      undefined,
      { timeout: 480_000, polling: 1000 },
    );
    const cells: CellState[] = await page.evaluate(() => {
      type Output = { output_type: string; ename?: string; evalue?: string; name?: string; text?: string };
      type Cell = { cell_type: string; input_prompt_number?: number | string | null; output_area?: { outputs: Output[] } };
      const nb = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook;
      return nb.get_cells().map((c, index) => ({
        index,
        type: c.cell_type,
        prompt: c.input_prompt_number ?? null,
        errors: (c.output_area?.outputs ?? [])
          .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))
          .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : `stderr: ${o.text}`)),
      }));
    });
    const code = cells.filter((c) => c.type === 'code');
    expect(code.length).toBeGreaterThan(5);
    expect(code.filter((c) => c.errors.length > 0), 'cells with an error').toEqual([]);
    expect(code.every((c) => typeof c.prompt === 'number')).toBe(true);
    expect(await page.locator('.output_error').count()).toBe(0);

    // The worker's verdict and the figures, drawn by plotly.js in the live page.
    const text = await page.locator('#notebook-container').innerText();
    expect(text).toContain(oomWorker);
    expect(text).toContain('oom_model_load');
    expect(await page.locator('.output_area .wf-badge').count()).toBeGreaterThan(10);
    const plots = await assertPlotsDrew(page);
    expect(plots.length).toBeGreaterThanOrEqual(4);
    expect(opened.blockedRequests).toEqual([]);
  });

  it('nothing was written into the checkout: the template untouched, no checkpoints', () => {
    expect(statSync(path.join(ROOT, 'notebooks', TEMPLATE)).mtimeMs).toBe(templateMtime);
    expect(existsSync(path.join(ROOT, 'notebooks', '.ipynb_checkpoints'))).toBe(false);
    expect(readdirSync(path.join(ROOT, 'notebooks')).every((f) => f.endsWith('.ipynb'))).toBe(true);
  });
});

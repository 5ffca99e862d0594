/**
 * Every notebook of the project executed on the demo fleet through Jupyter (nbclient) and the
 * tslab kernel, as CI must: a type error or an exception in any cell fails here. The rendered
 * investigation template is then opened in headless Chromium with the network cut off.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNotebook, type RenderResult } from '../../src/notebook/execute.js';
import { declaredParameters, readNotebook, type Notebook } from '../../src/notebook/parameters.js';
import { packageRoot } from '../../src/package-root.js';
import { assertPlotsDrew, openInChromium, type OpenedPage } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { codeCells, outputText, readJson, requireJupyter } from '../support/notebooks.js';

const NOTEBOOKS = path.join(packageRoot(), 'notebooks');
const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();
const outDir = mkdtempSync(path.join(tmpdir(), 'wf-notebooks-'));
const rendered = new Map<string, RenderResult>();
let oomWorker = '';

/** Renders with at most `limit` kernels at a time (2 cores in CI). */
async function renderAll(jobs: { file: string; parameters: Record<string, unknown> }[], limit = 2): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const name = path.basename(job.file, '.ipynb');
        rendered.set(job.file, await renderNotebook({ notebook: path.join(NOTEBOOKS, job.file), parameters: job.parameters, outDir, name, cellTimeoutS: 120 }));
      }
    }),
  );
}

beforeAll(async () => {
  await requireJupyter();
  const classified = (await runCli(['classify', '--json', '--source', 'demo'])).json();
  oomWorker = classified.workers.find((w: { pattern: string }) => w.pattern === 'oom_model_load').id;
  await renderAll(
    files.map((file) => {
      const declared = new Set(declaredParameters(readNotebook(path.join(NOTEBOOKS, file))).map((d) => d.name));
      return { file, parameters: { source: 'demo', ...(declared.has('workerId') && file === 'investigate-worker.ipynb' ? { workerId: oomWorker } : {}) } };
    }),
  );
}, 600_000);

describe('the notebooks as committed', () => {
  it('one per guide section with data (§1–§14, §16), plus the template and the crash-timing notebook', () => {
    for (const stem of ['01-', '02-', '03-', '04a-', '04b-', '05-', '06-', '07-', '08-', '09-', '10-', '11-', '12-', '13-', '14-', '16-']) {
      expect(files.some((f) => f.startsWith(stem)), stem).toBe(true);
    }
    expect(files).toContain('investigate-worker.ipynb');
    expect(files).toContain('crash-timing.ipynb');
    // Issue 11: following a task and judging a kill.
    expect(files).toContain('task-journey.ipynb');
    expect(files).toContain('why-killed.ipynb');
    expect(files).toContain('worker-timeline.ipynb');
    // Issue 11.
    expect(files).toContain('fleet-health.ipynb');
    expect(files).toContain('error-templates.ipynb');
  });

  it.each(files)('%s: clean (no outputs) with exactly one cell tagged parameters declaring source and asOf, and no parameter it does not use', (file) => {
    const nb: Notebook = readJson(path.join(NOTEBOOKS, file));
    expect(nb.metadata['kernelspec']).toMatchObject({ name: 'tslab' });
    expect(codeCells(nb).every((c) => (c.outputs ?? []).length === 0 && c.execution_count === null)).toBe(true);
    const names = declaredParameters(nb).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['source', 'asOf']));
    // A parameter the notebook's code never reads would be a knob that does nothing.
    const code = codeCells(nb)
      .filter((c) => !((c.metadata as { tags?: string[] }).tags ?? []).includes('parameters'))
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
      .join('\n');
    for (const name of names) expect(code, `${file} declares ${name} but never reads it`).toMatch(new RegExp(`\\b${name}\\b`));
  });
});

describe('every notebook executes on the demo fleet', () => {
  it.each(files)('%s runs to the end with no failing cell and no stderr from the kernel', (file) => {
    const result = rendered.get(file)!;
    expect(result.failure, JSON.stringify(result.failure)).toBeNull();
    const nb = readJson(result.ipynb!);
    // A tslab compile error prints on stderr; the demo-fleet notice is the only stderr line allowed.
    const stderr = codeCells(nb)
      .flatMap((c) => c.outputs ?? [])
      .filter((o) => (o as { name?: string }).name === 'stderr')
      .map((o) => String((o as { text?: unknown }).text));
    expect(stderr.filter((t) => !t.includes('demo fleet'))).toEqual([]);
    expect(nb.metadata['papermill']).toMatchObject({ parameters: { source: 'demo' } });
  });

  it.each(files)('%s: the HTML needs no local file or network asset', (file) => {
    const html = readFileSync(rendered.get(file)!.html!, 'utf8');
    expect(html).not.toContain('file://');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });
});

describe('the investigation template', () => {
  let page: OpenedPage | undefined;
  afterAll(async () => page?.close());

  it('finds the OOM during model loading, with every checklist item and the evidence', () => {
    const nb = readJson(rendered.get('investigate-worker.ipynb')!.ipynb!);
    const text = codeCells(nb).map(outputText).join('\n');
    expect(text).toContain(oomWorker);
    expect(text).toContain('OOM during model loading');
    expect(text).toContain('oom_model_load');
    for (const item of ['Check last heartbeat age', 'Get all logs', 'Identify the last log before silence', 'Look for MODEL SWITCH', 'Calculate time between MODEL SWITCH and crash', 'Check for heartbeat gaps', 'Find any error messages', 'Check tasks assigned', 'Verify memory profile', 'Compare crash timing']) {
      expect(text).toContain(item);
    }
    expect(text).toMatch(/inside the 1\.5–5 min OOM window/);
  });

  it('is under 5 MB with plotly.js embedded once', () => {
    const html = rendered.get('investigate-worker.ipynb')!.html!;
    expect(statSync(html).size).toBeLessThan(5 * 1024 * 1024);
    expect(readFileSync(html, 'utf8').split('plotly.js cartesian bundle').length - 1).toBe(1);
  });

  it('draws every plot in headless Chromium with no network and no console error', async () => {
    page = await openInChromium(rendered.get('investigate-worker.ipynb')!.html!);
    // Each figure's script draws once plotly.js (embedded above it) has loaded.
    await page.page.waitForFunction(() => [...document.querySelectorAll('.wf-plot')].every((plot) => plot.querySelector('svg.main-svg')), undefined, { timeout: 30_000 });
    const plots = await assertPlotsDrew(page.page);
    expect(plots.length).toBeGreaterThanOrEqual(4);
    expect(page.consoleErrors).toEqual([]);
    expect(page.blockedRequests).toEqual([]);
  });
});

describe('the fleet notebooks', () => {
  it('the fleet report shows the six states and the success rate', () => {
    const text = codeCells(readJson(rendered.get('13-fleet-report.ipynb')!.ipynb!)).map(outputText).join('\n');
    expect(text).toContain('Success rate (Complete / all)');
    expect(text).toMatch(/Workers created in the last 6 h/);
  });

  it('the fleet-health notebook: the demo outage makes it WARNING, with the stalled workers and orphaned tasks', () => {
    const text = codeCells(readJson(rendered.get('fleet-health.ipynb')!.ipynb!)).map(outputText).join('\n');
    expect(text).toMatch(/WARNING: [\d.]+ % of \d+ finished tasks failed/);
    for (const caption of ['Dead workers', 'Stalled workers', 'Orphaned tasks']) expect(text).toContain(caption);
    expect(text).toContain('worker_stalled');
  });

  it('the error-templates, §10 and §13 notebooks show templates, not the raw messages', () => {
    for (const file of ['error-templates.ipynb', '10-failed-tasks.ipynb', '13-fleet-report.ipynb']) {
      const text = codeCells(readJson(rendered.get(file)!.ipynb!)).map(outputText).join('\n');
      expect(text, file).toMatch(/Upload failed: storage returned HTTP &lt;n&gt; \(Service Unavailable\) for &lt;path&gt;/);
    }
    const errors = codeCells(readJson(rendered.get('error-templates.ipynb')!.ipynb!)).map(outputText).join('\n');
    expect(errors).toContain('CUDA out of memory. Tried to allocate &lt;size&gt;');
    // The raw figures appear only in the sample column: one sample per template.
    const failed = codeCells(readJson(rendered.get('10-failed-tasks.ipynb')!.ipynb!)).map(outputText).join('\n');
    expect(failed).not.toContain('error_message');
  });

  it('the crash-timing notebook splits by GPU, RAM tier, memory profile and model', () => {
    const text = codeCells(readJson(rendered.get('crash-timing.ipynb')!.ipynb!)).map(outputText).join('\n');
    for (const by of ['by gpu', 'by ram_tier', 'by memory_profile', 'by model']) expect(text).toContain(by);
  });
});

describe('the worker-timeline notebook', () => {
  it('says what ended the worker, draws the swim lanes and lists the events', () => {
    const nb = readJson(rendered.get('worker-timeline.ipynb')!.ipynb!);
    const text = codeCells(nb).map(outputText).join('\n');
    expect(text).toMatch(/Ended by: (crash|orchestrator kill|clean shutdown|still running)/);
    expect(text).toContain('Idle before the end:');
    expect(text).toContain('Plotly.newPlot');
    expect(text).toContain('Events, oldest first');
  });
});

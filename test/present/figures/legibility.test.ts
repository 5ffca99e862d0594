/**
 * Legible figures, measured in headless Chromium at 1280 px: each figure is drawn from hand-built
 * rows where the events fall seconds apart (an OOM's switch, last worker line and last DB heartbeat),
 * and the test reads the bounding boxes of what Plotly drew: event labels clear of each other, of
 * the title and of the legend; the legend clear of the axis's tick labels, date line and title; a
 * label on every Gantt row; the worker's label on the crash-timing histogram clear of every bar;
 * and the verdict heading not clipped when it wraps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RamSample } from '../../../src/analyses/memory-profile.js';
import { crashTiming } from '../../../src/analyses/crash-timing.js';
import { heartbeatGaps } from '../../../src/analyses/heartbeat-gaps.js';
import { investigateWorker } from '../../../src/analyses/investigation.js';
import { workerTasks } from '../../../src/analyses/worker-tasks.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';
import { crashTimingByGroupFigure, crashTimingHistogram } from '../../../src/present/figures/crash-timing.js';
import { fleetReport } from '../../../src/analyses/fleet-report.js';
import { taskTypeFigure } from '../../../src/present/figures/fleet.js';
import { logVolumeFigure } from '../../../src/present/figures/log-volume.js';
import { COLORS, type Figure } from '../../../src/present/figures/figure.js';
import { heartbeatTimelineFigure } from '../../../src/present/figures/heartbeat-timeline.js';
import { figureHtml, plotlyLoaderHtml } from '../../../src/present/figures/html.js';
import { memoryBeforeDeathFigure } from '../../../src/present/figures/memory.js';
import { GANTT_MAX_ROWS, taskTimelineFigure } from '../../../src/present/figures/task-timeline.js';
import { verdictHtml } from '../../../src/present/views.js';
import { openInChromium, type OpenedPage } from '../../support/browser.js';
import { caseOf, FLEET_AS_OF, oomWorker, secondOomWorker, vlmHangWorker } from '../../support/crash-fleet.js';
import { after, at, heartbeatsEvery, log, task, worker } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const on = { worker: W };

// A typical OOM: "Before VLM loading", the MODEL SWITCH, the worker's last line and its last DB
// heartbeat within 12 s of each other after an hour of heartbeats, as-of half a minute later.
const oomLogs = [
  log('12:00:05', 'Worker starting', on),
  log('12:00:06', 'Config loaded', { ...on, level: 'DEBUG' }),
  log('12:10:00', 'Retrying upload', { ...on, level: 'WARNING' }),
  ...heartbeatsEvery('12:00:30', '12:29:30', 30, on),
  // A 3-minute gap.
  ...heartbeatsEvery('12:32:30', '12:59:30', 30, on),
  log('12:59:58', 'Before VLM loading', on),
  log('13:00:00', '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit', on),
  log('13:00:04', 'Loading qwen_image_edit', on),
];
const oomRow = worker({ id: W, created: '12:00:00', heartbeat: '13:00:10', status: 'error' });
const OOM_AS_OF = at('13:00:40');

function heartbeatFigure(): Figure {
  return heartbeatTimelineFigure(heartbeatGaps(W, oomLogs, OOM_AS_OF, BUILT_IN_VOCABULARY, oomRow), oomLogs, {
    asOf: OOM_AS_OF,
    diedAt: at('13:00:10'),
    vocabulary: BUILT_IN_VOCABULARY,
  });
}

const TYPES = ['generate_video', 'qwen_image_edit', 'travel_orchestrator'];
/** `n` tasks of two minutes each, one after the other from 10:00, the last one In Progress. */
function tasksOf(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const start = after('10:00:00', i * 150);
    return task({
      id: `7a5c${String(i).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      worker: W,
      type: TYPES[i % TYPES.length]!,
      status: i === n - 1 ? 'In Progress' : i % 7 === 3 ? 'Failed' : 'Complete',
      created: after('10:00:00', i * 150 - 5),
      started: start,
      processed: i === n - 1 ? null : after(start, 120),
      error: i % 7 === 3 ? 'CUDA out of memory' : null,
    });
  });
}

function ganttFigure(n: number): Figure {
  const tasks = tasksOf(n);
  return taskTimelineFigure(W, workerTasks(W, tasks).tasks, at(after('10:00:00', n * 150 + 60)));
}

/** An OOM worker as crash-fleet's, on another GPU. */
function onGpu(id: string, gpu = 'NVIDIA L40S') {
  const member = oomWorker(id);
  return { ...member, worker: worker({ id, created: '12:00:00', heartbeat: '13:03:00', metadata: { ram_tier: 48, pod_details: { gpu_type_id: gpu } } }) };
}
const onL40S = (id: string) => onGpu(id);
const GPUS = ['NVIDIA L40S', 'NVIDIA GeForce RTX 4090', 'NVIDIA RTX A6000', 'NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-80GB', 'NVIDIA RTX 6000 Ada Generation', 'NVIDIA A40', 'NVIDIA GeForce RTX 3090', 'NVIDIA L4'];
/** Nine GPUs, one OOM death each: a legend that wraps onto several rows. */
function manyGroupsFigure(): Figure {
  const fleet = GPUS.map((gpu, i) => onGpu(`gpu-20251017_120000-0000010${i}`, gpu));
  const timing = crashTiming(fleet.map((m) => caseOf(m)), { from: at('10:00:00'), to: FLEET_AS_OF }, FLEET_AS_OF, BUILT_IN_VOCABULARY, 'gpu');
  return crashTimingHistogram(timing, { worker_id: fleet[0]!.worker.id, model_switch: { crash_after_s: 180 } });
}
// Four OOM deaths 180 s after their switch on two GPUs (stacked bars of two colours), one 240 s
// after: the placed worker's time falls in the tallest bar.
const crashFleet = [oomWorker('gpu-20251017_120000-00000001'), oomWorker('gpu-20251017_120000-00000011'), onL40S('gpu-20251017_120000-00000021'), onL40S('gpu-20251017_120000-00000031'), secondOomWorker(), vlmHangWorker()];
function crashTimingOf() {
  return crashTiming(crashFleet.map((m) => caseOf(m)), { from: at('10:00:00'), to: FLEET_AS_OF }, FLEET_AS_OF, BUILT_IN_VOCABULARY, 'gpu');
}
function histogramFigure(): Figure {
  return crashTimingHistogram(crashTimingOf(), { worker_id: 'gpu-20251017_120000-00000001', model_switch: { crash_after_s: 180 } });
}

function memoryFigure(): Figure {
  const samples: RamSample[] = Array.from({ length: 20 }, (_, i) => ({
    at: at('12:41:00') + i * 60_000_000,
    label: 'periodic',
    process_mb: 20_000 + i * 900,
    system_used_pct: 70 + i,
    available_gb: null,
    total_gb: null,
  }));
  return memoryBeforeDeathFigure(W, samples, { asOf: OOM_AS_OF, diedAt: at('13:00:10'), switchAt: at('13:00:00') });
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface Drawn {
  svg: Box;
  title: Box | null;
  legend: Box | null;
  annotations: { text: string; box: Box }[];
  xLabels: { text: string; box: Box }[];
  xTitle: Box | null;
  yLabels: { text: string; box: Box }[];
  bars: { fill: string; box: Box }[];
}

const overlaps = (a: Box, b: Box, margin = 0) => a.left < b.right - margin && b.left < a.right - margin && a.top < b.bottom - margin && b.top < a.bottom - margin;
const describeBox = (b: Box) => `[${b.left.toFixed(0)}–${b.right.toFixed(0)} × ${b.top.toFixed(0)}–${b.bottom.toFixed(0)}]`;

/** The boxes of what Plotly drew in the plot with this id. */
async function measure(page: Page, id: string): Promise<Drawn> {
  return page.evaluate((plotId) => {
    const root = document.getElementById(plotId)!;
    const box = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const texts = (selector: string) =>
      [...root.querySelectorAll(selector)].filter((el) => (el.textContent ?? '').trim() !== '').map((el) => ({ text: el.textContent ?? '', box: box(el)! }));
    return {
      svg: box(root.querySelector('svg.main-svg'))!,
      title: box(root.querySelector('.g-gtitle text')),
      legend: box(root.querySelector('g.legend rect.bg')),
      annotations: [...root.querySelectorAll('g.annotation')].map((el) => ({ text: el.textContent ?? '', box: box(el.querySelector('g.annotation-text-g'))! })),
      xLabels: texts('g.xtick text'),
      xTitle: box(root.querySelector('.g-xtitle text')),
      yLabels: texts('g.ytick text'),
      bars: [...root.querySelectorAll('g.trace.bars g.point path')].map((el) => ({ fill: getComputedStyle(el).fill, box: box(el)! })),
    };
  }, id);
}

let dir: string;
let opened: OpenedPage;
const FIGURES = {
  heartbeat: heartbeatFigure(),
  gantt: ganttFigure(GANTT_MAX_ROWS - 6),
  ganttByType: ganttFigure(GANTT_MAX_ROWS + 15),
  histogram: histogramFigure(),
  manyGroups: manyGroupsFigure(),
  memory: memoryFigure(),
  logVolume: logVolumeFigure(W, oomLogs),
  byGroup: crashTimingByGroupFigure(crashTimingOf()),
  taskTypes: taskTypeFigure(fleetReport([oomRow], tasksOf(20), { from: at('08:00:00'), to: FLEET_AS_OF }, FLEET_AS_OF)),
};
const LONG_ID = 'gpu-20251017_130952-95cd7f4c-with-a-long-pool-name-and-region-eu-west';
const verdict = verdictHtml(
  investigateWorker(
    worker({ id: LONG_ID, created: '12:00:00', heartbeat: '13:03:00', status: 'error' }),
    [task({ worker: LONG_ID, status: 'In Progress', created: '12:59:00', started: '12:59:10' })],
    oomWorker(LONG_ID).logs,
    FLEET_AS_OF,
    null,
    BUILT_IN_VOCABULARY,
  ),
);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wf-legibility-'));
  const body = Object.entries(FIGURES)
    .map(([name, figure]) => `<h2>${name}</h2>${figureHtml(figure, { id: name })}`)
    .join('\n');
  // The notebook's own heading rule (Jupyter's stylesheet fixes a tight line-height and clips);
  // the verdict is drawn in a narrow output column so that its heading wraps.
  const notebookCss = 'h3{line-height:1.0;height:1.2em;overflow:hidden;font-size:18px}';
  const file = path.join(dir, 'figures.html');
  writeFileSync(
    file,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:8px}${notebookCss}</style>${plotlyLoaderHtml()}</head>` +
      `<body>${body}<div id="verdict" style="width:420px">${verdict}</div></body></html>`,
  );
  opened = await openInChromium(file);
  await opened.page.waitForFunction((n) => document.querySelectorAll('.wf-plot svg.main-svg').length >= n, Object.keys(FIGURES).length, { timeout: 30_000 });
  // To look at them: WF_LEGIBILITY_SCREENSHOTS=<dir> saves each figure and the verdict as PNG.
  const shots = process.env['WF_LEGIBILITY_SCREENSHOTS'];
  if (shots) {
    for (const id of [...Object.keys(FIGURES), 'verdict']) await opened.page.locator(`#${id}`).screenshot({ path: path.join(shots, `${id}.png`) });
  }
}, 120_000);

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** No two labels overlap, none leaves the figure, none covers the title or the legend. */
function expectLabelsClear(drawn: Drawn) {
  const labels = drawn.annotations;
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!;
    expect(a.box.left, `"${a.text}" starts left of the figure`).toBeGreaterThanOrEqual(drawn.svg.left);
    expect(a.box.right, `"${a.text}" runs past the figure's right edge`).toBeLessThanOrEqual(drawn.svg.right);
    expect(a.box.top, `"${a.text}" runs above the figure`).toBeGreaterThanOrEqual(drawn.svg.top);
    if (drawn.title) expect(overlaps(a.box, drawn.title), `"${a.text}" ${describeBox(a.box)} covers the title ${describeBox(drawn.title)}`).toBe(false);
    if (drawn.legend) expect(overlaps(a.box, drawn.legend), `"${a.text}" covers the legend`).toBe(false);
    for (const b of labels.slice(i + 1)) {
      expect(overlaps(a.box, b.box), `"${a.text}" ${describeBox(a.box)} overlaps "${b.text}" ${describeBox(b.box)}`).toBe(false);
    }
  }
}

/** The legend covers no tick label of the x axis (the date line of a date axis included) and not its title. */
function expectLegendClearOfAxis(drawn: Drawn) {
  expect(drawn.legend, 'a legend').not.toBeNull();
  const legend = drawn.legend!;
  expect(drawn.xLabels.length).toBeGreaterThan(0);
  for (const label of drawn.xLabels) {
    expect(overlaps(label.box, legend), `the legend ${describeBox(legend)} covers the x label "${label.text}" ${describeBox(label.box)}`).toBe(false);
  }
  if (drawn.xTitle) expect(overlaps(drawn.xTitle, legend), 'the legend covers the x-axis title').toBe(false);
  expect(legend.bottom).toBeLessThanOrEqual(drawn.svg.bottom + 0.5);
}

describe('figures in Chromium at 1280 px', { timeout: 60_000 }, () => {
  it('the page drew every figure without an error', () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blockedRequests).toEqual([]);
  });

  it('heartbeat timeline: five event labels seconds apart, none over another, the title or the legend', async () => {
    const drawn = await measure(opened.page, 'heartbeat');
    expect(drawn.annotations.map((a) => a.text).sort()).toEqual(['Before VLM loading', 'MODEL SWITCH', 'as-of', 'last DB heartbeat (death)', 'last worker line']);
    expectLabelsClear(drawn);
    expectLegendClearOfAxis(drawn);
  });

  it('memory before death: the switch and the death 10 s apart, labels apart', async () => {
    const drawn = await measure(opened.page, 'memory');
    expect(drawn.annotations.map((a) => a.text).sort()).toEqual(['MODEL SWITCH', 'last DB heartbeat (death)']);
    expectLabelsClear(drawn);
    expectLegendClearOfAxis(drawn);
  });

  it('task Gantt: a label on every row, labels apart, the date line clear of the legend', async () => {
    const drawn = await measure(opened.page, 'gantt');
    const tasks = tasksOf(GANTT_MAX_ROWS - 6);
    expect(drawn.yLabels.map((l) => l.text)).toEqual(tasks.map((t) => `${t.task_type} ${t.id.slice(0, 8)}`));
    for (let i = 1; i < drawn.yLabels.length; i++) expect(overlaps(drawn.yLabels[i - 1]!.box, drawn.yLabels[i]!.box)).toBe(false);
    // The date axis shows the day on a second line under the first tick.
    expect(drawn.xLabels.some((l) => /2025/.test(l.text))).toBe(true);
    expectLegendClearOfAxis(drawn);
  });

  it('task Gantt of many tasks: one labelled row per task type', async () => {
    const drawn = await measure(opened.page, 'ganttByType');
    expect(drawn.yLabels.map((l) => l.text)).toEqual(TYPES);
    expect(drawn.bars.length).toBe(GANTT_MAX_ROWS + 15);
    expectLegendClearOfAxis(drawn);
  });

  it("crash-timing histogram: the worker's label above the bars, clear of every bar, in no bar's colour", async () => {
    const drawn = await measure(opened.page, 'histogram');
    const label = drawn.annotations.find((a) => a.text.startsWith('gpu-20251017_120000-00000001'));
    expect(label, 'the worker is labelled').toBeDefined();
    expect(drawn.bars.length).toBeGreaterThan(0);
    // The placed worker is in the tallest bar (4 of the 5 crashes at 180 s, two stacked bars).
    const tallest = drawn.bars.reduce((a, b) => (b.box.bottom - b.box.top > a.box.bottom - a.box.top ? b : a));
    expect(label!.box.right).toBeGreaterThan(tallest.box.left);
    for (const bar of drawn.bars) {
      expect(overlaps(label!.box, bar.box), `the label ${describeBox(label!.box)} sits on a bar ${describeBox(bar.box)}`).toBe(false);
      expect(bar.fill).not.toBe('rgb(214, 39, 40)'); // COLORS.dead, the worker's line
    }
    expect(COLORS.dead).toBe('#d62728');
    expectLabelsClear(drawn);
    expectLegendClearOfAxis(drawn);
  });

  it('every figure with a legend: the legend clear of the x axis, its labels and its title; every label clear', async () => {
    for (const id of Object.keys(FIGURES)) {
      const drawn = await measure(opened.page, id);
      expectLabelsClear(drawn);
      if (drawn.legend) expectLegendClearOfAxis(drawn);
    }
    // Figures of several traces show their legend.
    for (const id of ['heartbeat', 'logVolume', 'taskTypes', 'gantt', 'histogram', 'manyGroups']) expect((await measure(opened.page, id)).legend, id).not.toBeNull();
  });

  it('the verdict heading wraps onto a second line without clipping it', async () => {
    const heading = await opened.page.evaluate(() => {
      const h = document.querySelector('#verdict h3')!;
      const r = h.getBoundingClientRect();
      const lines = [...h.getClientRects()];
      const range = document.createRange();
      range.selectNodeContents(h);
      const content = range.getBoundingClientRect();
      const badge = h.querySelector('.wf-badge')!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, clientHeight: h.clientHeight, scrollHeight: h.scrollHeight, lines: lines.length, contentTop: content.top, contentBottom: content.bottom, badgeText: h.querySelector('.wf-badge')!.textContent, badgeBottom: badge.bottom, lineHeight: parseFloat(getComputedStyle(h).lineHeight) };
    });
    expect(heading.badgeText).toBe('dead');
    // Wrapped: taller than two line boxes; and the content fits inside the heading's box.
    expect(heading.bottom - heading.top).toBeGreaterThanOrEqual(2 * heading.lineHeight - 1);
    expect(heading.scrollHeight).toBeLessThanOrEqual(heading.clientHeight + 1);
    expect(heading.contentBottom).toBeLessThanOrEqual(heading.bottom + 1);
    expect(heading.contentTop).toBeGreaterThanOrEqual(heading.top - 1);
  });
});

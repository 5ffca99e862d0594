/**
 * Figure specs are pure functions of analysis results: snapshot-tested as JSON over fixed rows and
 * a fixed as-of (test/output/*.json; delete a file to accept a deliberate change).
 */
import { describe, expect, it } from 'vitest';
import { crashTiming } from '../../../src/analyses/crash-timing.js';
import { fleetReport } from '../../../src/analyses/fleet-report.js';
import { heartbeatGaps } from '../../../src/analyses/heartbeat-gaps.js';
import { computeSignalsForWorker } from '../../../src/analyses/worker-signals.js';
import { workerTasks } from '../../../src/analyses/worker-tasks.js';
import { crashTimingByGroupFigure, crashTimingHistogram } from '../../../src/present/figures/crash-timing.js';
import { fleetStateFigure, lifetimeFigure, taskOutcomeFigure } from '../../../src/present/figures/fleet.js';
import { heartbeatTimelineFigure } from '../../../src/present/figures/heartbeat-timeline.js';
import { figureHtml, hasData, scriptSafeJson } from '../../../src/present/figures/html.js';
import { logVolumeFigure } from '../../../src/present/figures/log-volume.js';
import { GANTT_MAX_ROWS, taskTimelineFigure } from '../../../src/present/figures/task-timeline.js';
import { bottomMarginFor, BOTTOM_MARGIN_PX, eventMarks, LABEL_ROW_PX } from '../../../src/present/figures/figure.js';
import { registerSecret } from '../../../src/redact.js';
import { at, heartbeatLine, log, task, worker } from '../../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const logs = [
  log('13:00:00', 'Worker starting', { id: 'l1', level: 'DEBUG' }),
  heartbeatLine('13:00:30', { id: 'l2' }),
  heartbeatLine('13:01:00', { id: 'l3' }),
  heartbeatLine('13:02:30', { id: 'l4' }),
  log('13:02:40', '🔄 MODEL SWITCH: a -> b', { id: 'l5' }),
  heartbeatLine('13:03:00', { id: 'l6' }),
  log('13:09:00', 'Marking worker as error', { id: 'l7', source: 'orchestrator_gpu', level: 'ERROR' }),
];
const dead = worker({ id: W, heartbeat: '13:05:00', metadata: { ram_tier: 48, pod_details: { gpu_type_id: 'NVIDIA L40S' } } });
const tasks = [task({ id: 't1', worker: W, created: '12:50:00', started: '12:51:00', processed: '12:55:00' }), task({ id: 't2', worker: W, status: 'In Progress', created: '13:02:00', started: '13:02:10' })];

const snapshot = (name: string, value: unknown) => expect(JSON.stringify(value, null, 1)).toMatchFileSnapshot(`../output/${name}.json`);

describe('figure specs', () => {
  it('heartbeat timeline: gaps over 40 s shaded, switch, last worker line, death and as-of marked', async () => {
    const figure = heartbeatTimelineFigure(heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, dead), logs, { asOf: AS_OF, diedAt: at('13:05:00'), vocabulary: BUILT_IN_VOCABULARY });
    const shapes = figure.layout['shapes'] as { type: string; fillcolor?: string }[];
    expect(shapes.filter((s) => s.type === 'rect')).toHaveLength(1); // the 90 s gap
    const labels = (figure.layout['annotations'] as { text: string }[]).map((a) => a.text);
    expect(labels).toEqual(expect.arrayContaining(['MODEL SWITCH', 'last worker line', 'last DB heartbeat (death)', 'as-of']));
    // The worker's other lines, on the time axis: what it did between beats.
    const own = figure.data.find((t) => t['name'] === 'other lines the worker wrote');
    expect(own?.['text']).toEqual(logs.filter((l) => l.source_type === 'worker' && !l.message.includes('[HEARTBEAT]')).map((l) => l.message));
    await snapshot('heartbeat-timeline', figure);
  });

  it('heartbeat timeline of a version that logs no heartbeat lines: says so, and still shows the worker\'s lines and its death', () => {
    const quiet = logs.filter((l) => !l.message.includes('[HEARTBEAT]'));
    const figure = heartbeatTimelineFigure(heartbeatGaps(W, quiet, AS_OF, BUILT_IN_VOCABULARY, dead), quiet, { asOf: AS_OF, diedAt: at('13:05:00'), vocabulary: BUILT_IN_VOCABULARY });
    expect((figure.layout['title'] as { text: string }).text).toContain('no heartbeat lines logged');
    expect(figure.data.find((t) => t['name'] === 'other lines the worker wrote')?.['x']).toHaveLength(quiet.filter((l) => l.source_type === 'worker').length);
    expect((figure.layout['annotations'] as { text: string }[]).map((a) => a.text)).toContain('last DB heartbeat (death)');
  });

  it('heartbeat timeline: a key in a line is redacted before the hover text is cut (cut first, it would no longer look like a key)', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2dnZWQtYnktbWlzdGFrZSJ9.TG9nZ2VkQnlNaXN0YWtlU2lnbmF0dXJl';
    // The key starts before the hover text's cut and ends after it.
    const leaked = [...logs, log('13:02:50', `token ${'.'.repeat(100)}${jwt}`, { id: 'l8' })];
    const figure = heartbeatTimelineFigure(heartbeatGaps(W, leaked, AS_OF, BUILT_IN_VOCABULARY, dead), leaked, { asOf: AS_OF, diedAt: at('13:05:00'), vocabulary: BUILT_IN_VOCABULARY });
    const texts = figure.data.find((t) => t['name'] === 'other lines the worker wrote')!['text'] as string[];
    const shown = texts.find((t) => t.startsWith('token '))!;
    expect(shown).toBe(`token ${'.'.repeat(100)}[REDACTED]`);
    expect(JSON.stringify(figure)).not.toContain('eyJhbGci');
  });

  it('log volume: one stacked histogram per level present', async () => {
    const figure = logVolumeFigure(W, logs);
    expect(figure.data.map((t) => t['name'])).toEqual(['DEBUG', 'INFO', 'ERROR']);
    await snapshot('log-volume', figure);
  });

  it('task timeline: a bar per task from claim to completion, or to as-of while In Progress', async () => {
    const figure = taskTimelineFigure(W, workerTasks(W, tasks).tasks, AS_OF);
    const durations = figure.data.flatMap((t) => t['x'] as number[]);
    expect(durations.sort((a, b) => a - b)).toEqual([240_000, (at('14:00:00') - at('13:02:10')) / 1000]);
    await snapshot('task-timeline', figure);
  });

  it('crash-timing histogram and per-group spread with the OOM window and one worker placed', async () => {
    const signals = computeSignalsForWorker(W, logs, AS_OF, BUILT_IN_VOCABULARY);
    const timing = crashTiming([{ worker: dead, tasks, signals }], { from: at('12:00:00'), to: AS_OF }, AS_OF, BUILT_IN_VOCABULARY, 'gpu');
    expect(timing.overall.timings_s).toEqual([140]);
    const histogram = crashTimingHistogram(timing, { worker_id: W, model_switch: { crash_after_s: 140 } });
    expect((histogram.layout['annotations'] as { text: string }[]).map((a) => a.text)).toContain(`${W}: 140 s`);
    await snapshot('crash-timing-histogram', histogram);
    await snapshot('crash-timing-by-group', crashTimingByGroupFigure(timing));
  });

  it('fleet report figures', async () => {
    const report = fleetReport([dead, worker({ id: 'gpu-20251017_120000-bbbbbbbb', heartbeat: '13:59:59' })], tasks, { from: at('08:00:00'), to: AS_OF }, AS_OF);
    expect(fleetStateFigure(report).data[0]!['y']).toEqual([1, 0, 1, 0, 0, 0]);
    await snapshot('fleet-states', fleetStateFigure(report));
    await snapshot('task-outcomes', taskOutcomeFigure(report));
    await snapshot('lifetimes', lifetimeFigure(report));
  });
});

describe('figure HTML', () => {
  it('script-safe JSON: a log line cannot close the script', () => {
    const json = scriptSafeJson({ message: '</script><script>alert(1)</script> & <!--' });
    expect(json).not.toMatch(/<|>|&/);
    expect(JSON.parse(json)).toEqual({ message: '</script><script>alert(1)</script> & <!--' });
  });

  it('a figure with nothing to draw is one line saying so, not an empty plot', () => {
    const empty = logVolumeFigure(W, []);
    expect(hasData(empty)).toBe(false);
    expect(figureHtml(empty)).toMatch(/^<p class="wf-plot-empty".*Nothing to plot: Log volume/);
  });

  it('redacts secrets in hover text and titles', () => {
    registerSecret('sb_secret_figure_canary_123');
    const html = figureHtml(logVolumeFigure('sb_secret_figure_canary_123', logs));
    expect(html).not.toContain('sb_secret_figure_canary_123');
    expect(html).toContain('[REDACTED]');
  });
});

describe('labels that never overlap', () => {
  type Placed = { text: string; yshift: number; xanchor: string };
  const labelsOf = (r: ReturnType<typeof eventMarks>) => r.annotations as Placed[];

  it('events seconds apart on an hour take one row each; far apart they share the first', () => {
    const hour: [number, number] = [at('12:00:00'), at('13:00:00')];
    const close = eventMarks(
      ['12:59:50', '12:59:55', '13:00:00'].map((t, i) => ({ at: at(t), x: t, label: `event ${i}`, color: '#000' })),
      hour,
    );
    expect(new Set(labelsOf(close).map((a) => a.yshift)).size).toBe(3);
    // In the right half: anchored to the left of their lines, so they do not run off the plot.
    expect(labelsOf(close).every((a) => a.xanchor === 'right')).toBe(true);
    const far = eventMarks(
      ['12:05:00', '12:30:00', '12:55:00'].map((t, i) => ({ at: at(t), x: t, label: `event ${i}`, color: '#000' })),
      hour,
    );
    expect(labelsOf(far).map((a) => a.yshift)).toEqual([3, 3, 3]);
    expect(labelsOf(far)[0]!.xanchor).toBe('left');
    // The top margin grows with the rows.
    expect(close.topMargin - far.topMargin).toBe(2 * LABEL_ROW_PX);
  });

  it('a label-only mark draws no line; a boxed one gets a white box', () => {
    const r = eventMarks(
      [
        { at: 90, x: 90, label: 'window', color: '#8a5a00', line: false },
        { at: 140, x: 140, label: 'worker', color: '#d62728', boxed: true },
      ],
      [0, 600],
    );
    expect(r.shapes).toHaveLength(1);
    expect((r.annotations as { bgcolor?: string }[]).map((a) => a.bgcolor)).toEqual([undefined, '#ffffff']);
  });

  it('a legend that wraps gets a taller bottom margin', () => {
    expect(bottomMarginFor(['a', 'b'])).toBe(BOTTOM_MARGIN_PX);
    expect(bottomMarginFor(Array.from({ length: 9 }, (_, i) => `NVIDIA GPU model ${i} (n=1, median 180 s)`))).toBeGreaterThan(BOTTOM_MARGIN_PX);
  });

  it('task Gantt: every row an explicit tick; past GANTT_MAX_ROWS tasks, one row per task type', () => {
    const many = Array.from({ length: GANTT_MAX_ROWS + 1 }, (_, i) =>
      task({ id: `7a5c${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`, worker: W, type: i % 2 ? 'image_edit' : 'generate_video', created: '12:50:00', started: '12:51:00', processed: '12:55:00' }),
    );
    const grouped = taskTimelineFigure(W, workerTasks(W, many).tasks, AS_OF);
    expect((grouped.layout['yaxis'] as { tickvals: string[] }).tickvals.sort()).toEqual(['generate_video', 'image_edit']);
    const few = taskTimelineFigure(W, workerTasks(W, many.slice(0, 3)).tasks, AS_OF);
    expect((few.layout['yaxis'] as { tickvals: string[] }).tickvals).toHaveLength(3);
  });
});

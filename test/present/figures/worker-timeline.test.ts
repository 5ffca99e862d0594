/**
 * The timeline's swim lanes (issue 11): one time axis, four lanes; tasks span from claim to their
 * end or to the worker's end while held; a model spans from its switch or load to the next model;
 * heartbeat-line runs are spans; warnings and errors sit in the log-level lane; the end is marked
 * with what ended the worker.
 */
import { describe, expect, it } from 'vitest';
import { workerTimeline } from '../../../src/analyses/worker-timeline.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';
import { workerTimelineFigure } from '../../../src/present/figures/worker-timeline.js';
import { figureHtml } from '../../../src/present/figures/html.js';
import { TIMELINE_LANES } from '../../../src/present/worker-timeline.js';
import { at, heartbeatLine, log, task, worker } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

const tasks = [
  task({ id: T1, status: 'Complete', type: 'join_clips', started: '12:05:00', processed: '12:09:00' }),
  task({ id: T2, status: 'In Progress', type: 'travel_segment', started: '12:10:00' }),
];
const logs = [
  log('12:00:01', `🚀 Worker ${W} starting`, { id: 'l01' }),
  log('12:00:30', `Worker ${W} ready`, { id: 'l02' }),
  heartbeatLine('12:01:00', { id: 'l03' }),
  heartbeatLine('12:01:30', { id: 'l04' }),
  heartbeatLine('12:02:00', { id: 'l05' }),
  log('12:05:00', `[CLAIM] Claimed task ${T1}`, { id: 'l06', task: T1 }),
  log('12:05:10', '🔄 MODEL SWITCH: a -> b', { id: 'l07', task: T1 }),
  log('12:06:00', 'Model loaded: b', { id: 'l08', task: T1 }),
  log('12:07:00', 'VRAM usage high', { id: 'l09', task: T1, level: 'WARNING' }),
  log('12:10:00', `[CLAIM] Claimed task ${T2}`, { id: 'l10', task: T2 }),
  log('12:10:10', '🔄 MODEL SWITCH: b -> c', { id: 'l11', task: T2 }),
  log('12:11:00', 'CUDA error', { id: 'l12', task: T2, level: 'ERROR' }),
  log('12:11:05', 'CUDA error', { id: 'l13', task: T2, level: 'ERROR' }),
];
const dead = worker({ id: W, status: 'error', heartbeat: '12:12:00' });
const result = workerTimeline(dead, tasks, logs, AS_OF, BUILT_IN_VOCABULARY);
const figure = workerTimelineFigure(result, AS_OF);
const trace = (name: string) => figure.data.find((t) => t['name'] === name)!;

describe('workerTimelineFigure', () => {
  it('four lanes on one time axis, in order, every one shown', () => {
    expect((figure.layout['yaxis'] as { categoryarray: string[] }).categoryarray).toEqual([...TIMELINE_LANES]);
    expect(new Set(figure.data.flatMap((t) => t['y'] as string[]))).toEqual(new Set(TIMELINE_LANES));
    expect((figure.layout['xaxis'] as { type: string }).type).toBe('date');
  });

  it('tasks span from claim to end, or to the worker\'s end while it held them', () => {
    expect(trace('task Complete')).toMatchObject({ base: ['2025-10-17T12:05:00.000Z'], x: [240_000], y: ['tasks'] });
    // Held when the worker died: to its end, the last DB heartbeat.
    expect(trace('task held at the end')).toMatchObject({ base: ['2025-10-17T12:10:00.000Z'], x: [120_000] });
  });

  it('a model spans from its switch to the next model; the last one to the end', () => {
    // The switch to b and the load of b are one span (b stays loaded until the switch to c).
    expect(trace('b')).toMatchObject({ base: ['2025-10-17T12:05:10.000Z'], x: [(at('12:10:10') - at('12:05:10')) / 1000], y: ['models'] });
    expect(trace('c')).toMatchObject({ base: ['2025-10-17T12:10:10.000Z'], x: [(at('12:12:00') - at('12:10:10')) / 1000] });
  });

  it('heartbeat-line runs as spans; warnings and errors in the log-level lane, a run larger', () => {
    expect(trace('heartbeat lines')).toMatchObject({ base: ['2025-10-17T12:01:30.000Z'], x: [30_000], y: ['lifecycle'] });
    expect(trace('warning')['y']).toEqual(['log levels']);
    const errors = trace('error');
    expect(errors['x']).toEqual(['2025-10-17T12:11:00.000Z']);
    expect((errors['marker'] as { size: number[] }).size[0]).toBeGreaterThan((trace('warning')['marker'] as { size: number[] }).size[0]!);
  });

  it('marks the end with what ended it; the axis spans the life, not up to a far as-of', async () => {
    const labels = (figure.layout['annotations'] as { text: string }[]).map((a) => a.text);
    expect(labels).toEqual(['end: crash']);
    // Created 12:00:00, died 12:12:00: padded by 30 s (2 % of 12 min is less).
    expect((figure.layout['xaxis'] as { range: string[] }).range).toEqual(['2025-10-17T11:59:30.000Z', '2025-10-17T12:12:30.000Z']);
    expect((figure.layout['shapes'] as { x0: string }[])[0]!.x0).toBe('2025-10-17T12:12:00.000Z');
    await expect(JSON.stringify(figure, null, 1)).toMatchFileSnapshot('../output/worker-timeline.json');
  });

  it('a running worker: no end mark, held tasks run to as-of; HTML draws it', () => {
    const running = workerTimeline(worker({ id: W, heartbeat: '13:59:50' }), tasks, logs, AS_OF, BUILT_IN_VOCABULARY);
    const f = workerTimelineFigure(running, AS_OF);
    expect((f.layout['annotations'] as { text: string }[]).map((a) => a.text)).toEqual(['as-of']);
    expect(f.data.find((t) => t['name'] === 'task held at the end')!['x']).toEqual([(AS_OF - at('12:10:00')) / 1000]);
    expect(figureHtml(f)).toContain('Plotly.newPlot');
  });
});

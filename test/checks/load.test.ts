import { describe, expect, it } from 'vitest';
import { CRASH_TIMING_DIMENSIONS, crashTiming } from '../../src/analyses/crash-timing.js';
import { hoursWindow } from '../../src/rows/window.js';
import { loadSwitchedCases, loadSwitchTimingCases, loadWorkerEvidence, readContext, validateWorkerId } from '../../src/checks/load.js';
import { openDemoSource } from '../../src/sources/demo.js';
import { MemorySource } from '../../src/sources/memory.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { randomFleet } from '../support/random-fleet.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

describe('loadSwitchTimingCases', () => {
  it('gives crashTiming the same answers as the full cases, on the demo fleet and on random fleets', async () => {
    const fleets = [openDemoSource(), ...[1, 2, 3].map((seed) => {
      const f = randomFleet({ seed, workers: 40 });
      return new MemorySource(f, { kind: 'demo', label: `random ${seed}`, frozenAt: f.asOf });
    })];
    for (const source of fleets) {
      const read = readContext(source, source.frozenAt!);
      for (const hours of [1, 6, 48]) {
        const window = hoursWindow(read.asOf, hours);
        const [full, light] = await Promise.all([loadSwitchedCases(read, window), loadSwitchTimingCases(read, window)]);
        for (const by of CRASH_TIMING_DIMENSIONS) {
          expect(crashTiming(light, window, read.asOf, BUILT_IN_VOCABULARY, by), `${source.label} ${hours} h by ${by}`).toEqual(crashTiming(full.cases, window, read.asOf, BUILT_IN_VOCABULARY, by));
        }
      }
    }
  });
});

describe('reads as of an instant', () => {
  it('hide workers, tasks and lines created after it', async () => {
    const source = openDemoSource();
    const asOf = source.frozenAt! - 3600 * 1_000_000;
    const read = readContext(source, asOf);
    const [workers, tasks, logs] = await Promise.all([read.source.workers({}), read.source.tasks({}), read.source.logs({})]);
    const [allWorkers, allTasks] = await Promise.all([source.workers({}), source.tasks({})]);
    expect(workers.rows.length).toBeGreaterThan(0);
    expect(workers.rows.length).toBeLessThan(allWorkers.rows.length);
    expect(tasks.rows.length).toBeLessThan(allTasks.rows.length);
    expect(workers.rows.every((w) => w.created_at <= asOf)).toBe(true);
    expect(tasks.rows.every((t) => t.created_at <= asOf)).toBe(true);
    expect(logs.rows.every((l) => l.timestamp <= asOf)).toBe(true);
    // A tighter bound asked by the query still holds.
    const early = await read.source.tasks({ createdTo: asOf - 7200 * 1_000_000 });
    expect(early.rows.every((t) => t.created_at <= asOf - 7200 * 1_000_000)).toBe(true);
  });
});

describe('worker evidence', () => {
  it('rejects ids that cannot be worker ids before any query', () => {
    for (const bad of ['', ' ', 'gpu 1', "x';drop", 'a'.repeat(201), '-leading-dash']) expect(() => validateWorkerId(bad)).toThrow(UsageError);
    expect(validateWorkerId(' gpu-20251017_130952-95cd7f4c ')).toBe('gpu-20251017_130952-95cd7f4c');
  });

  it('an unknown worker is NotFound with suggestions by prefix; a deleted worker still has its logs', async () => {
    const source = openDemoSource();
    const read = readContext(source, source.frozenAt!);
    const known = (await source.workers({})).rows[0]!.id;
    await expect(loadWorkerEvidence(read, known.slice(0, -2) + 'zz')).rejects.toMatchObject({ suggestions: expect.arrayContaining([known]) });
    await expect(loadWorkerEvidence(read, 'gpu-20990101_000000-00000000')).rejects.toBeInstanceOf(NotFoundError);
    // A task still names a worker whose row is gone: its evidence is the task (and any lines), no row.
    const rows = new Set((await source.workers({})).rows.map((w) => w.id));
    const deleted = (await source.tasks({})).rows.map((t) => t.worker_id).find((id): id is string => id !== null && !rows.has(id));
    expect(deleted).toBeDefined();
    const evidence = await loadWorkerEvidence(read, deleted!);
    expect(evidence.worker).toBeNull();
    expect(evidence.tasks.length).toBeGreaterThan(0);
  });
});

describe('malformed rows are reported by the reads that meet them', () => {
  it('a worker read reports its own malformed lines, not another worker\'s', async () => {
    const line = (id: string, worker: string, timestamp: string) => ({ id, timestamp, source_type: 'worker', log_level: 'INFO', message: 'x', worker_id: worker });
    const source = new MemorySource(
      {
        workers: [
          { id: 'gpu-a', created_at: '2025-10-17T12:00:00Z', status: 'active', last_heartbeat: '2025-10-17T12:59:00Z' },
          { id: 'gpu-b', created_at: 'noon', status: 'active' },
        ],
        tasks: [],
        system_logs: [line('1', 'gpu-a', '2025-10-17T12:10:00Z'), line('2', 'gpu-a', 'bad'), line('3', 'gpu-b', 'bad')],
      },
      { kind: 'snapshot', label: 'test', frozenAt: null },
    );
    expect((await source.workers({ ids: ['gpu-a'] })).problems).toEqual([]);
    expect((await source.logs({ workerIds: ['gpu-a'] })).problems.map((p) => p.rowId)).toEqual(['2']);
    expect((await source.workers({})).problems.map((p) => p.rowId)).toEqual(['gpu-b']);
  });
});

describe('an as-of earlier than the data puts rows back as they stood', () => {
  const source = openDemoSource();
  const dataAt = source.frozenAt!;
  const asOf = dataAt - 3600 * 1_000_000;

  it('a worker that beat after the as-of was alive then: active, no orchestrator error, a heartbeat at the as-of', async () => {
    const now = await source.workers({});
    const later = now.rows.find((w) => w.status === 'error' && w.last_heartbeat !== null && w.last_heartbeat > asOf && w.created_at <= asOf)!;
    expect(later).toBeDefined();
    const read = readContext(source, asOf, { dataAt });
    const then = (await read.source.workers({ ids: [later.id] })).rows[0]!;
    expect(then).toMatchObject({ status: 'active', last_heartbeat: asOf });
    expect(then.metadata?.['error_code']).toBeUndefined();
    // Status filters apply to the state then.
    expect((await read.source.workers({ statuses: ['active'] })).rows.map((w) => w.id)).toContain(later.id);
    expect((await read.source.workers({ statuses: ['error'] })).rows.map((w) => w.id)).not.toContain(later.id);
  });

  it('a task finished after the as-of was In Progress then; one claimed after it was Queued', async () => {
    const read = readContext(source, asOf, { dataAt });
    const tasks = (await read.source.tasks({})).rows;
    const all = new Map((await source.tasks({})).rows.map((t) => [t.id, t]));
    const finishedLater = tasks.filter((t) => (all.get(t.id)!.generation_processed_at ?? 0) > asOf && all.get(t.id)!.generation_started_at! <= asOf);
    expect(finishedLater.length).toBeGreaterThan(0);
    for (const t of finishedLater) expect(t).toMatchObject({ status: 'In Progress', generation_processed_at: null });
    for (const t of tasks) {
      if (t.generation_processed_at !== null) expect(t.generation_processed_at).toBeLessThanOrEqual(asOf);
      if (t.generation_started_at !== null) expect(t.generation_started_at).toBeLessThanOrEqual(asOf);
    }
  });

  it('no reconstruction when the as-of is the data\'s own instant', async () => {
    const read = readContext(source, dataAt, { dataAt });
    expect((await read.source.workers({})).rows).toEqual((await source.workers({})).rows);
  });
});

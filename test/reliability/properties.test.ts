/**
 * Properties (fast-check) not covered elsewhere:
 * - no analysis depends on the order in which rows or workers arrive (random fleets from
 *   test/support/random-fleet.ts, randomly permuted): every fleet-wide result is the same as
 *   returned, order of every list and of every record's keys included, and the per-worker results
 *   come back in the order the workers were asked for, each the same as for the original order;
 * - the snapshot reader, fed random bytes, random JSON and mutated valid snapshots (truncated,
 *   corrupt gzip, wrong types), either throws a SourceError with a one-line message or returns rows,
 *   every input row accounted for as a row or a problem; and the checks run on whatever it returns
 *   without crashing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as checks from '../../src/checks/index.js';
import { activeWorkers } from '../../src/analyses/active-workers.js';
import { classifyWorkers } from '../../src/analyses/crash-patterns.js';
import { type WorkerCase } from '../../src/analyses/cases.js';
import { CRASH_TIMING_DIMENSIONS, crashTiming } from '../../src/analyses/crash-timing.js';
import { failedTasks } from '../../src/analyses/failed-tasks.js';
import { fleetReport } from '../../src/analyses/fleet-report.js';
import { fleetHealth } from '../../src/analyses/fleet-health.js';
import { errorTemplates } from '../../src/analyses/error-templates.js';
import { heartbeatCadence } from '../../src/analyses/heartbeat-cadence.js';
import { workerTimeline } from '../../src/analyses/worker-timeline.js';
import { investigateWorker } from '../../src/analyses/investigation.js';
import { modelLoadCrashes } from '../../src/analyses/model-load-crashes.js';
import { orphanedTasks } from '../../src/analyses/orphaned-tasks.js';
import { quickCheck } from '../../src/analyses/quick-check.js';
import { recentWorkers } from '../../src/analyses/recent-workers.js';
import { staleWorkers } from '../../src/analyses/stale-workers.js';
import { computeWorkerSignals } from '../../src/analyses/worker-signals.js';
import { workerLogs } from '../../src/analyses/worker-logs.js';
import { isForensicsError, SourceError } from '../../src/errors.js';
import { hoursWindow } from '../../src/rows/window.js';
import { readContext } from '../../src/checks/load.js';
import { parseRows, WHOLE_TABLE } from '../../src/rows/parse.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { openSnapshotSource, snapshotMeta, writeSnapshotFile } from '../../src/sources/snapshot.js';
import type { Instant } from '../../src/rows/time.js';
import { mulberry32 } from '../../dev/postgrest-server.js';
import { randomFleet, type RandomFleet } from '../support/random-fleet.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-properties-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Rows {
  workers: Worker[];
  tasks: Task[];
  logs: SystemLog[];
}

function parsed(fleet: RandomFleet): Rows {
  return { workers: parseRows('workers', fleet.workers).rows, tasks: parseRows('tasks', fleet.tasks).rows, logs: parseRows('system_logs', fleet.system_logs).rows };
}

/** Small fleets, with a few model-load crashes so that crash lists have ties to order. */
const FLEET = { workers: 12, maxLinesPerWorker: 30, crashedWorkers: 4 };

/**
 * Every analysis the property covers, from rows in the order given, each result as returned:
 * `fleet` holds the fleet-wide results, `byWorker` one record per worker in the order asked.
 */
function answers({ workers, tasks, logs }: Rows, asOf: Instant) {
  const window = hoursWindow(asOf, 24);
  const signals = computeWorkerSignals(workers.map((w) => w.id), logs, asOf, BUILT_IN_VOCABULARY);
  const cases: WorkerCase[] = workers.map((worker) => ({ worker, tasks: tasks.filter((t) => t.worker_id === worker.id), signals: signals.get(worker.id)! }));
  const timing = CRASH_TIMING_DIMENSIONS.map((by) => crashTiming(cases, window, asOf, BUILT_IN_VOCABULARY, by));
  const classifications = classifyWorkers(cases, asOf, BUILT_IN_VOCABULARY);
  return {
    fleet: {
      timing,
      modelLoadCrashes: modelLoadCrashes(cases, window, asOf),
      active: activeWorkers(workers, asOf),
      recent: recentWorkers(workers, window, asOf),
      stale: staleWorkers(workers, asOf),
      // A limit, so that which failed tasks are shown depends on the order too.
      failed: failedTasks(tasks, 5),
      orphans: orphanedTasks(tasks, workers, asOf),
      report: fleetReport(workers, tasks, window, asOf, [], logs),
      // Issue 11.
      health: fleetHealth(tasks, workers, hoursWindow(asOf, 2), asOf),
      errors: errorTemplates(tasks, logs),
    },
    byWorker: workers.map((worker, i) => {
      const own = logs.filter((l) => l.worker_id === worker.id);
      return {
        signals: signals.get(worker.id),
        classification: classifications[i],
        investigation: investigateWorker(worker, tasks, logs, asOf, timing[0]!, BUILT_IN_VOCABULARY),
        logs: workerLogs(worker.id, own, asOf, { limit: 5 }),
        quickCheck: quickCheck(worker.id, worker, tasks, own, asOf),
        cadence: heartbeatCadence(worker, own, asOf, BUILT_IN_VOCABULARY),
        timeline: workerTimeline(worker, tasks, logs, asOf, BUILT_IN_VOCABULARY),
      };
    }),
  };
}

/** The same as returned: every value, the order of every list and of every record's keys. */
function expectSameAsReturned(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  // Key order too: it is the order in which counts are printed (countsText).
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('order independence', () => {
  it('every analysis gives the same answer, as returned, for any order of rows and workers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer(), fc.integer(), fc.integer(), (fleetSeed, w, t, l) => {
        const fleet = randomFleet({ seed: fleetSeed, ...FLEET });
        const rows = parsed(fleet);
        const reference = answers(rows, fleet.asOf);
        const order = shuffled(rows.workers.map((_, i) => i), w);
        const permuted = answers({ workers: order.map((i) => rows.workers[i]!), tasks: shuffled(rows.tasks, t), logs: shuffled(rows.logs, l) }, fleet.asOf);
        expectSameAsReturned(permuted.fleet, reference.fleet);
        // Per-worker results come back in the order asked, each the same as before.
        expectSameAsReturned(permuted.byWorker, order.map((i) => reference.byWorker[i]));
      }),
      { numRuns: 60 },
    );
  });

  it('the comparison sees the order of a list and of a record\'s keys (so that the property can fail)', () => {
    expect(() => expectSameAsReturned([1, 2], [2, 1])).toThrow();
    expect(() => expectSameAsReturned({ a: 1, b: 2 }, { b: 2, a: 1 })).toThrow();
    expect(() => expectSameAsReturned({ a: 1, b: undefined }, { a: 1 })).toThrow();
  });

  it('the fleets drawn have crashes, orphans, failed and stale workers to order (so that the property says something)', () => {
    const seen = { crashes: 0, fleetsWithTwoCrashes: 0, patterns: new Set<string>(), orphans: 0, failed: 0, stale: 0, templatesWithTwo: 0, finished: 0, dead: 0 };
    for (let seed = 1; seed <= 20; seed++) {
      const fleet = randomFleet({ seed, ...FLEET });
      const { fleet: f, byWorker } = answers(parsed(fleet), fleet.asOf);
      seen.crashes += f.timing[0]!.overall.crashed;
      if (f.modelLoadCrashes.workers.length >= 2) seen.fleetsWithTwoCrashes++;
      seen.orphans += f.orphans.tasks.length;
      seen.failed += f.failed.total;
      seen.stale += f.stale.workers.length;
      seen.templatesWithTwo += f.errors.templates.filter((t) => t.count >= 2).length;
      seen.finished += f.health.finished;
      seen.dead += f.health.dead_workers.length;
      for (const w of byWorker) seen.patterns.add(w.classification!.pattern);
    }
    expect(seen.crashes).toBeGreaterThan(0);
    expect(seen.fleetsWithTwoCrashes).toBeGreaterThan(0);
    expect(seen.patterns.size).toBeGreaterThanOrEqual(4);
    expect(seen.orphans).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(5);
    expect(seen.stale).toBeGreaterThan(0);
    expect(seen.templatesWithTwo).toBeGreaterThan(0);
    expect(seen.finished).toBeGreaterThan(0);
    expect(seen.dead).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The snapshot reader

const TABLES = ['workers', 'tasks', 'system_logs'] as const;
let fileCount = 0;

/**
 * Reads `bytes` as a snapshot file: a SourceError with a one-line message, or a source whose every
 * input row is a row or a problem, on which the checks run without crashing.
 */
async function expectReadableOrRefused(bytes: Uint8Array): Promise<'refused' | 'read'> {
  const file = path.join(tmp, `fuzz-${fileCount++}.json`);
  writeFileSync(file, bytes);
  let source;
  try {
    source = await openSnapshotSource(file);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    return 'refused';
  }
  const input = inputTables(bytes);
  const read = {
    workers: await source.workers({}),
    tasks: await source.tasks({}),
    system_logs: await source.logs({}),
  };
  for (const table of TABLES) {
    const rowProblems = read[table].problems.filter((p) => p.table === table && p.rowId !== WHOLE_TABLE);
    const given = input[table];
    expect(read[table].rows.length + rowProblems.length).toBe(Array.isArray(given) ? given.length : 0);
  }
  const asOf = source.frozenAt ?? 1_760_709_600_000_000;
  const ctx = readContext(source, asOf);
  try {
    await checks.classify(ctx, { hours: 1e6 });
    await checks.report(ctx, 1e6);
    await checks.crashTimingCheck(ctx, { hours: 1e6 });
    await checks.orphans(ctx);
    await checks.stale(ctx);
    await checks.failed(ctx);
    const first = read.workers.rows[0];
    if (first) await checks.investigation(ctx, first.id, { hours: 1e6 });
  } catch (error) {
    // A worker id that cannot be one is refused as such; nothing else may go wrong.
    if (!isForensicsError(error)) throw error;
  }
  return 'read';
}

function inputTables(bytes: Uint8Array): Record<(typeof TABLES)[number], unknown> {
  const buffer = Buffer.from(bytes);
  const text = buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer).toString('utf8') : buffer.toString('utf8');
  const document = JSON.parse(text) as Record<string, unknown>;
  return { workers: document['workers'], tasks: document['tasks'], system_logs: document['system_logs'] };
}

/** A valid snapshot of a random fleet, written by the tool itself. */
async function validSnapshot(): Promise<{ json: Buffer; gz: Buffer }> {
  const fleet = randomFleet({ seed: 3, workers: 6, maxLinesPerWorker: 12 });
  const rows = parsed(fleet);
  const file = path.join(tmp, 'valid.json');
  const counts = { workers: rows.workers.length, tasks: rows.tasks.length, system_logs: rows.logs.length };
  // Every table has rows to mutate.
  expect(Math.min(...Object.values(counts))).toBeGreaterThan(0);
  await writeSnapshotFile(file, { workers: rows.workers, tasks: rows.tasks, system_logs: rows.logs }, snapshotMeta(fleet.asOf, 'random fleet', { hours: 24 }, counts, fleet.asOf, 'test'));
  const json = readFileSync(file);
  return { json, gz: gzipSync(json) };
}

const jsonText = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A row-like object: the real columns, each with a random JSON value, some left out. */
const rowLike = fc.dictionary(
  fc.constantFrom('id', 'created_at', 'last_heartbeat', 'status', 'metadata', 'timestamp', 'message', 'worker_id', 'source_type', 'log_level', 'task_type', 'attempts', 'error_message'),
  fc.oneof(fc.jsonValue(), fc.constantFrom('2025-10-17T13:00:00Z', '2025-10-17 13:00:00.123456+00', 'gpu-20251017_130000-00000001', 'Failed', 'In Progress', 'active', '🔄 MODEL SWITCH: a -> b')),
);

describe('the snapshot reader never crashes', { timeout: 120_000 }, () => {
  it('on random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => void (await expectReadableOrRefused(bytes))), { numRuns: 200 });
  });

  it('on random JSON', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue(), async (value) => void (await expectReadableOrRefused(jsonText(value)))), { numRuns: 200 });
  });

  it('on objects with the table keys holding random values and random rows', async () => {
    const table = fc.oneof(fc.array(fc.oneof(rowLike, fc.jsonValue()), { maxLength: 8 }), fc.jsonValue());
    const document = fc.record({ meta: fc.oneof(fc.jsonValue(), fc.record({ as_of: fc.oneof(fc.string(), fc.jsonValue()) })), workers: table, tasks: table, system_logs: table }, { requiredKeys: [] });
    let read = 0;
    await fc.assert(
      fc.asyncProperty(document, async (value) => {
        if ((await expectReadableOrRefused(jsonText(value))) === 'read') read++;
      }),
      { numRuns: 300 },
    );
    expect(read).toBeGreaterThan(100);
  });

  it('on a valid snapshot truncated anywhere, plain or gzipped', async () => {
    const { json, gz } = await validSnapshot();
    expect(await expectReadableOrRefused(json)).toBe('read');
    expect(await expectReadableOrRefused(gz)).toBe('read');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), async (zipped, at) => {
        const bytes = zipped ? gz : json;
        const cut = Math.floor(at * (bytes.length - 1));
        expect(await expectReadableOrRefused(bytes.subarray(0, cut))).toBe('refused');
      }),
      { numRuns: 100 },
    );
  });

  it('on a gzipped snapshot with corrupt bytes', async () => {
    const { gz } = await validSnapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), async (flips) => {
        const bytes = Buffer.from(gz);
        // Past the two magic bytes: the file is still taken for gzip.
        for (const [index, value] of flips) bytes[2 + (index % (bytes.length - 2))] = value;
        await expectReadableOrRefused(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('on a valid snapshot with fields of the wrong type, rows that are not objects, or fields left out', async () => {
    const { json } = await validSnapshot();
    const document = JSON.parse(json.toString('utf8')) as Record<(typeof TABLES)[number], Record<string, unknown>[]>;
    const mutation = fc.record({
      table: fc.constantFrom(...TABLES),
      row: fc.nat(),
      field: fc.constantFrom('id', 'created_at', 'last_heartbeat', 'status', 'metadata', 'timestamp', 'message', 'worker_id', 'task_type', 'attempts', 'log_level', 'source_type'),
      value: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
      wholeRow: fc.boolean(),
    });
    let problems = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 5 }), async (mutations) => {
        const copy = structuredClone(document);
        for (const m of mutations) {
          const rows = copy[m.table];
          const index = m.row % rows.length;
          if (m.wholeRow) rows[index] = m.value as Record<string, unknown>;
          else rows[index] = { ...rows[index], [m.field]: m.value };
        }
        const file = path.join(tmp, `mutated-${fileCount++}.json`);
        writeFileSync(file, JSON.stringify(copy));
        expect(await expectReadableOrRefused(readFileSync(file))).toBe('read');
        const source = await openSnapshotSource(file);
        problems += (await source.workers({})).problems.length + (await source.tasks({})).problems.length + (await source.logs({})).problems.length;
      }),
      { numRuns: 150 },
    );
    expect(problems).toBeGreaterThan(0);
  });
});

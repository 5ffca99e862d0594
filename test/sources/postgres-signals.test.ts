/**
 * The SQL twin of computeWorkerSignals must give exactly the same record, field by field
 * (microsecond instants, the same float seconds), over the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeWorkerSignals } from '../../src/analyses/worker-signals.js';
import { type WorkerSignals } from '../../src/rows/signals.js';
import { parseRows } from '../../src/rows/parse.js';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { openPostgresSource } from '../../src/sources/postgres.js';
import type { Source } from '../../src/sources/types.js';
import type { Instant } from '../../src/rows/time.js';
import { randomFleet, type RandomFleet } from '../support/random-fleet.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const SEEDS = [1, 2, 3, 42, 2025];
const DATABASE_START_TIMEOUT_MS = 60_000;

let db: TestDatabase;
let source: Source;
const fleets = new Map<number, RandomFleet>();

beforeAll(async () => {
  db = await openTestDatabase();
  for (const seed of SEEDS) {
    const fleet = randomFleet({ seed });
    fleets.set(seed, fleet);
    await db.load(fleet);
  }
  source = openPostgresSource({ url: db.url, schema: db.schema });
}, DATABASE_START_TIMEOUT_MS);

afterAll(async () => {
  await source?.close();
  await db?.close();
});

function inProcess(raw: { system_logs: readonly unknown[] }, workerIds: readonly string[], asOf: Instant): Map<string, WorkerSignals> {
  const parsed = parseRows('system_logs', raw.system_logs);
  expect(parsed.problems).toEqual([]);
  return computeWorkerSignals(workerIds, parsed.rows, asOf);
}

function workerIdsOf(fleet: { workers: readonly Record<string, unknown>[]; system_logs: readonly Record<string, unknown>[] }): string[] {
  const ids = new Set<string>();
  for (const w of fleet.workers) ids.add(String(w['id']));
  for (const l of fleet.system_logs) if (typeof l['worker_id'] === 'string') ids.add(l['worker_id']);
  return [...ids];
}

describe('workerSignals (SQL) equals computeWorkerSignals (in process)', () => {
  it('the seeded fleets load without overlapping ids', () => {
    const all = SEEDS.flatMap((seed) => workerIdsOf(fleets.get(seed)!));
    expect(new Set(all).size).toBe(all.length);
  });

  for (const seed of SEEDS) {
    it(`on random fleet ${seed} at its as-of`, async () => {
      const fleet = fleets.get(seed)!;
      const ids = [...workerIdsOf(fleet), 'gpu-never-seen-00000000'];
      const expected = inProcess(fleet, ids, fleet.asOf);
      const actual = await source.workerSignals!(ids, fleet.asOf);
      expect(actual).toStrictEqual(expected);
    });

    it(`on random fleet ${seed} one hour before its as-of (more lines after as-of)`, async () => {
      const fleet = fleets.get(seed)!;
      const asOf = fleet.asOf - 3600 * 1_000_000 + 1;
      const ids = workerIdsOf(fleet);
      const actual = await source.workerSignals!(ids, asOf);
      expect(actual).toStrictEqual(inProcess(fleet, ids, asOf));
    });
  }

  it('the fleets cover the cases the definitions settle', () => {
    const all = SEEDS.flatMap((seed) => {
      const fleet = fleets.get(seed)!;
      return [...inProcess(fleet, workerIdsOf(fleet), fleet.asOf).values()];
    });
    const some = (test: (s: WorkerSignals) => boolean) => all.filter(test).length;
    expect(some((s) => s.log_count === 0)).toBeGreaterThan(0);
    expect(some((s) => s.log_count > 0 && s.worker_log_count === 0)).toBeGreaterThan(0);
    expect(some((s) => s.heartbeat_gaps.length >= 2)).toBeGreaterThan(0);
    expect(some((s) => s.after_switch !== null && s.after_switch.logged_heartbeats > 0)).toBeGreaterThan(0);
    expect(some((s) => s.after_switch !== null && s.after_switch.last_heartbeat_after_s === null)).toBeGreaterThan(0);
    // A VLM line nothing follows (the worker's last line) and one another line follows.
    expect(some((s) => s.last_worker_log !== null && /before vlm loading/i.test(s.last_worker_log.message))).toBeGreaterThan(0);
    expect(some((s) => s.vlm_hang !== null)).toBeGreaterThan(0);
    expect(some((s) => s.last_error !== null && s.last_error.log_level === 'CRITICAL')).toBeGreaterThan(0);
    expect(some((s) => s.memory_profile_line !== null)).toBeGreaterThan(0);
  });

  it('settles the scripted ties as the definitions say', async () => {
    const fleet = fleets.get(SEEDS[0]!)!;
    const scripted = fleet.workers.at(-2)!['id'] as string;
    const signals = (await source.workerSignals!([scripted], fleet.asOf)).get(scripted)!;
    // Two VLM lines, the later one the worker's last line: only the earlier is followed by a line.
    expect(signals.vlm_hang).toMatchObject({ silence_s: 300, line: { message: 'Before VLM loading' } });
    // The line after as-of counts nowhere.
    expect(signals.last_worker_log?.message).toBe('before VLM loading');
    // 40 s exactly is not a gap; 40.000001 s is.
    expect(signals.heartbeat_gaps.map((g) => g.gap_s)).toEqual([400.123456, 49.876545, 40.000001]);
    // The orchestrator's line at the switch instant counts only in log_count.
    expect(signals.log_count).toBe(12);
    expect(signals.worker_log_count).toBe(11);
  });

  it('counts the line exactly at as-of and not the one a microsecond later', async () => {
    const fleet = fleets.get(SEEDS[0]!)!;
    const boundary = fleet.workers.at(-1)!['id'] as string;
    const signals = (await source.workerSignals!([boundary], fleet.asOf)).get(boundary)!;
    expect(signals).toMatchObject({ log_count: 2, logged_heartbeat_count: 1, last_model_switch: null, worker_error_count: 1 });
    expect(signals.vlm_hang).toMatchObject({ silence_s: 60 });
  });

  it('leaves out a line the row parser rejects (-infinity), as the in-process path never sees it', async () => {
    const worker = 'gpu-20251017_000000-1f1f1f1f';
    const line = (id: string, timestamp: string, message: string) => ({
      id,
      timestamp,
      source_type: 'worker',
      source_id: worker,
      log_level: 'INFO',
      message,
      task_id: null,
      worker_id: worker,
      cycle_number: null,
      metadata: null,
    });
    const raw = {
      workers: [],
      tasks: [],
      system_logs: [
        line('d0000000-0000-4000-8000-000000000001', '-infinity', 'Before VLM loading'),
        line('d0000000-0000-4000-8000-000000000002', '2025-10-17T13:00:00Z', '✅ [HEARTBEAT] Worker active'),
      ],
    };
    await db.load(raw);
    const asOf = fleets.get(SEEDS[0]!)!.asOf;
    const parsed = parseRows('system_logs', raw.system_logs);
    expect(parsed.rows).toHaveLength(1);
    const actual = await source.workerSignals!([worker], asOf);
    expect(actual).toStrictEqual(computeWorkerSignals([worker], parsed.rows, asOf));
    expect(actual.get(worker)).toMatchObject({ log_count: 1, vlm_hang: null });
  });

  it('returns an empty map for no workers', async () => {
    expect(await source.workerSignals!([], fleets.get(SEEDS[0]!)!.asOf)).toStrictEqual(new Map());
  });

  it('on the demo fleet at its as-of', async () => {
    const demo = simulateFleet({ seed: 7 });
    const schemaDb = await openTestDatabase();
    const demoSource = openPostgresSource({ url: schemaDb.url, schema: schemaDb.schema });
    try {
      await schemaDb.load(demo);
      const ids = workerIdsOf(demo);
      expect(ids.length).toBeGreaterThan(10);
      const actual = await demoSource.workerSignals!(ids, demo.asOf);
      expect(actual).toStrictEqual(inProcess(demo, ids, demo.asOf));
    } finally {
      await demoSource.close();
      await schemaDb.close();
    }
  }, DATABASE_START_TIMEOUT_MS);
});

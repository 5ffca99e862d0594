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
import { BUILT_IN_VOCABULARY, compileVocabulary, type Vocabulary } from '../../src/config/vocabulary.js';
import { REWORDED_MARKERS, randomFleet, type RandomFleet } from '../support/random-fleet.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const SEEDS = [1, 2, 3, 42, 2025];
/** Fleets whose marker lines are worded by a team of its own, read with a markers file. */
const REWORDED_SEEDS = [7, 8];
const REWORDED_VOCABULARY = compileVocabulary(REWORDED_MARKERS, 'reworded.json');
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
  for (const seed of REWORDED_SEEDS) {
    const fleet = randomFleet({ seed, wording: 'reworded' });
    fleets.set(seed, fleet);
    await db.load(fleet);
  }
  source = openPostgresSource({ url: db.url, schema: db.schema });
}, DATABASE_START_TIMEOUT_MS);

afterAll(async () => {
  await source?.close();
  await db?.close();
});

function inProcess(
  raw: { system_logs: readonly unknown[] },
  workerIds: readonly string[],
  asOf: Instant,
  vocabulary: Vocabulary = BUILT_IN_VOCABULARY,
): Map<string, WorkerSignals> {
  const parsed = parseRows('system_logs', raw.system_logs);
  expect(parsed.problems).toEqual([]);
  return computeWorkerSignals(workerIds, parsed.rows, asOf, vocabulary);
}

function workerIdsOf(fleet: { workers: readonly Record<string, unknown>[]; system_logs: readonly Record<string, unknown>[] }): string[] {
  const ids = new Set<string>();
  for (const w of fleet.workers) ids.add(String(w['id']));
  for (const l of fleet.system_logs) if (typeof l['worker_id'] === 'string') ids.add(l['worker_id']);
  return [...ids];
}

describe('workerSignals (SQL) equals computeWorkerSignals (in process)', () => {
  it('the seeded fleets load without overlapping ids', () => {
    const all = [...SEEDS, ...REWORDED_SEEDS].flatMap((seed) => workerIdsOf(fleets.get(seed)!));
    expect(new Set(all).size).toBe(all.length);
  });

  for (const seed of SEEDS) {
    it(`on random fleet ${seed} at its as-of`, async () => {
      const fleet = fleets.get(seed)!;
      const ids = [...workerIdsOf(fleet), 'gpu-never-seen-00000000'];
      const expected = inProcess(fleet, ids, fleet.asOf);
      const actual = await source.workerSignals!(ids, fleet.asOf, BUILT_IN_VOCABULARY);
      expect(actual).toStrictEqual(expected);
    });

    it(`on random fleet ${seed} one hour before its as-of (more lines after as-of)`, async () => {
      const fleet = fleets.get(seed)!;
      const asOf = fleet.asOf - 3600 * 1_000_000 + 1;
      const ids = workerIdsOf(fleet);
      const actual = await source.workerSignals!(ids, asOf, BUILT_IN_VOCABULARY);
      expect(actual).toStrictEqual(inProcess(fleet, ids, asOf));
    });
  }

  for (const seed of REWORDED_SEEDS) {
    it(`with a markers file, on reworded fleet ${seed}: the same signals, and the built-in vocabulary sees none`, async () => {
      const fleet = fleets.get(seed)!;
      const ids = workerIdsOf(fleet);
      const expected = inProcess(fleet, ids, fleet.asOf, REWORDED_VOCABULARY);
      expect(await source.workerSignals!(ids, fleet.asOf, REWORDED_VOCABULARY)).toStrictEqual(expected);
      const found = [...expected.values()];
      for (const seen of [
        (s: WorkerSignals) => s.last_model_switch !== null,
        (s: WorkerSignals) => s.after_switch?.model_loaded != null,
        (s: WorkerSignals) => s.heartbeat_gaps.length > 0,
        (s: WorkerSignals) => s.startup_end !== null,
        (s: WorkerSignals) => s.orchestrator_kill !== null && s.log_tail.length > 0,
        (s: WorkerSignals) => s.vlm_hang !== null && s.ram_before_switch !== null && s.memory_profile_line !== null,
      ]) {
        expect(found.some(seen), String(seen)).toBe(true);
      }
      // Read with the built-in vocabulary, the reworded lines are ordinary lines (the scripted and
      // boundary workers, the fleet's last two, keep the guide's wording for the tie cases).
      const drawn = fleet.workers.slice(0, -2).map((w) => String(w['id']));
      const builtIn = await source.workerSignals!(drawn, fleet.asOf, BUILT_IN_VOCABULARY);
      expect([...builtIn.values()].filter((s) => s.last_model_switch !== null || s.logged_heartbeat_count > 0)).toEqual([]);
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
    // A VLM line no own line but heartbeats follows, one another line follows, and heartbeat lines inside a silence.
    expect(some((s) => s.vlm_open !== null && s.last_worker_log !== null && s.vlm_open.id !== s.last_worker_log.id)).toBeGreaterThan(0);
    expect(some((s) => s.vlm_open !== null && s.vlm_open.id === s.last_worker_log?.id)).toBeGreaterThan(0);
    expect(some((s) => s.vlm_hang !== null)).toBeGreaterThan(0);
    // Every family seen, and the fields that read it.
    expect(some((s) => s.after_switch?.model_loaded != null)).toBeGreaterThan(0);
    expect(some((s) => s.ram_before_switch !== null)).toBeGreaterThan(0);
    for (const by of ['ready', 'task_claim', 'heartbeat_loop'] as const) expect(some((s) => s.startup_end?.by === by), by).toBeGreaterThan(0);
    expect(some((s) => s.orchestrator_kill !== null)).toBeGreaterThan(0);
    expect(some((s) => s.log_tail.length > 0)).toBeGreaterThan(0);
    expect(some((s) => s.last_shutdown_log !== null)).toBeGreaterThan(0);
    expect(some((s) => s.last_non_heartbeat_log !== null && s.last_non_heartbeat_log.id !== s.last_worker_log?.id)).toBeGreaterThan(0);
    expect(some((s) => s.last_error !== null && s.last_error.log_level === 'CRITICAL')).toBeGreaterThan(0);
    expect(some((s) => s.memory_profile_line !== null)).toBeGreaterThan(0);
  });

  it('settles the scripted ties as the definitions say', async () => {
    const fleet = fleets.get(SEEDS[0]!)!;
    const scripted = fleet.workers.at(-2)!['id'] as string;
    const signals = (await source.workerSignals!([scripted], fleet.asOf, BUILT_IN_VOCABULARY)).get(scripted)!;
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
    const signals = (await source.workerSignals!([boundary], fleet.asOf, BUILT_IN_VOCABULARY)).get(boundary)!;
    expect(signals).toMatchObject({ log_count: 2, logged_heartbeat_count: 1, last_model_switch: null, worker_error_count: 1 });
    // The heartbeat line at as-of does not end the VLM line's silence: it is still open.
    expect(signals.vlm_hang).toBeNull();
    expect(signals.vlm_open?.message).toBe('Before VLM loading');
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
    const actual = await source.workerSignals!([worker], asOf, BUILT_IN_VOCABULARY);
    expect(actual).toStrictEqual(computeWorkerSignals([worker], parsed.rows, asOf, BUILT_IN_VOCABULARY));
    expect(actual.get(worker)).toMatchObject({ log_count: 1, vlm_hang: null });
  });

  it('returns an empty map for no workers', async () => {
    expect(await source.workerSignals!([], fleets.get(SEEDS[0]!)!.asOf, BUILT_IN_VOCABULARY)).toStrictEqual(new Map());
  });

  it('on the demo fleet at its as-of', async () => {
    const demo = simulateFleet({ seed: 7 });
    const schemaDb = await openTestDatabase();
    const demoSource = openPostgresSource({ url: schemaDb.url, schema: schemaDb.schema });
    try {
      await schemaDb.load(demo);
      const ids = workerIdsOf(demo);
      expect(ids.length).toBeGreaterThan(10);
      const actual = await demoSource.workerSignals!(ids, demo.asOf, BUILT_IN_VOCABULARY);
      expect(actual).toStrictEqual(inProcess(demo, ids, demo.asOf));
    } finally {
      await demoSource.close();
      await schemaDb.close();
    }
  }, DATABASE_START_TIMEOUT_MS);
});

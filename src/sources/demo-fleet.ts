/**
 * The embedded demo fleet: with no credentials configured, every command and notebook runs on it.
 *
 * A deterministic simulation (one seed, one fleet) of ~60 GPU workers over the 8 hours before
 * DEMO_AS_OF, containing every situation the debugging guide names: healthy and aging workers,
 * the three crash patterns, near misses of each, clean terminations, failed, requeued, cancelled
 * and orphaned tasks; and the ways real fleets drift from the guide (worker versions that word
 * their lines differently or log no heartbeat line, stalled workers, start-up failures, orchestrator
 * kills, a failure period before as-of). Rows come out exactly as Supabase/PostgREST returns them (all columns,
 * `…+00:00` timestamps with trimmed microseconds, jsonb as objects or null), in no particular
 * order, like a table read without ORDER BY.
 *
 * `scale: k` repeats the whole mix k times (another orchestrator instance each, fresh draws,
 * distinct ids): about 25 000–26 000 log lines per unit of scale, so 10⁶ lines at k = 39.
 */
import { UsageError } from '../errors.js';
import { instantFromDate, MICROS_PER_SECOND, type Instant } from '../rows/time.js';
import { storageOutageBefore } from './demo-fleet/incidents.js';
import { Orchestrator } from './demo-fleet/orchestrator.js';
import { Rng } from './demo-fleet/random.js';
import { DEMO_SCENARIOS, simulateScenarioMix, type DemoScenario } from './demo-fleet/scenarios.js';
import { FleetTables } from './demo-fleet/tables.js';

export { DEMO_SCENARIOS, type DemoScenario };

/** The instant the demo fleet describes: its default as-of. */
export const DEMO_AS_OF: Instant = instantFromDate(new Date('2025-10-17T14:00:00Z'));

export const DEFAULT_DEMO_SEED = 20251017;

/** Workers are created within this many hours before DEMO_AS_OF. */
const DEMO_WINDOW_HOURS = 8;
/** The orchestrator was already running a little before the first worker of the window. */
const ORCHESTRATOR_LEAD_S = 10 * 60;

export interface DemoFleetOptions {
  seed?: number;
  /** Multiplies every scenario's worker count; 1 = the default demo. */
  scale?: number;
}

export interface DemoFleet {
  asOf: Instant;
  workers: Record<string, unknown>[];
  tasks: Record<string, unknown>[];
  system_logs: Record<string, unknown>[];
  /** Scenario name → worker ids, as simulated. Ground truth for tests ONLY: product code must derive everything from rows. */
  scenarios: Record<DemoScenario, string[]>;
}

export function simulateFleet(options: DemoFleetOptions = {}): DemoFleet {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isSafeInteger(seed)) throw new UsageError(`demo fleet: the seed must be a whole number (got ${seed})`);
  if (!Number.isSafeInteger(scale) || scale < 1) {
    throw new UsageError(`demo fleet: the scale must be a whole number of at least 1 (got ${scale})`);
  }

  const rng = new Rng(seed);
  const tables = new FleetTables(rng, DEMO_AS_OF);
  const windowStart = DEMO_AS_OF - DEMO_WINDOW_HOURS * 3600 * MICROS_PER_SECOND;
  const scenarios = Object.fromEntries(DEMO_SCENARIOS.map((name) => [name, [] as string[]])) as Record<DemoScenario, string[]>;
  for (let copy = 1; copy <= scale; copy++) {
    const orchestrator = new Orchestrator(tables, rng, copy, windowStart - ORCHESTRATOR_LEAD_S * MICROS_PER_SECOND, DEMO_AS_OF);
    const uploadOutage = storageOutageBefore(DEMO_AS_OF);
    const found = simulateScenarioMix({ tables, rng, asOf: DEMO_AS_OF, windowStart, orchestrator, orphanedBy: [], uploadOutage });
    for (const name of DEMO_SCENARIOS) scenarios[name].push(...found[name]);
  }
  return { asOf: DEMO_AS_OF, workers: tables.workers, tasks: tables.tasks, system_logs: tables.system_logs, scenarios };
}

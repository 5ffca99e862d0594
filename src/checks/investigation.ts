import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { DEATH_PATTERNS, type Classification, type CrashPattern } from '../analyses/crash-patterns.js';
import { classify } from './crash-patterns.js';
import { crashTiming, type CrashTiming } from '../analyses/crash-timing.js';
import { investigateWorker, type Investigation } from '../analyses/investigation.js';
import { NotFoundError } from '../errors.js';
import { hoursWindow } from '../rows/window.js';
import { loadSwitchTimingCases, loadWorkerEvidence, requireWorkerRow, validateWorkerId, type ReadContext, type WorkerEvidence } from './load.js';
import { compareIds } from '../rows/order.js';

export interface InvestigationData {
  investigation: Investigation;
  evidence: WorkerEvidence;
  fleetTiming: CrashTiming;
}

/** §15 for one worker, with the evidence behind it and the fleet's crash timings of the last `hours`. */
export async function investigation(read: ReadContext, workerId: string, options: { hours?: number } = {}): Promise<InvestigationData> {
  const window = hoursWindow(read.asOf, options.hours ?? DEFAULT_WINDOW_HOURS.crashes);
  const [evidence, fleet] = await Promise.all([loadWorkerEvidence(read, workerId), loadSwitchTimingCases(read, window)]);
  const worker = requireWorkerRow(read, evidence);
  const fleetTiming = crashTiming(fleet, window, read.asOf, read.vocabulary);
  return { investigation: investigateWorker(worker, evidence.tasks, evidence.logs, read.asOf, fleetTiming, read.vocabulary), evidence, fleetTiming };
}

/**
 * The worker a notebook looks at: the one named, else the most recent death among workers created
 * in the last `hours`, else the newest worker. Says which and why; NotFoundError when none exists.
 */
export async function resolveWorker(read: ReadContext, workerId: string, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<{ id: string; reason: string }> {
  if (workerId.trim() !== '') return { id: validateWorkerId(workerId), reason: 'as given' };
  const { result } = await classify(read, { hours });
  const deaths = result.workers.filter((c) => DEATH_PATTERNS.has(c.pattern) && c.died_at !== null);
  deaths.sort((a, b) => b.died_at! - a.died_at! || compareIds(a.id, b.id));
  if (deaths[0]) return { id: deaths[0].id, reason: `no workerId given: the most recent death in the last ${hours} h (${deaths[0].pattern}, died ${deaths[0].died_at})` };
  const newest = result.workers[0];
  if (newest) return { id: newest.id, reason: `no workerId given and no death in the last ${hours} h: the newest worker` };
  throw new NotFoundError(`no worker was created in the last ${hours} h in ${read.source.label}: set workerId`);
}

/** What `reports` investigates: every way a worker dies, and the stalled one, alive but its work lost. */
const REPORTED_PATTERNS: ReadonlySet<CrashPattern> = new Set([...DEATH_PATTERNS, 'stalled']);

/** For each crash pattern seen in the window, its most recent example (newest death first; stalled workers, alive, after the deaths). */
export async function patternExamples(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.crashes): Promise<Classification[]> {
  const { result } = await classify(read, { hours });
  const examples = new Map<string, Classification>();
  const byDeath = [...result.workers].sort((a, b) => (b.died_at ?? -Infinity) - (a.died_at ?? -Infinity) || compareIds(a.id, b.id));
  for (const c of byDeath) if (REPORTED_PATTERNS.has(c.pattern) && !examples.has(c.pattern)) examples.set(c.pattern, c);
  return [...examples.values()];
}

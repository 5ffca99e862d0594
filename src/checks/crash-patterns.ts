import type { Instant } from '../rows/time.js';
import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { classifyWorkers, countByPattern, type Classification } from '../analyses/crash-patterns.js';
import { NotFoundError } from '../errors.js';
import { hoursWindow } from '../rows/window.js';
import { loadFleetCases, validateWorkerId, workerNotFound, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

export interface ClassifyResult {
  as_of: Instant;
  window_hours?: number;
  counts: ReturnType<typeof countByPattern>;
  workers: Classification[];
}

/**
 * §5: the named workers (in the order given; unknown ones come back in `missing`), or those
 * created in the last `hours`, newest first.
 */
export async function classify(
  read: ReadContext,
  options: { workerIds?: readonly string[]; hours?: number } = {},
): Promise<{ result: ClassifyResult; missing: NotFoundError[] }> {
  // Empty ids are "not given" (a notebook parameter left blank), so the window applies.
  const ids = (options.workerIds ?? []).filter((id) => id.trim() !== '').map(validateWorkerId);
  const hours = options.hours ?? DEFAULT_WINDOW_HOURS.crashes;
  const window = hoursWindow(read.asOf, hours);
  const fleet = await loadFleetCases(read, ids.length ? { ids } : { createdFrom: window.from, createdTo: window.to });
  const found = new Set(fleet.workers.map((w) => w.id));
  const missing = await Promise.all(ids.filter((id) => !found.has(id)).map((id) => workerNotFound(read, id)));
  const byId = new Map(classifyWorkers(fleet.cases, read.asOf, read.vocabulary).map((c) => [c.id, c]));
  const workers = ids.length ? ids.flatMap((id) => byId.get(id) ?? []) : [...fleet.workers].reverse().flatMap((w) => byId.get(w.id) ?? []);
  return {
    result: { ...asOfOf(read), ...(ids.length ? {} : { window_hours: hours }), counts: countByPattern(workers), workers },
    missing,
  };
}

/**
 * DB heartbeat freshness (§1, §7, §9): `workers.last_heartbeat` is set by the guardian process every
 * ~20 s, so its age is the best clock for "is it alive" and "when did it die".
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';

/** alive < 60 s ≤ aging < 5 min ≤ dead; never: no heartbeat at all (NULL). */
export type HeartbeatState = 'alive' | 'aging' | 'dead' | 'never';

/** Seconds since the last DB heartbeat as of `asOf`; null when the worker never sent one. */
export function heartbeatAgeS(worker: Pick<Worker, 'last_heartbeat'>, asOf: Instant): number | null {
  return worker.last_heartbeat === null ? null : secondsBetween(worker.last_heartbeat, asOf);
}

export function heartbeatStateOf(ageS: number | null): HeartbeatState {
  if (ageS === null) return 'never';
  if (ageS < THRESHOLDS.heartbeatAliveS) return 'alive';
  if (ageS < THRESHOLDS.heartbeatDeadS) return 'aging';
  return 'dead';
}

export function heartbeatOf(worker: Pick<Worker, 'last_heartbeat'>, asOf: Instant): { age_s: number | null; state: HeartbeatState } {
  const age = heartbeatAgeS(worker, asOf);
  return { age_s: age, state: heartbeatStateOf(age) };
}

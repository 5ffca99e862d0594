/** §7 Find active workers: status `active`, with their heartbeat age, worst first. */
import type { Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import { heartbeatOf, type HeartbeatState } from './heartbeat.js';
import { compareIds } from '../rows/order.js';

export interface ActiveWorker {
  id: string;
  created_at: Instant;
  last_heartbeat: Instant | null;
  heartbeat_age_s: number | null;
  heartbeat_state: HeartbeatState;
}

export interface ActiveWorkers {
  total: number;
  by_state: Record<HeartbeatState, number>;
  workers: ActiveWorker[];
}

const SEVERITY: Readonly<Record<HeartbeatState, number>> = { never: 0, dead: 1, aging: 2, alive: 3 };

/** Worst first: never, dead, aging, alive; then oldest heartbeat first; then id. */
export function compareBySeverity(
  a: { heartbeat_state: HeartbeatState; heartbeat_age_s: number | null; id: string },
  b: { heartbeat_state: HeartbeatState; heartbeat_age_s: number | null; id: string },
): number {
  return (
    SEVERITY[a.heartbeat_state] - SEVERITY[b.heartbeat_state] ||
    (b.heartbeat_age_s ?? 0) - (a.heartbeat_age_s ?? 0) ||
    compareIds(a.id, b.id)
  );
}

export function activeWorkers(workers: readonly Worker[], asOf: Instant): ActiveWorkers {
  const rows = workers
    .filter((w) => w.status === 'active')
    .map((w): ActiveWorker => {
      const hb = heartbeatOf(w, asOf);
      return { id: w.id, created_at: w.created_at, last_heartbeat: w.last_heartbeat, heartbeat_age_s: hb.age_s, heartbeat_state: hb.state };
    })
    .sort(compareBySeverity);
  const byState: Record<HeartbeatState, number> = { alive: 0, aging: 0, dead: 0, never: 0 };
  for (const w of rows) byState[w.heartbeat_state]++;
  return { total: rows.length, by_state: byState, workers: rows };
}

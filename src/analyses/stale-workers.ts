/**
 * §9 Find workers with stale heartbeats: status `active` but the DB heartbeat older than the
 * threshold (default 5 min). The guide skips active workers with no heartbeat at all; they are
 * listed separately, since a worker stuck before its first heartbeat is just as stuck.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { compareIds } from '../rows/order.js';

export interface StaleWorker {
  id: string;
  status: string;
  last_heartbeat: Instant;
  heartbeat_age_s: number;
  /** Since creation (the guide's "worker age"). */
  lifetime_s: number;
  /** Past the orchestrator's own 600 s limit: it should already have marked the worker `error`. */
  past_orchestrator_limit: boolean;
}

export interface NeverHeartbeat {
  id: string;
  status: string;
  created_at: Instant;
  age_s: number;
}

export interface StaleWorkers {
  threshold_s: number;
  workers: StaleWorker[];
  never_heartbeat: NeverHeartbeat[];
}

export function staleWorkers(workers: readonly Worker[], asOf: Instant, thresholdS: number = THRESHOLDS.heartbeatDeadS): StaleWorkers {
  const active = workers.filter((w) => w.status === 'active');
  const stale: StaleWorker[] = [];
  const never: NeverHeartbeat[] = [];
  for (const w of active) {
    if (w.last_heartbeat === null) {
      never.push({ id: w.id, status: w.status, created_at: w.created_at, age_s: secondsBetween(w.created_at, asOf) });
      continue;
    }
    const age = secondsBetween(w.last_heartbeat, asOf);
    if (age > thresholdS) {
      stale.push({
        id: w.id,
        status: w.status,
        last_heartbeat: w.last_heartbeat,
        heartbeat_age_s: age,
        lifetime_s: secondsBetween(w.created_at, asOf),
        past_orchestrator_limit: age > THRESHOLDS.orchestratorStaleHeartbeatS,
      });
    }
  }
  stale.sort((a, b) => b.heartbeat_age_s - a.heartbeat_age_s || compareIds(a.id, b.id));
  never.sort((a, b) => b.age_s - a.age_s || compareIds(a.id, b.id));
  return { threshold_s: thresholdS, workers: stale, never_heartbeat: never };
}

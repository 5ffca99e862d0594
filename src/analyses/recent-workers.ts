/** §8 Find all recent workers: created in a window, newest first. */
import type { Worker } from '../rows/schemas.js';
import { gpuType, ramTier } from '../rows/worker-metadata.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { heartbeatOf, type HeartbeatState } from './heartbeat.js';
import { inWindow, type TimeWindow } from '../rows/window.js';
import { compareIds } from '../rows/order.js';

export interface RecentWorker {
  id: string;
  status: string;
  created_at: Instant;
  /** Since creation, as of the as-of instant. */
  age_s: number;
  last_heartbeat: Instant | null;
  heartbeat_age_s: number | null;
  heartbeat_state: HeartbeatState;
  ram_tier: number | null;
  gpu_type: string | null;
}

export interface RecentWorkers {
  from: Instant;
  to: Instant;
  total: number;
  workers: RecentWorker[];
}

export function recentWorkers(workers: readonly Worker[], window: TimeWindow, asOf: Instant): RecentWorkers {
  const rows = workers
    .filter((w) => inWindow(w.created_at, window))
    .sort((a, b) => b.created_at - a.created_at || compareIds(a.id, b.id))
    .map((w): RecentWorker => {
      const hb = heartbeatOf(w, asOf);
      return {
        id: w.id,
        status: w.status,
        created_at: w.created_at,
        age_s: secondsBetween(w.created_at, asOf),
        last_heartbeat: w.last_heartbeat,
        heartbeat_age_s: hb.age_s,
        heartbeat_state: hb.state,
        ram_tier: ramTier(w),
        gpu_type: gpuType(w),
      };
    });
  return { from: window.from, to: window.to, total: rows.length, workers: rows };
}

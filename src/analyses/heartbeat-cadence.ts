/**
 * §16 Key insights: two kinds of heartbeat. The DB heartbeat (`workers.last_heartbeat`, every
 * ~20 s) is what the orchestrator watches; logged `[HEARTBEAT]` lines are occasional. This view
 * sets one against the other for a worker: how many DB beats its life implies versus the lines it
 * logged, and how long the DB heartbeat went on after the last logged one.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { SystemLog, Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { heartbeatGaps, type HeartbeatGaps } from './heartbeat-gaps.js';
import type { Vocabulary } from '../config/vocabulary.js';

export interface HeartbeatCadence {
  worker_id: string;
  db_cadence_s: number;
  lifetime_s: number | null;
  /** Lifetime / DB cadence: roughly how many DB heartbeats the worker sent. */
  expected_db_heartbeats: number | null;
  logged_heartbeats: number;
  /** Logged heartbeat lines per DB heartbeat (well under 1: logged ones are informational). */
  logged_per_db_heartbeat: number | null;
  median_logged_interval_s: number | null;
  db_after_last_logged_s: number | null;
  gaps: HeartbeatGaps;
}

export function heartbeatCadence(worker: Worker, logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): HeartbeatCadence {
  const gaps = heartbeatGaps(worker.id, logs, asOf, vocabulary, worker);
  const lifetime = worker.last_heartbeat === null ? null : secondsBetween(worker.created_at, worker.last_heartbeat);
  const expected = lifetime === null ? null : Math.max(1, Math.floor(lifetime / THRESHOLDS.dbHeartbeatCadenceS));
  return {
    worker_id: worker.id,
    db_cadence_s: THRESHOLDS.dbHeartbeatCadenceS,
    lifetime_s: lifetime,
    expected_db_heartbeats: expected,
    logged_heartbeats: gaps.logged_heartbeats,
    logged_per_db_heartbeat: expected === null ? null : gaps.logged_heartbeats / expected,
    median_logged_interval_s: gaps.median_interval_s,
    db_after_last_logged_s: gaps.db_after_last_logged_s,
    gaps,
  };
}

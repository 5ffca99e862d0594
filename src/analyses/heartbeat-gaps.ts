/**
 * §4A Heartbeat analysis: gaps between the heartbeat lines a worker logged. These lines are
 * informational and rarer than the DB heartbeat (§16); a gap over 40 s is worth a look, not a death.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { SystemLog, Worker } from '../rows/schemas.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { median } from './stats.js';
import { isFamilyLine, type Vocabulary } from '../config/vocabulary.js';
import type { Coverage } from './coverage.js';

/** Instants of the worker's logged heartbeats, ascending, up to as-of. */
export function loggedHeartbeatTimes(logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): Instant[] {
  const times: Instant[] = [];
  for (const log of logs) if (log.timestamp <= asOf && isFamilyLine(vocabulary, 'heartbeat', log)) times.push(log.timestamp);
  return times.sort((a, b) => a - b);
}

/** Seconds between consecutive instants (sorted input); they sum to the span. */
export function intervalsS(sortedTimes: readonly Instant[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < sortedTimes.length; i++) out.push(secondsBetween(sortedTimes[i - 1]!, sortedTimes[i]!));
  return out;
}

/** The gaps longer than THRESHOLDS.loggedHeartbeatGapS between consecutive instants (sorted input), each at its later instant. */
export function gapsOver(sortedTimes: readonly Instant[]): { at: Instant; gap_s: number }[] {
  const gaps: { at: Instant; gap_s: number }[] = [];
  for (let i = 1; i < sortedTimes.length; i++) {
    const gap = secondsBetween(sortedTimes[i - 1]!, sortedTimes[i]!);
    if (gap > THRESHOLDS.loggedHeartbeatGapS) gaps.push({ at: sortedTimes[i]!, gap_s: gap });
  }
  return gaps;
}

export interface Gap {
  /** The heartbeat that ended the gap. */
  at: Instant;
  gap_s: number;
}

export interface HeartbeatGaps {
  worker_id: string;
  logged_heartbeats: number;
  first_logged_at: Instant | null;
  last_logged_at: Instant | null;
  span_s: number | null;
  threshold_s: number;
  gaps: Gap[];
  max_interval_s: number | null;
  median_interval_s: number | null;
  /** The DB heartbeat (~20 s cadence), which the orchestrator watches. */
  db_last_heartbeat: Instant | null;
  /** DB heartbeat minus the last logged one: how long the guardian outlived the logging. */
  db_after_last_logged_s: number | null;
  /** Heartbeat lines in the worker's whole life: none means gaps cannot be judged from lines. */
  coverage: Coverage;
}

export function heartbeatGaps(
  workerId: string,
  logs: readonly SystemLog[],
  asOf: Instant,
  vocabulary: Vocabulary,
  worker: Pick<Worker, 'last_heartbeat'> | null = null,
): HeartbeatGaps {
  const times = loggedHeartbeatTimes(logs, asOf, vocabulary);
  const intervals = intervalsS(times);
  const gaps: Gap[] = gapsOver(times).map((g) => ({ at: g.at, gap_s: g.gap_s }));
  const first = times[0];
  const last = times[times.length - 1];
  const db = worker?.last_heartbeat ?? null;
  return {
    worker_id: workerId,
    logged_heartbeats: times.length,
    first_logged_at: first === undefined ? null : first,
    last_logged_at: last === undefined ? null : last,
    span_s: first === undefined || last === undefined ? null : secondsBetween(first, last),
    threshold_s: THRESHOLDS.loggedHeartbeatGapS,
    gaps,
    max_interval_s: intervals.length ? Math.max(...intervals) : null,
    median_interval_s: median(intervals),
    db_last_heartbeat: db,
    db_after_last_logged_s: db !== null && last !== undefined ? secondsBetween(last, db) : null,
    coverage: { heartbeat: times.length },
  };
}

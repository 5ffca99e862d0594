/**
 * Per-worker log signals: what the crash-pattern classifier, the crash-timing comparison and the
 * fleet views need from `system_logs`, reduced to a few figures and evidence lines per worker.
 * Computed in-process (analyses/worker-signals.ts, the reference) or in the database by the
 * Postgres source (sources/postgres-signals.ts); tests hold the two equal field by field.
 */
import type { SystemLog } from './schemas.js';
import type { Instant } from './time.js';

/** A log line quoted as evidence. */
export interface EvidenceLine {
  timestamp: Instant;
  log_level: string;
  source_type: string;
  message: string;
}

export interface HeartbeatGap {
  /** The logged heartbeat that ended the gap. */
  at: Instant;
  gap_s: number;
}

export interface AfterSwitch {
  worker_lines: number;
  logged_heartbeats: number;
  errors: number;
  /** Seconds from the switch to the last logged heartbeat after it (null when none). */
  last_heartbeat_after_s: number | null;
}

export interface VlmHang {
  line: EvidenceLine;
  /** To the next worker line. */
  silence_s: number;
}

export interface WorkerSignals {
  worker_id: string;
  log_count: number;
  worker_log_count: number;
  worker_non_heartbeat_count: number;
  worker_error_count: number;
  first_worker_log: EvidenceLine | null;
  last_worker_log: EvidenceLine | null;
  logged_heartbeat_count: number;
  heartbeat_span_s: number | null;
  heartbeat_gaps: HeartbeatGap[];
  last_model_switch: EvidenceLine | null;
  after_switch: AfterSwitch | null;
  vlm_hang: VlmHang | null;
  memory_profile_line: EvidenceLine | null;
  last_error: EvidenceLine | null;
}

export function evidenceOf(log: SystemLog): EvidenceLine {
  return { timestamp: log.timestamp, log_level: log.log_level, source_type: log.source_type, message: log.message };
}

export function emptySignals(workerId: string): WorkerSignals {
  return {
    worker_id: workerId,
    log_count: 0,
    worker_log_count: 0,
    worker_non_heartbeat_count: 0,
    worker_error_count: 0,
    first_worker_log: null,
    last_worker_log: null,
    logged_heartbeat_count: 0,
    heartbeat_span_s: null,
    heartbeat_gaps: [],
    last_model_switch: null,
    after_switch: null,
    vlm_hang: null,
    memory_profile_line: null,
    last_error: null,
  };
}

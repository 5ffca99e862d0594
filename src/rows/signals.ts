/**
 * Per-worker log signals: what the crash-pattern classifier, the crash-timing comparison and the
 * fleet views need from `system_logs`, reduced to a few figures and evidence lines per worker.
 * Computed in-process (analyses/worker-signals.ts, the reference) or in the database by the
 * Postgres source (sources/postgres-signals.ts); tests hold the two equal field by field.
 */
import { MARKER_FAMILIES, type MarkerFamily } from '../config/markers.js';
import type { SystemLog } from './schemas.js';
import type { Instant } from './time.js';

/** A log line quoted as evidence. */
export interface EvidenceLine {
  /** The row's id: with the timestamp, its place in the (timestamp, id) order. */
  id: string;
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
  /** The first line saying the load finished (the `model_loaded` family): evidence the load succeeded. */
  model_loaded: EvidenceLine | null;
}

export interface VlmHang {
  line: EvidenceLine;
  /** To the worker's next line other than a heartbeat line. */
  silence_s: number;
}

/** What ended the start-up phase: a ready line, a task claimed, or the heartbeat loop (its second logged heartbeat). */
export type StartupEnd = 'ready' | 'task_claim' | 'heartbeat_loop';

export interface WorkerSignals {
  worker_id: string;
  /** Every line carrying the worker_id (the worker's and the orchestrator's). */
  log_count: number;
  worker_log_count: number;
  worker_non_heartbeat_count: number;
  worker_error_count: number;
  /** Lines of each marker family, each counted among its writer's lines: what the vocabulary found at all. */
  family_counts: Record<MarkerFamily, number>;
  first_worker_log: EvidenceLine | null;
  last_worker_log: EvidenceLine | null;
  /** The worker's last line other than a logged heartbeat. */
  last_non_heartbeat_log: EvidenceLine | null;
  logged_heartbeat_count: number;
  /** The worker's last heartbeat line: whether its heartbeat process still logged during a silence. */
  last_heartbeat_log: EvidenceLine | null;
  heartbeat_span_s: number | null;
  heartbeat_gaps: HeartbeatGap[];
  /** The worker's last `model_switch` line (a switch starting) and what came after it. */
  last_model_switch: EvidenceLine | null;
  after_switch: AfterSwitch | null;
  /** Of the VLM lines a later own line (not a heartbeat line) follows, the one followed by the longest silence. */
  vlm_hang: VlmHang | null;
  /** The worker's last line other than a heartbeat line, when it is a VLM line: its silence runs on (measured by the classifier). */
  vlm_open: EvidenceLine | null;
  memory_profile_line: EvidenceLine | null;
  last_ram_line: EvidenceLine | null;
  /** The last `[RAM]` sample before the last switch: how full memory was when the load began. */
  ram_before_switch: EvidenceLine | null;
  last_error: EvidenceLine | null;
  /** The first worker line that ended the start-up phase, and how; null: it never left start-up. */
  startup_end: { at: Instant; by: StartupEnd } | null;
  last_shutdown_log: EvidenceLine | null;
  /** The orchestrator's first line marking the worker as error (the kill). */
  orchestrator_kill: EvidenceLine | null;
  /** The last start-up log-tail lines the orchestrator shipped (up to LOG_TAIL_LINES), oldest first. */
  log_tail: EvidenceLine[];
}

/** How many shipped log-tail lines the signals keep as evidence. */
export const LOG_TAIL_LINES = 3;

export function evidenceOf(log: SystemLog): EvidenceLine {
  return { id: log.id, timestamp: log.timestamp, log_level: log.log_level, source_type: log.source_type, message: log.message };
}

export function noFamilyLines(): Record<MarkerFamily, number> {
  return Object.fromEntries(MARKER_FAMILIES.map((f) => [f, 0])) as Record<MarkerFamily, number>;
}

export function emptySignals(workerId: string): WorkerSignals {
  return {
    worker_id: workerId,
    log_count: 0,
    worker_log_count: 0,
    worker_non_heartbeat_count: 0,
    worker_error_count: 0,
    family_counts: noFamilyLines(),
    first_worker_log: null,
    last_worker_log: null,
    last_non_heartbeat_log: null,
    logged_heartbeat_count: 0,
    last_heartbeat_log: null,
    heartbeat_span_s: null,
    heartbeat_gaps: [],
    last_model_switch: null,
    after_switch: null,
    vlm_hang: null,
    vlm_open: null,
    memory_profile_line: null,
    last_ram_line: null,
    ram_before_switch: null,
    last_error: null,
    startup_end: null,
    last_shutdown_log: null,
    orchestrator_kill: null,
    log_tail: [],
  };
}

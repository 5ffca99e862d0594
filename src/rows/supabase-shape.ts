/**
 * Normalised rows back to the JSON Supabase returns (timestamps as PostgREST prints them), for
 * evidence snapshots: a snapshot holds rows "exactly as Supabase returns them", whatever source
 * they were read from, and reading it back yields the very same normalised rows.
 */
import { formatPostgrestInstant, type Instant } from './time.js';
import type { SystemLog, Task, Worker } from './schemas.js';

function instantOrNull(value: Instant | null): string | null {
  return value === null ? null : formatPostgrestInstant(value);
}

export function workerToSupabase(w: Worker): Record<string, unknown> {
  return {
    id: w.id,
    instance_type: w.instance_type,
    created_at: formatPostgrestInstant(w.created_at),
    last_heartbeat: instantOrNull(w.last_heartbeat),
    status: w.status,
    metadata: w.metadata,
  };
}

export function taskToSupabase(t: Task): Record<string, unknown> {
  return {
    id: t.id,
    task_type: t.task_type,
    status: t.status,
    worker_id: t.worker_id,
    attempts: t.attempts,
    error_message: t.error_message,
    created_at: formatPostgrestInstant(t.created_at),
    updated_at: instantOrNull(t.updated_at),
    generation_started_at: instantOrNull(t.generation_started_at),
    generation_processed_at: instantOrNull(t.generation_processed_at),
  };
}

export function logToSupabase(l: SystemLog): Record<string, unknown> {
  return {
    id: l.id,
    timestamp: formatPostgrestInstant(l.timestamp),
    source_type: l.source_type,
    source_id: l.source_id,
    log_level: l.log_level,
    message: l.message,
    task_id: l.task_id,
    worker_id: l.worker_id,
    cycle_number: l.cycle_number,
  };
}

/**
 * Hand-built rows for analysis tests: raw Supabase-shaped objects with sensible defaults, parsed
 * through the real schemas, on a fixed day so that every answer can be worked out by hand.
 */
import { parseRows } from '../../src/rows/parse.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { formatInstant, parseInstant, type Instant } from '../../src/rows/time.js';

export const DAY = '2025-10-17';

/** `at('13:05:20')` → that instant on the test day (UTC); full ISO strings pass through. */
export function at(time: string): Instant {
  const instant = parseInstant(time.includes('T') ? time : `${DAY}T${time}Z`);
  if (instant === null) throw new Error(`bad test time ${time}`);
  return instant;
}

export function iso(time: string): string {
  return time.includes('T') ? time : `${DAY}T${time}Z`;
}

/** The ISO instant `s` seconds after `time`, exact to the microsecond: `after('13:00:00', 90.000001)`. */
export function after(time: string, s: number): string {
  return formatInstant(at(time) + Math.round(s * 1_000_000));
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${String(++sequence).padStart(8, '0')}-0000-4000-8000-000000000000`.slice(0, 36);

function one<T>(table: 'workers' | 'tasks' | 'system_logs', raw: Record<string, unknown>): T {
  const parsed = parseRows(table, [raw]);
  if (parsed.problems.length) throw new Error(`bad test row: ${JSON.stringify(parsed.problems)}`);
  return parsed.rows[0] as T;
}

export interface WorkerSpec {
  id?: string;
  status?: string;
  created?: string;
  heartbeat?: string | null;
  metadata?: Record<string, unknown> | null;
}

export function worker(spec: WorkerSpec = {}): Worker {
  return one<Worker>('workers', {
    id: spec.id ?? 'gpu-20251017_120000-aaaaaaaa',
    instance_type: 'runpod',
    created_at: iso(spec.created ?? '12:00:00'),
    last_heartbeat: spec.heartbeat === null ? null : iso(spec.heartbeat ?? '13:59:50'),
    status: spec.status ?? 'active',
    metadata: spec.metadata === undefined ? { ram_tier: 32, pod_details: { gpu_type_id: 'NVIDIA GeForce RTX 4090' } } : spec.metadata,
  });
}

export interface TaskSpec {
  id?: string;
  worker?: string | null;
  status?: string;
  type?: string;
  created?: string;
  started?: string | null;
  processed?: string | null;
  error?: string | null;
  attempts?: number;
}

export function task(spec: TaskSpec = {}): Task {
  return one<Task>('tasks', {
    id: spec.id ?? nextId('7a5c'),
    task_type: spec.type ?? 'travel_segment',
    status: spec.status ?? 'Complete',
    worker_id: spec.worker === undefined ? 'gpu-20251017_120000-aaaaaaaa' : spec.worker,
    attempts: spec.attempts ?? 1,
    error_message: spec.error ?? null,
    created_at: iso(spec.created ?? '12:10:00'),
    updated_at: null,
    generation_started_at: spec.started === undefined ? iso(spec.created ?? '12:10:00') : spec.started === null ? null : iso(spec.started),
    generation_processed_at: spec.processed ? iso(spec.processed) : null,
  });
}

export interface LogSpec {
  id?: string;
  worker?: string | null;
  source?: string;
  level?: string;
  task?: string | null;
}

export function log(time: string, message: string, spec: LogSpec = {}): SystemLog {
  return one<SystemLog>('system_logs', {
    id: spec.id ?? nextId('1b9d'),
    timestamp: iso(time),
    source_type: spec.source ?? 'worker',
    source_id: spec.worker ?? 'gpu-20251017_120000-aaaaaaaa',
    log_level: spec.level ?? 'INFO',
    message,
    task_id: spec.task ?? null,
    worker_id: spec.worker === undefined ? 'gpu-20251017_120000-aaaaaaaa' : spec.worker,
    cycle_number: null,
  });
}

export const heartbeatLine = (time: string, spec: LogSpec = {}) =>
  log(time, `✅ [HEARTBEAT] Worker ${spec.worker ?? 'gpu-20251017_120000-aaaaaaaa'} active`, spec);

/** Logged heartbeats every `stepS` seconds from `from` to `to` (inclusive). */
export function heartbeatsEvery(from: string, to: string, stepS: number, spec: LogSpec = {}): SystemLog[] {
  const out: SystemLog[] = [];
  for (let t = at(from); t <= at(to); t += stepS * 1_000_000) out.push(heartbeatLine(new Date(t / 1000).toISOString(), spec));
  return out;
}

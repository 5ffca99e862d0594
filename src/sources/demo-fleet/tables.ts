/**
 * The three tables being filled, with rows shaped exactly as Supabase/PostgREST returns them:
 * every column of the schema page, snake_case, timestamps as `formatPostgrestInstant` prints them,
 * jsonb as objects or null.
 */
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import { flattened, type Rng } from './random.js';

export type RawRow = Record<string, unknown>;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type SourceType = 'worker' | 'orchestrator_gpu' | 'orchestrator_api';
export type TaskStatus = 'Queued' | 'In Progress' | 'Complete' | 'Failed' | 'Cancelled';

/** A task as the simulation decides it; instants are formatted when the row is written. */
export interface TaskRecord {
  id: string;
  task_type: string;
  params: Record<string, unknown>;
  status: TaskStatus;
  worker_id: string | null;
  attempts: number;
  error_message: string | null;
  result_data: Record<string, unknown> | null;
  created_at: Instant;
  updated_at: Instant;
  generation_started_at: Instant | null;
  generation_processed_at: Instant | null;
}

export interface WorkerRecord {
  id: string;
  instance_type: string;
  created_at: Instant;
  last_heartbeat: Instant | null;
  status: string;
  metadata: Record<string, unknown> | null;
}

const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;

/**
 * `formatPostgrestInstant`, specialised for a million rows: the `YYYY-MM-DDTHH:MM:` head is
 * cached per minute (the fleet spans a few hundred minutes), the rest is concatenated.
 */
export class PostgrestTimestamps {
  private readonly minuteHeads = new Map<number, string>();

  format(instant: Instant): string {
    const minute = Math.floor(instant / MICROS_PER_MINUTE);
    let head = this.minuteHeads.get(minute);
    if (head === undefined) {
      head = new Date(minute * 60_000).toISOString().slice(0, 17);
      this.minuteHeads.set(minute, head);
    }
    const withinMinute = instant - minute * MICROS_PER_MINUTE;
    const second = Math.floor(withinMinute / MICROS_PER_SECOND);
    let fraction = withinMinute - second * MICROS_PER_SECOND;
    let text = second < 10 ? head + '0' + second : head + second;
    if (fraction !== 0) {
      let digits = 6;
      while (fraction % 10 === 0) {
        fraction /= 10;
        digits--;
      }
      text += '.' + String(fraction).padStart(digits, '0');
    }
    return flattened(text + '+00:00');
  }
}

export class FleetTables {
  readonly workers: RawRow[] = [];
  readonly tasks: RawRow[] = [];
  readonly system_logs: RawRow[] = [];
  private readonly timestamps = new PostgrestTimestamps();
  private readonly workerIds = new Set<string>();

  constructor(
    readonly rng: Rng,
    readonly asOf: Instant,
  ) {}

  timestamp(instant: Instant): string {
    return this.timestamps.format(instant);
  }

  /** `gpu-20251017_130952-95cd7f4c`: the creation stamp to the second, then 8 random hex digits. */
  newWorkerId(createdAt: Instant): string {
    const iso = new Date(Math.floor(createdAt / 1000)).toISOString();
    const stamp = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + '_' + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
    let id: string;
    // A repeated tail is astronomically rare; redrawing keeps ids unique at any scale all the same.
    do id = `gpu-${stamp}-${this.rng.hex8()}`;
    while (this.workerIds.has(id));
    this.workerIds.add(id);
    return id;
  }

  log(
    at: Instant,
    sourceType: SourceType,
    sourceId: string,
    level: LogLevel,
    message: string,
    taskId: string | null,
    workerId: string | null,
    cycleNumber: number | null,
    metadata: Record<string, unknown> | null,
  ): void {
    this.system_logs.push({
      id: this.rng.uuid(),
      timestamp: this.timestamps.format(at),
      source_type: sourceType,
      source_id: sourceId,
      log_level: level,
      message,
      task_id: taskId,
      worker_id: workerId,
      cycle_number: cycleNumber,
      metadata,
    });
  }

  addTask(task: TaskRecord): void {
    this.tasks.push({
      id: task.id,
      task_type: task.task_type,
      params: task.params,
      status: task.status,
      worker_id: task.worker_id,
      attempts: task.attempts,
      error_message: task.error_message,
      result_data: task.result_data,
      created_at: this.timestamps.format(task.created_at),
      updated_at: this.timestamps.format(task.updated_at),
      generation_started_at: task.generation_started_at === null ? null : this.timestamps.format(task.generation_started_at),
      generation_processed_at: task.generation_processed_at === null ? null : this.timestamps.format(task.generation_processed_at),
    });
  }

  addWorker(worker: WorkerRecord): void {
    this.workers.push({
      id: worker.id,
      instance_type: worker.instance_type,
      created_at: this.timestamps.format(worker.created_at),
      last_heartbeat: worker.last_heartbeat === null ? null : this.timestamps.format(worker.last_heartbeat),
      status: worker.status,
      metadata: worker.metadata,
    });
  }
}

/**
 * One read-only interface over the four places rows come from (Supabase, Postgres, an evidence
 * snapshot, the embedded demo fleet). Sources filter and order; analyses do everything else.
 */
import type { Parsed } from '../rows/parse.js';
import type { SystemLog, Task, TaskStatus, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import type { WorkerSignals } from '../rows/signals.js';
import type { FamilyMatcher, Vocabulary } from '../config/vocabulary.js';

export type SourceKind = 'demo' | 'supabase' | 'postgres' | 'snapshot';

/** All bounds inclusive. Rows come ordered by (created_at, id). */
export interface WorkerQuery {
  ids?: readonly string[];
  statuses?: readonly string[];
  createdFrom?: Instant;
  createdTo?: Instant;
  /** Ids starting with this text (for "did you mean" suggestions). */
  idPrefix?: string;
  limit?: number;
}

/** All bounds inclusive. Rows come ordered by (created_at, id), or newest first with `newestFirst`. */
export interface TaskQuery {
  ids?: readonly string[];
  workerIds?: readonly string[];
  statuses?: readonly TaskStatus[];
  createdFrom?: Instant;
  createdTo?: Instant;
  /** Bounds on `updated_at` (inclusive); a task whose `updated_at` is NULL is outside any such bound. */
  updatedFrom?: Instant;
  updatedTo?: Instant;
  newestFirst?: boolean;
  limit?: number;
}

/** All bounds inclusive. Rows come ordered by (timestamp, id). */
export interface LogQuery {
  workerIds?: readonly string[];
  /** Lines carrying any of these task ids (`system_logs.task_id`), whoever wrote them. */
  taskIds?: readonly string[];
  since?: Instant;
  /** Upper bound, normally the as-of instant: lines that arrive while a read is under way lie after it. */
  until?: Instant;
  /**
   * Only lines of any of these marker families, each among its writer's lines (the worker's, or the
   * orchestrator's about it), as the family's expression matches them: PostgreSQL `~` and
   * PostgREST `match` run the expression's printed form, memory sources its JavaScript twin.
   */
  families?: readonly FamilyMatcher[];
  /** Only lines of these levels (upper case; a row's level is compared in upper case). */
  levels?: readonly string[];
}

export interface ReadProgress {
  table: string;
  rows: number;
  total: number | null;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

export interface Source {
  readonly kind: SourceKind;
  /** Where the rows come from, fit to print: never a key or a password. */
  readonly label: string;
  /**
   * For frozen data (demo fleet, snapshot): the instant the data describes, used as the default
   * as-of. Null for live sources, whose default as-of is the wall clock at command start.
   */
  readonly frozenAt: Instant | null;
  workers(query: WorkerQuery, options?: ReadOptions): Promise<Parsed<Worker>>;
  tasks(query: TaskQuery, options?: ReadOptions): Promise<Parsed<Task>>;
  logs(query: LogQuery, options?: ReadOptions): Promise<Parsed<SystemLog>>;
  /**
   * Fleet-scale path (postgres): the per-worker log signals computed where the rows live, so that
   * only results travel. Must equal `computeWorkerSignals` over the same rows.
   */
  workerSignals?(workerIds: readonly string[], asOf: Instant, vocabulary: Vocabulary, options?: ReadOptions): Promise<Map<string, WorkerSignals>>;
  close(): Promise<void>;
}

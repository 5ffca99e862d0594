/**
 * The orchestrator's three tables as zod schemas (columns from the schema page, not the guide).
 * Input is a row as Supabase or a Postgres driver returns it; output is the normalised row the
 * analyses use: instants as epoch microseconds, task status canonical, NULL metadata as null.
 * Columns a query did not select are absent from the input and read as null.
 */
import { z } from 'zod';
import { parseInstant, type Instant } from './time.js';

const INSTANT_MESSAGE = 'expected an ISO-8601 instant';

// `.optional()` before each transform: zod 4 otherwise rejects a key that is absent (a column the
// query did not select) before the transform can read it as null.

const requiredInstant = z.unknown().optional().transform((value, ctx): Instant => {
  if (value === undefined || value === null) {
    ctx.addIssue({ code: 'custom', message: 'missing (required instant)' });
    return z.NEVER;
  }
  const instant = parseInstant(value);
  if (instant === null) {
    ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
    return z.NEVER;
  }
  return instant;
});

const nullableInstant = z.unknown().optional().transform((value, ctx): Instant | null => {
  if (value === undefined || value === null) return null;
  const instant = parseInstant(value);
  if (instant === null) {
    ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
    return z.NEVER;
  }
  return instant;
});

const id = z.string({ error: (issue) => (issue.input === undefined ? 'missing id' : 'expected a text id') }).min(1, 'empty id');
const nullableText = z.string().nullish().transform((v) => v ?? null);
const nullableInt = z.number().int().nullish().transform((v) => v ?? null);

/** jsonb: an object, or NULL. Some drivers hand jsonb over as text; that is parsed here. */
const jsonObject = z
  .unknown()
  .optional()
  .transform((value, ctx): Record<string, unknown> | null => {
    if (value === undefined || value === null) return null;
    let parsed = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object (unparseable text)' });
        return z.NEVER;
      }
    }
    if (parsed === null) return null;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
      return z.NEVER;
    }
    return parsed as Record<string, unknown>;
  });

export const WORKER_STATUSES_SEEN = [
  'inactive',
  'spawning',
  'active',
  'terminating',
  'terminated',
  'error',
  'external',
  'crashed',
] as const;

/** Statuses that end a worker's life with a failure (set by the orchestrator, or sent by a dying worker). */
export const ERROR_STATUSES: ReadonlySet<string> = new Set(['error', 'crashed']);
/** Statuses of a worker the orchestrator is shutting down or has shut down: not, by themselves, a clean end. */
export const TERMINATED_STATUSES: ReadonlySet<string> = new Set(['terminating', 'terminated']);

/** The status says the worker's life is over (an error, or terminated by the orchestrator). */
export function isEndedStatus(status: string): boolean {
  return ERROR_STATUSES.has(status) || TERMINATED_STATUSES.has(status);
}

export const WorkerRow = z.object({
  id,
  instance_type: nullableText,
  created_at: requiredInstant,
  last_heartbeat: nullableInstant,
  /** Free text in the real table (schema page lists the values seen); kept as written. */
  status: z.string({ error: 'expected a text status' }),
  metadata: jsonObject,
});
export type Worker = z.output<typeof WorkerRow>;
export type WorkerInput = z.input<typeof WorkerRow>;

/** The real `task_status` enum. The guide's `Completed` is read as `Complete` (one state). */
export const TASK_STATUSES = ['Queued', 'In Progress', 'Complete', 'Failed', 'Cancelled'] as const;

/** Statuses that end a task. */
export const TASK_END_STATUSES: ReadonlySet<string> = new Set(['Complete', 'Failed', 'Cancelled']);

/**
 * When a task ended: `generation_processed_at` (set on completion), else its last update; null while
 * it has not ended. One rule for the crash patterns, the timeline, the journey and why-killed.
 */
export function taskFinishedAt(task: { status: string; generation_processed_at: Instant | null; updated_at: Instant | null }): Instant | null {
  return TASK_END_STATUSES.has(task.status) ? (task.generation_processed_at ?? task.updated_at) : null;
}
export type TaskStatus = (typeof TASK_STATUSES)[number];

const TASK_STATUS_ALIASES: Readonly<Record<string, TaskStatus>> = { Completed: 'Complete' };

const taskStatus = z.string({ error: 'expected a text status' }).transform((value, ctx): TaskStatus => {
  const canonical = TASK_STATUS_ALIASES[value] ?? value;
  if ((TASK_STATUSES as readonly string[]).includes(canonical)) return canonical as TaskStatus;
  ctx.addIssue({ code: 'custom', message: `expected one of ${TASK_STATUSES.join(', ')}` });
  return z.NEVER;
});

export const TaskRow = z.object({
  id,
  task_type: z.string({ error: 'expected a text task_type' }),
  status: taskStatus,
  worker_id: nullableText,
  attempts: nullableInt,
  error_message: nullableText,
  created_at: requiredInstant,
  updated_at: nullableInstant,
  generation_started_at: nullableInstant,
  generation_processed_at: nullableInstant,
});
export type Task = z.output<typeof TaskRow>;
export type TaskInput = z.input<typeof TaskRow>;

export const SystemLogRow = z.object({
  id,
  timestamp: requiredInstant,
  source_type: z.string({ error: 'expected a text source_type' }),
  source_id: nullableText,
  /** Upper-cased so that `warning` and `WARNING` are one level. */
  log_level: z.string({ error: 'expected a text log_level' }).transform((v) => v.toUpperCase()),
  message: z.string({ error: 'expected a text message' }),
  task_id: nullableText,
  worker_id: nullableText,
  cycle_number: nullableInt,
});
export type SystemLog = z.output<typeof SystemLogRow>;
export type SystemLogInput = z.input<typeof SystemLogRow>;

export const TABLES = {
  workers: WorkerRow,
  tasks: TaskRow,
  system_logs: SystemLogRow,
} as const;
export type TableName = keyof typeof TABLES;
export interface RowOf {
  workers: Worker;
  tasks: Task;
  system_logs: SystemLog;
}

/** The columns each read selects: only what the analyses use (no params, result_data, log metadata). */
export const SELECTED_COLUMNS: Readonly<Record<TableName, readonly string[]>> = {
  workers: ['id', 'instance_type', 'created_at', 'last_heartbeat', 'status', 'metadata'],
  tasks: [
    'id',
    'task_type',
    'status',
    'worker_id',
    'attempts',
    'error_message',
    'created_at',
    'updated_at',
    'generation_started_at',
    'generation_processed_at',
  ],
  system_logs: ['id', 'timestamp', 'source_type', 'source_id', 'log_level', 'message', 'task_id', 'worker_id', 'cycle_number'],
};

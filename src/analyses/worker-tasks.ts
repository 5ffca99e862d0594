/** §3 Find tasks assigned to a worker. */
import { TASK_STATUSES, type Task, type TaskStatus } from '../rows/schemas.js';
import { compareTasks } from '../rows/order.js';
import { secondsBetween, type Instant } from '../rows/time.js';

export interface TaskLine {
  id: string;
  task_type: string;
  status: TaskStatus;
  attempts: number | null;
  created_at: Instant;
  generation_started_at: Instant | null;
  generation_processed_at: Instant | null;
  updated_at: Instant | null;
  /** Claim to completion, when both are known. */
  generation_s: number | null;
  error_message: string | null;
}

export interface WorkerTasks {
  worker_id: string;
  total: number;
  by_status: Record<TaskStatus, number>;
  tasks: TaskLine[];
}

export function toTaskLine(task: Task): TaskLine {
  return {
    id: task.id,
    task_type: task.task_type,
    status: task.status,
    attempts: task.attempts,
    created_at: task.created_at,
    generation_started_at: task.generation_started_at,
    generation_processed_at: task.generation_processed_at,
    updated_at: task.updated_at,
    generation_s:
      task.generation_started_at !== null && task.generation_processed_at !== null
        ? secondsBetween(task.generation_started_at, task.generation_processed_at)
        : null,
    error_message: task.error_message,
  };
}

export function countByStatus(tasks: readonly Pick<Task, 'status'>[]): Record<TaskStatus, number> {
  const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const t of tasks) counts[t.status]++;
  return counts;
}

export function workerTasks(workerId: string, tasks: readonly Task[]): WorkerTasks {
  const mine = tasks.filter((t) => t.worker_id === workerId).sort(compareTasks);
  return { worker_id: workerId, total: mine.length, by_status: countByStatus(mine), tasks: mine.map(toTaskLine) };
}

/** What the fleet analyses take per worker: its row, its tasks and its log signals. */
import type { Task, Worker } from '../rows/schemas.js';
import type { WorkerSignals } from '../rows/signals.js';

/** What a classification rests on: one worker's row, its tasks and its log signals. */
export interface WorkerCase {
  worker: Worker;
  tasks: readonly Task[];
  signals: WorkerSignals;
}

/**
 * What timing a crash after a switch needs: the worker row, its In Progress tasks and four of its
 * log signals (the switch, the memory profile and RAM sample before it, a clean shutdown). Narrower
 * than a WorkerCase so that it can be read cheaply (only those lines; see checks/load.ts).
 */
export interface SwitchCase {
  worker: Worker;
  tasks: readonly Pick<Task, 'status'>[];
  signals: Pick<WorkerSignals, 'last_model_switch' | 'memory_profile_line' | 'ram_before_switch' | 'last_shutdown_log'>;
}

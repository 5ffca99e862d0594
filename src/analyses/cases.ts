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
 * What timing a crash after a switch needs: the worker row, its tasks (for the death of a
 * terminated worker: only their statuses) and two of its log signals. Narrower than a WorkerCase
 * so that it can be read cheaply (only the switch and memory-profile lines; see load.ts).
 */
export interface SwitchCase {
  worker: Worker;
  tasks: readonly Pick<Task, 'status'>[];
  signals: Pick<WorkerSignals, 'last_model_switch' | 'memory_profile_line'>;
}

/** §6 Quick status check: status, the newest log lines and the tasks of one worker, together. */
import { QUICK_CHECK_LOG_LINES } from '../config/thresholds.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import { workerLogs, type LastWorkerLog, type LogLine } from './worker-logs.js';
import { workerStatus, type WorkerStatus } from './worker-status.js';
import { workerTasks, type TaskLine } from './worker-tasks.js';

export interface QuickCheck {
  worker_id: string;
  /** Null when the worker row is gone (deleted) but logs or tasks remain. */
  status: WorkerStatus | null;
  total_logs: number;
  logs: LogLine[];
  last_worker_log: LastWorkerLog | null;
  silence_s: number | null;
  tasks: TaskLine[];
}

export function quickCheck(workerId: string, worker: Worker | null, tasks: readonly Task[], logs: readonly SystemLog[], asOf: Instant): QuickCheck {
  const recent = workerLogs(workerId, logs, asOf, { limit: QUICK_CHECK_LOG_LINES });
  return {
    worker_id: workerId,
    status: worker ? workerStatus(worker, asOf) : null,
    total_logs: recent.total,
    logs: recent.logs,
    last_worker_log: recent.last_worker_log,
    silence_s: recent.silence_s,
    tasks: workerTasks(workerId, tasks).tasks,
  };
}

/**
 * Hand-built task journeys and kills (issue 11), shared by the analysis tests and the printers'
 * snapshot tests: rows written as the schema page describes them, run through the real analyses.
 */
import type { WorkerCase } from '../../src/analyses/cases.js';
import { taskJourney } from '../../src/analyses/task-journey.js';
import { whyKilled } from '../../src/analyses/why-killed.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { formatInstant, MICROS_PER_SECOND } from '../../src/rows/time.js';
import { at, log, task, worker, type LogSpec, type TaskSpec } from './rows.js';

export const AS_OF = at('14:00:00');
export const W1 = 'gpu-20251017_120000-11111111';
export const W2 = 'gpu-20251017_120500-22222222';
export const W3 = 'gpu-20251017_121000-33333333';
export const T = '7a5c0000-1111-4000-8000-00000000abcd';

/** A task row with `updated_at` (the row builder leaves it null). */
export function taskRow(spec: TaskSpec & { updated?: string | null }): Task {
  const { updated, ...rest } = spec;
  return { ...task({ id: T, ...rest }), updated_at: updated ? at(updated) : null };
}

/** A line for the task T. */
export const forTask = (time: string, message: string, spec: LogSpec = {}): SystemLog => log(time, message, { task: T, ...spec });

/** A worker's case from its row and every line it wrote (its signals computed in-process). */
export function caseOf(row: Worker, logs: readonly SystemLog[], tasks: readonly Task[] = []): WorkerCase {
  return { worker: row, tasks, signals: computeSignalsForWorker(row.id, logs.filter((l) => l.worker_id === row.id), AS_OF, BUILT_IN_VOCABULARY) };
}

export function journeyOf(row: Task, lines: readonly SystemLog[], cases: readonly WorkerCase[]) {
  return { as_of: AS_OF, ...taskJourney(row, lines, cases, AS_OF, BUILT_IN_VOCABULARY) };
}

/**
 * The case: W1 claims T at 12:10, crashes (status `crashed`, last DB heartbeat 12:12); the
 * orchestrator requeues T with `Requeued: worker crashed (attempt 1)`; W2 claims it at 12:13 and
 * completes it at 12:20.
 */
export function requeuedAfterCrash() {
  const lines = [
    forTask('12:10:00', `[CLAIM] Claimed task ${T}`, { worker: W1 }),
    forTask('12:10:30', 'Starting generation: 81 frames', { worker: W1, level: 'DEBUG' }),
    forTask('12:11:50', '💥 Worker process crashed: Segmentation fault', { worker: W1, level: 'CRITICAL' }),
    forTask('12:13:00', `📥 Claimed task ${T} (travel_segment)`, { worker: W2 }),
    forTask('12:19:59', 'Generation complete in 400.0s', { worker: W2 }),
    forTask('12:20:00', `✅ Task ${T} Complete`, { worker: W2 }),
  ];
  const w1 = worker({ id: W1, status: 'crashed', created: '11:00:00', heartbeat: '12:12:00' });
  const w2 = worker({ id: W2, status: 'active', created: '11:30:00', heartbeat: '13:59:50' });
  const row = taskRow({
    worker: W2,
    status: 'Complete',
    created: '12:09:00',
    started: '12:13:00',
    processed: '12:20:00',
    updated: '12:20:00',
    attempts: 1,
    error: 'Requeued: worker crashed (attempt 1)',
  });
  return { row, lines, cases: [caseOf(w1, lines), caseOf(w2, lines, [row])] };
}

/** A worker's kill: its row (with the orchestrator's metadata), its tasks and its lines. */
export interface KillCase {
  row: Worker;
  tasks: Task[];
  logs: SystemLog[];
}

export function killOf(c: KillCase) {
  return { as_of: AS_OF, ...whyKilled(c.row, c.tasks, c.logs, AS_OF, BUILT_IN_VOCABULARY) };
}

const idleReason = (minutes: number) => `GPU ready but not claiming tasks: idle for ${minutes} minutes`;

/**
 * The example: killed at 13:00 as GPU_READY_NOT_CLAIMING "idle for 20 minutes", a task
 * finished at 12:57 (3 min before). `finishedAt` moves the last task's end.
 */
export function idleKill(finishedAt = '12:57:00', claimedMinutes = 20): KillCase {
  const row = worker({
    id: W1,
    status: 'terminated',
    created: '11:00:00',
    heartbeat: '13:00:05',
    metadata: { error_code: 'GPU_READY_NOT_CLAIMING', error_reason: idleReason(claimedMinutes), error_time: '2025-10-17T13:00:00Z' },
  });
  const claimedAt = formatInstant(at(finishedAt) - 20 * MICROS_PER_SECOND);
  const done = taskRow({ id: '7a5c0000-2222-4000-8000-000000000001', worker: W1, status: 'Complete', type: 'join_clips', created: '11:30:00', started: claimedAt, processed: finishedAt, updated: finishedAt });
  return {
    row,
    tasks: [done],
    logs: [
      log('11:01:00', `Worker ${W1} ready to claim tasks (startup_phase=ready)`, { worker: W1 }),
      log(claimedAt, `[CLAIM] Claimed task ${done.id}`, { worker: W1, task: done.id }),
      log(finishedAt, 'Finished task (Success: True)', { worker: W1, task: done.id }),
      log('12:59:00', `✅ [HEARTBEAT] Worker ${W1} active`, { worker: W1 }),
      log('13:00:00', `WORKER_LIFECYCLE [Worker ${W1}] MARKING AS ERROR: GPU_READY_NOT_CLAIMING - ${idleReason(claimedMinutes)}`, {
        worker: W1,
        source: 'orchestrator_gpu',
        level: 'ERROR',
      }),
    ],
  };
}

/** A stale-heartbeat kill at 13:10:20 of a worker whose last DB heartbeat is `heartbeat`. */
export function staleKill(heartbeat = '13:00:00', claimedS = 620): KillCase {
  const row = worker({
    id: W2,
    status: 'error',
    created: '11:00:00',
    heartbeat,
    metadata: {
      error_code: 'STALE_HEARTBEAT_TASKS_QUEUED',
      error_reason: `No heartbeat for ${claimedS}s while tasks are queued`,
      error_time: '2025-10-17T13:10:20Z',
    },
  });
  return {
    row,
    tasks: [],
    logs: [
      log('12:59:40', 'Generation complete in 12.0s', { worker: W2 }),
      log('13:10:20', `Marking worker ${W2} as error: heartbeat stale for ${claimedS}s [STALE_HEARTBEAT_TASKS_QUEUED]`, { worker: W2, source: 'orchestrator_gpu', level: 'ERROR' }),
    ],
  };
}

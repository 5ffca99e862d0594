import { workerTimeline } from '../analyses/worker-timeline.js';
import type { Task } from '../rows/schemas.js';
import { requireWorkerRow, type ReadContext, type WorkerEvidence } from './load.js';
import { asOfOf, type WorkerRef, workerEvidence } from './context.js';

/**
 * The tasks a worker's lines name that are no longer its own (requeued, reset, taken by another
 * worker): read by id, one more query, so that the timeline says where they went.
 */
export async function tasksNamedByLines(read: ReadContext, evidence: WorkerEvidence): Promise<Task[]> {
  const own = new Set(evidence.tasks.map((t) => t.id));
  const ids = [...new Set(evidence.logs.flatMap((l) => (l.task_id !== null && !own.has(l.task_id) ? [l.task_id] : [])))].sort();
  if (ids.length === 0) return [];
  const found = await read.source.tasks({ ids }, read.read);
  read.problems.add(found.problems);
  return found.rows;
}

/** Issue 11: the worker's lifecycle events from all three tables, the idle time before its end, and what ended it. */
export async function timeline(read: ReadContext, worker: WorkerRef) {
  const evidence = await workerEvidence(read, worker);
  const row = requireWorkerRow(read, evidence);
  const named = await tasksNamedByLines(read, evidence);
  return { ...asOfOf(read), ...workerTimeline(row, [...evidence.tasks, ...named], evidence.logs, read.asOf, read.vocabulary) };
}

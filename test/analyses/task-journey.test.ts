/**
 * Issue 11, a task's journey (src/analyses/task-journey.ts) on hand-built rows: every event kind,
 * claims numbered as attempts, the orchestrator's traces (error_message and lines), queue and
 * processing times, and which death interrupted the task — or why a death did not.
 */
import { describe, expect, it } from 'vitest';
import { classifyWorker } from '../../src/analyses/crash-patterns.js';
import { JOURNEY_EVENT_KINDS, readTaskTrace, type JourneyEventKind } from '../../src/analyses/task-journey.js';
import { taskFinishedAt } from '../../src/rows/schemas.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { at, log, worker } from '../support/rows.js';
import { AS_OF, T, W1, W2, W3, caseOf, forTask, journeyOf, requeuedAfterCrash, taskRow } from '../support/journeys.js';

const kinds = (events: readonly { kind: JourneyEventKind }[]) => events.map((e) => e.kind);

describe('readTaskTrace: the orchestrator traces of the schema page', () => {
  it('reads each trace with its attempt, minutes or reason', () => {
    expect(readTaskTrace('Requeued: worker crashed (attempt 2)')).toEqual({ kind: 'requeued', attempt: 2, minutes: null, reason: 'worker crashed', text: 'Requeued: worker crashed (attempt 2)' });
    expect(readTaskTrace('Reset - no activity for 15 minutes (stale task)')).toMatchObject({ kind: 'reset', minutes: 15, attempt: null, reason: 'no activity for 15 minutes (stale task)' });
    expect(readTaskTrace('Auto-failed: stuck in progress for >24 hours')).toMatchObject({ kind: 'auto_failed', reason: 'stuck in progress for >24 hours' });
    expect(readTaskTrace('Auto-failed: dependency task failed')).toMatchObject({ kind: 'auto_failed', reason: 'dependency task failed' });
    expect(readTaskTrace(`↩️ Task ${T} returned to the queue (attempts=1)`)).toMatchObject({ kind: 'requeued', attempt: 1 });
  });

  it('ordinary errors are no trace, even with the same words elsewhere', () => {
    for (const text of ['Upload failed: storage returned HTTP 503', 'CUDA out of memory. Tried to allocate 2.50 GiB', 'Connection reset by peer', 'Generation timed out after 1200s', null]) {
      expect(readTaskTrace(text), String(text)).toBeNull();
    }
  });
});

describe('taskJourney', () => {
  it('requeued after its worker crashed, completed by another: every event in order, attempts numbered by claim', () => {
    const { row, lines, cases } = requeuedAfterCrash();
    const j = journeyOf(row, lines, cases);
    expect(j.events.map((e) => [e.kind, e.worker_id, e.attempt, e.source])).toEqual([
      ['created', null, null, 'tasks'],
      ['claimed', W1, 1, 'system_logs:worker'],
      ['line', W1, 1, 'system_logs:worker'],
      ['line', W1, 1, 'system_logs:worker'],
      ['worker_died', W1, 1, 'workers'],
      // The trace has no time of its own: the task was requeued for the crash it reports.
      ['requeued', W1, 1, 'tasks.error_message'],
      ['claimed', W2, 2, 'system_logs:worker'],
      ['line', W2, 2, 'system_logs:worker'],
      ['line', W2, 2, 'system_logs:worker'],
      ['completed', W2, 2, 'tasks'],
    ]);
    const requeue = j.events.find((e) => e.kind === 'requeued')!;
    expect(requeue.at).toBe(at('12:12:00'));
    expect(j).toMatchObject({ status: 'Complete', attempts: 1, claims: 2, queue_s: 60, processing_s: 420, first_claim_at: at('12:10:00'), last_claim_at: at('12:13:00') });
    expect(j.trace).toMatchObject({ kind: 'requeued', attempt: 1 });
    const w1 = classifyWorker(cases[0]!, AS_OF, BUILT_IN_VOCABULARY);
    expect(j.interrupted_by).toEqual([
      { worker_id: W1, attempt: 1, held_from_at: at('12:10:00'), died_at: at('12:12:00'), pattern: w1.pattern, confidence: w1.confidence, trace_names_it: true },
    ]);
    expect(j.workers.map((w) => [w.worker_id, w.attempts, w.lines, w.status, w.died_at])).toEqual([
      [W1, [1], 3, 'crashed', at('12:12:00')],
      [W2, [2], 3, 'active', null],
    ]);
  });

  it('the row claim counts when the worker logged none (a wording the vocabulary does not know), once', () => {
    const row = taskRow({ worker: W1, status: 'In Progress', created: '12:00:00', started: '12:04:00', updated: '12:04:00', attempts: 0 });
    const w1 = worker({ id: W1, status: 'error', created: '11:00:00', heartbeat: '12:30:00' });
    const lines = [forTask('12:04:01', `Picked up ${T}`, { worker: W1 })];
    const j = journeyOf(row, lines, [caseOf(w1, lines, [row])]);
    expect(j.events.map((e) => [e.kind, e.source, e.attempt])).toEqual([
      ['created', 'tasks', null],
      ['claimed', 'tasks', 1],
      ['line', 'system_logs:worker', 1],
      ['worker_died', 'workers', 1],
    ]);
    // Its worker died holding it (an orphan): that death interrupted it; it has not finished.
    expect(j.interrupted_by.map((i) => [i.worker_id, i.died_at, i.trace_names_it])).toEqual([[W1, at('12:30:00'), false]]);
    expect(j).toMatchObject({ queue_s: 240, processing_s: null, finished_at: null });
    // With the claim logged as well, it is one claim, not two.
    const logged = [forTask('12:04:00', `[CLAIM] Claimed task ${T}`, { worker: W1 }), ...lines];
    expect(journeyOf(row, logged, [caseOf(w1, logged, [row])]).claims).toBe(1);
  });

  it('a reset trace on a task back in the queue is dated by its update; an alive holder is no interruption', () => {
    const row = taskRow({ worker: null, status: 'Queued', created: '12:00:00', started: null, updated: '12:40:00', attempts: 0, error: 'Reset - no activity for 15 minutes (stale task)' });
    const w1 = worker({ id: W1, status: 'active', created: '11:00:00', heartbeat: '13:59:50' });
    const lines = [forTask('12:20:00', `[CLAIM] Claimed task ${T}`, { worker: W1 })];
    const j = journeyOf(row, lines, [caseOf(w1, lines)]);
    expect(j.events.map((e) => [e.kind, e.at])).toEqual([
      ['created', at('12:00:00')],
      ['claimed', at('12:20:00')],
      ['reset', at('12:40:00')],
    ]);
    expect(j.trace).toMatchObject({ kind: 'reset', minutes: 15 });
    expect(j.interrupted_by).toEqual([]);
    expect(j).toMatchObject({ status: 'Queued', queue_s: 1200, processing_s: null });
  });

  it('auto-failed after its worker died: the failure carries the trace, and the death is named', () => {
    const row = taskRow({ worker: W1, status: 'Failed', created: '12:00:00', started: '12:01:00', updated: '13:30:00', attempts: 1, error: 'Auto-failed: stuck in progress for >24 hours' });
    const w1 = worker({ id: W1, status: 'error', created: '11:00:00', heartbeat: '12:05:00' });
    const lines = [forTask('12:01:00', `[CLAIM] Claimed task ${T}`, { worker: W1 })];
    const j = journeyOf(row, lines, [caseOf(w1, lines, [row])]);
    expect(kinds(j.events)).toEqual(['created', 'claimed', 'worker_died', 'failed']);
    expect(j.events.at(-1)).toMatchObject({ at: at('13:30:00'), detail: 'Auto-failed: stuck in progress for >24 hours', worker_id: W1 });
    expect(j.trace?.kind).toBe('auto_failed');
    expect(j.interrupted_by.map((i) => i.worker_id)).toEqual([W1]);
    expect(j.processing_s).toBe(89 * 60);
  });

  it('a worker that handed the task back before dying did not interrupt it; orchestrator lines and requeue lines are events', () => {
    const w1 = worker({ id: W1, status: 'error', created: '11:00:00', heartbeat: '12:08:00' });
    const w2 = worker({ id: W2, status: 'active', created: '11:00:00', heartbeat: '13:59:50' });
    const row = taskRow({ worker: W2, status: 'Complete', created: '12:00:00', started: '12:10:00', processed: '12:15:00', updated: '12:15:00', attempts: 1, error: null });
    const lines = [
      forTask('12:01:00', `[CLAIM] Claimed task ${T}`, { worker: W1 }),
      forTask('12:03:00', `❌ Task ${T} failed (attempt 1/3): ValueError: could not decode input image`, { worker: W1, level: 'ERROR' }),
      forTask('12:03:01', `↩️ Task ${T} returned to the queue (attempts=1)`, { worker: W1 }),
      forTask('12:09:00', `Task ${T} assigned to a new worker`, { worker: W2, source: 'orchestrator_gpu' }),
      forTask('12:10:00', `[CLAIM] Claimed task ${T}`, { worker: W2 }),
      forTask('12:15:00', 'Finished task (Success: True)', { worker: W2 }),
    ];
    const j = journeyOf(row, lines, [caseOf(w1, lines), caseOf(w2, lines, [row])]);
    expect(j.events.map((e) => [e.kind, e.worker_id, e.attempt])).toEqual([
      ['created', null, null],
      ['claimed', W1, 1],
      ['line', W1, 1],
      ['requeued', W1, 1],
      ['orchestrator_line', W2, null],
      ['claimed', W2, 2],
      ['line', W2, 2],
      ['completed', W2, 2],
    ]);
    expect(j.interrupted_by).toEqual([]);
    expect(j.workers.map((w) => w.lines)).toEqual([3, 2]);
  });

  it('a death after the next claim, or after the worker finished the task, interrupted nothing', () => {
    const { row, lines } = requeuedAfterCrash();
    const late = worker({ id: W1, status: 'crashed', created: '11:00:00', heartbeat: '12:30:00' });
    const w2Died = worker({ id: W2, status: 'error', created: '11:30:00', heartbeat: '12:25:00' });
    const j = journeyOf(row, lines, [caseOf(late, lines), caseOf(w2Died, lines, [row])]);
    expect(j.interrupted_by).toEqual([]);
    expect(kinds(j.events)).not.toContain('worker_died');
  });

  it('a worker that wrote for the task with no claim seen holds it from its first line', () => {
    const row = taskRow({ worker: W3, status: 'Cancelled', created: '12:00:00', started: '12:20:00', updated: '12:25:00', attempts: 0 });
    const lines = [
      forTask('12:05:00', 'Prompt: "a cat"', { worker: W2, level: 'DEBUG' }),
      forTask('12:20:00', `[CLAIM] Claimed task ${T}`, { worker: W3 }),
      forTask('12:25:00', `⚠️ Task ${T} cancelled by user; stopping generation`, { worker: W3, level: 'WARNING' }),
    ];
    const w2 = worker({ id: W2, status: 'error', created: '11:00:00', heartbeat: '12:06:00' });
    const j = journeyOf(row, lines, [caseOf(w2, lines), caseOf(worker({ id: W3 }), lines, [row])]);
    expect(j.workers.map((w) => [w.worker_id, w.attempts])).toEqual([
      [W2, [1]],
      [W3, [2]],
    ]);
    expect(j.events.map((e) => [e.kind, e.attempt])).toContainEqual(['claimed', 2]);
    expect(j.events.at(-1)).toMatchObject({ kind: 'cancelled', at: at('12:25:00') });
    // Cancelled is an end, but no processing time (that is for Complete and Failed).
    expect(j).toMatchObject({ finished_at: at('12:25:00'), processing_s: null, claims: 1, queue_s: 1200 });
    expect(j.interrupted_by.map((i) => [i.worker_id, i.attempt])).toEqual([[W2, 1]]);
  });

  it('a task never claimed: created only; lines of other tasks and lines after as-of are not its own', () => {
    const row = taskRow({ worker: null, status: 'Queued', created: '12:00:00', started: null, updated: null, attempts: 0 });
    const other = log('12:01:00', 'Claimed task 7a5c0000-9999-4000-8000-000000000000', { worker: W1, task: '7a5c0000-9999-4000-8000-000000000000' });
    const late = forTask('14:00:01', `[CLAIM] Claimed task ${T}`, { worker: W1 });
    const j = journeyOf(row, [other, late], []);
    expect(j.events.map((e) => e.kind)).toEqual(['created']);
    expect(j).toMatchObject({ claims: 0, queue_s: null, processing_s: null, workers: [], interrupted_by: [], trace: null });
  });

  it('covers every event kind the module names', () => {
    const seen = new Set<JourneyEventKind>();
    const { row, lines, cases } = requeuedAfterCrash();
    for (const e of journeyOf(row, lines, cases).events) seen.add(e.kind);
    const reset = taskRow({ worker: null, status: 'Queued', created: '12:00:00', started: null, updated: '12:40:00', error: 'Reset - no activity for 15 minutes (stale task)' });
    for (const e of journeyOf(reset, [forTask('12:10:00', 'Task stuck', { worker: W1, source: 'orchestrator_gpu' })], []).events) seen.add(e.kind);
    for (const status of ['Failed', 'Cancelled'] as const) for (const e of journeyOf(taskRow({ status, updated: '12:30:00' }), [], []).events) seen.add(e.kind);
    const auto = taskRow({ worker: null, status: 'Queued', started: null, updated: '12:30:00', error: 'Auto-failed: dependency task failed' });
    for (const e of journeyOf(auto, [], []).events) seen.add(e.kind);
    expect([...seen].sort()).toEqual([...JOURNEY_EVENT_KINDS].sort());
  });

  it('does not depend on the order the lines and workers arrive in', () => {
    const { row, lines, cases } = requeuedAfterCrash();
    expect(journeyOf(row, [...lines].reverse(), [...cases].reverse())).toEqual(journeyOf(row, lines, cases));
  });

  it('taskFinishedAt: processed time for Complete, the update for Failed and Cancelled, none while open', () => {
    expect(taskFinishedAt(taskRow({ status: 'Complete', processed: '12:20:00', updated: '12:20:05' }))).toBe(at('12:20:00'));
    expect(taskFinishedAt(taskRow({ status: 'Complete', processed: null, updated: '12:20:05' }))).toBe(at('12:20:05'));
    expect(taskFinishedAt(taskRow({ status: 'Failed', updated: '12:21:00' }))).toBe(at('12:21:00'));
    expect(taskFinishedAt(taskRow({ status: 'In Progress', updated: '12:21:00' }))).toBeNull();
  });
});

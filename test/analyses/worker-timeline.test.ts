/**
 * Issue 11 `timeline`: every event kind from the three tables, runs of identical events collapsed
 * (heartbeat lines, switches to the same model, repeated lines), each `ended_by` decided from the
 * evidence (a kill while the heartbeat was alive ends a life; a kill after it stopped is the
 * aftermath of a crash), and the idle time before the end with the reason it is missing.
 */
import { describe, expect, it } from 'vitest';
import { workerTimeline, type TimelineEvent, type TimelineEventKind } from '../../src/analyses/worker-timeline.js';
import { BUILT_IN_VOCABULARY, compileVocabulary } from '../../src/config/vocabulary.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { after, at, heartbeatLine, log, task, worker } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const OTHER = 'gpu-20251017_110000-bbbbbbbb';
const AS_OF = at('14:00:00');
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const T3 = '33333333-3333-4333-8333-333333333333';

const timeline = (w: Worker, tasks: Task[], logs: SystemLog[], vocabulary = BUILT_IN_VOCABULARY) => workerTimeline(w, tasks, logs, AS_OF, vocabulary);
const kinds = (events: readonly TimelineEvent[]) => events.map((e) => e.kind);
const only = (events: readonly TimelineEvent[], kind: TimelineEventKind) => events.filter((e) => e.kind === kind);
const orchestrator = (time: string, message: string) => log(time, message, { source: 'orchestrator_gpu', level: 'ERROR' });

/** A 1.4.0-style life: start-up, ready, heartbeat lines, two tasks, switches, a warning and two identical errors. */
function fullLife(): { tasks: Task[]; logs: SystemLog[] } {
  const tasks = [
    task({ id: T1, status: 'Complete', type: 'travel_segment', created: '12:04:00', started: '12:05:00', processed: '12:09:00' }),
    task({ id: T2, status: 'Failed', type: 'join_clips', created: '12:10:00', started: '12:11:00', processed: '12:20:00', error: 'CUDA out of memory. Tried to allocate 2.50 GiB' }),
  ];
  const logs = [
    log('12:00:01', `🚀 Worker ${W} starting`),
    log('12:00:05', 'Installing dependencies (startup_phase=deps_installing)'),
    log('12:00:30', `Worker ${W} ready (startup_phase=ready)`),
    heartbeatLine('12:01:00'),
    heartbeatLine('12:01:30'),
    heartbeatLine('12:02:00'),
    log('12:05:00', `[CLAIM] Claimed task ${T1}`, { task: T1 }),
    log('12:05:10', '🔄 MODEL SWITCH: a -> b', { task: T1 }),
    heartbeatLine('12:05:30'),
    log('12:05:40', '🔄 MODEL SWITCH: a -> b', { task: T1 }),
    log('12:06:00', 'Model loaded: b', { task: T1 }),
    log('12:07:00', 'VRAM usage high', { task: T1, level: 'WARNING' }),
    log('12:11:00', `[CLAIM] Claimed task ${T2}`, { task: T2 }),
    log('12:12:00', '🔄 MODEL SWITCH: b -> c', { task: T2 }),
    log('12:19:00', 'CUDA out of memory', { task: T2, level: 'ERROR' }),
    log('12:19:30', 'CUDA out of memory', { task: T2, level: 'ERROR' }),
    heartbeatLine('12:21:00'),
    heartbeatLine('12:21:30'),
  ];
  return { tasks, logs };
}

describe('timeline events', () => {
  const killed = worker({
    id: W,
    status: 'terminated',
    created: '12:00:00',
    heartbeat: '12:40:05',
    metadata: { startup_phase: 'ready', error_code: 'GPU_READY_NOT_CLAIMING', error_reason: 'idle for 20 minutes', error_time: '2025-10-17T12:40:00Z' },
  });
  const { tasks, logs } = fullLife();
  const all = [...logs, orchestrator('12:40:00', `Marking worker ${W} as error: idle for 20 minutes`)];
  const r = timeline(killed, tasks, all);

  it('lists every kind from the three tables in the order of the life, undated metadata last', () => {
    expect(kinds(r.events)).toEqual([
      'created',
      'startup',
      'startup',
      'ready',
      'first_heartbeat',
      'heartbeat_line',
      'task_claimed',
      'model_switch',
      'heartbeat_line',
      'model_loaded',
      'warning_line',
      'task_completed',
      'task_claimed',
      'model_switch',
      'error_line',
      'task_failed',
      'heartbeat_line',
      'last_own_line',
      'orchestrator_mark',
      'orchestrator_verdict',
      'last_heartbeat',
      'final_status',
    ]);
    expect(r.events.at(-1)).toMatchObject({ at: null, kind: 'final_status', detail: 'terminated', source: 'workers' });
  });

  it('says where each came from and what it read', () => {
    expect(r.events[0]).toEqual({ at: at('12:00:00'), kind: 'created', detail: 'runpod', count: 1, source: 'workers' });
    expect(only(r.events, 'ready')).toEqual([
      { at: at('12:00:30'), kind: 'ready', detail: `Worker ${W} ready (startup_phase=ready)`, count: 1, source: 'system_logs:worker', via: 'ready_line' },
    ]);
    expect(only(r.events, 'task_claimed').map((e) => [e.at, e.detail, e.source, e.task_id, e.task_status])).toEqual([
      [at('12:05:00'), `travel_segment ${T1}`, 'system_logs:worker', T1, 'Complete'],
      [at('12:11:00'), `join_clips ${T2}`, 'system_logs:worker', T2, 'Failed'],
    ]);
    expect(only(r.events, 'task_completed')).toEqual([
      { at: at('12:09:00'), kind: 'task_completed', detail: `travel_segment ${T1}`, count: 1, source: 'tasks', task_id: T1, task_status: 'Complete' },
    ]);
    // A failure carries its error message.
    expect(only(r.events, 'task_failed')[0]).toMatchObject({ at: at('12:20:00'), detail: `join_clips ${T2}: CUDA out of memory. Tried to allocate 2.50 GiB` });
    expect(only(r.events, 'model_loaded')[0]).toMatchObject({ model: 'b', source: 'system_logs:worker' });
    expect(only(r.events, 'last_own_line')[0]).toMatchObject({ at: at('12:21:30'), source: 'system_logs:worker' });
    expect(only(r.events, 'orchestrator_mark')[0]).toMatchObject({ at: at('12:40:00'), source: 'system_logs:orchestrator_gpu' });
    expect(only(r.events, 'orchestrator_verdict')[0]).toEqual({
      at: at('12:40:00'),
      kind: 'orchestrator_verdict',
      detail: 'GPU_READY_NOT_CLAIMING: idle for 20 minutes',
      count: 1,
      source: 'workers',
    });
    expect(only(r.events, 'last_heartbeat')[0]).toMatchObject({ at: at('12:40:05'), detail: 'dead', source: 'workers' });
    expect(r.startup_phase).toBe('ready');
    expect(r.first_heartbeat_known).toBe(true);
  });

  it('collapses runs: heartbeat lines until another event, switches to the same model across heartbeat lines, identical errors', () => {
    expect(only(r.events, 'first_heartbeat')).toHaveLength(1);
    expect(only(r.events, 'heartbeat_line').map((e) => [e.at, e.count, e.until])).toEqual([
      [at('12:01:30'), 2, at('12:02:00')],
      [at('12:05:30'), 1, undefined],
      [at('12:21:00'), 2, at('12:21:30')],
    ]);
    expect(only(r.events, 'model_switch').map((e) => [e.at, e.model, e.count, e.until])).toEqual([
      [at('12:05:10'), 'b', 2, at('12:05:40')],
      [at('12:12:00'), 'c', 1, undefined],
    ]);
    expect(only(r.events, 'error_line')).toEqual([
      { at: at('12:19:00'), kind: 'error_line', detail: 'CUDA out of memory', count: 2, source: 'system_logs:worker', until: at('12:19:30') },
    ]);
    // An entry without a run has no `until` key at all (the JSON contract: until?).
    expect(Object.keys(only(r.events, 'warning_line')[0]!)).not.toContain('until');
  });

  it('the same switch after another event is a new run', () => {
    const logs = [log('12:05:00', '🔄 MODEL SWITCH: a -> b'), log('12:06:00', 'oops', { level: 'ERROR' }), log('12:07:00', '🔄 MODEL SWITCH: c -> b')];
    expect(only(timeline(worker(), [], logs).events, 'model_switch').map((e) => e.count)).toEqual([1, 1]);
  });

  it('does not depend on the order rows arrive in', () => {
    expect(timeline(killed, [...tasks].reverse(), [...all].reverse())).toEqual(r);
  });

  it('a shutdown line, and the markers file decides what a line is', () => {
    const logs = [log('12:00:01', `🚀 Worker ${W} starting`), log('12:30:00', 'Bye: draining queue')];
    expect(kinds(timeline(worker(), [], logs).events)).not.toContain('shutdown');
    const vocabulary = compileVocabulary({ shutdown: [String.raw`^Bye:`] });
    expect(only(timeline(worker(), [], logs, vocabulary).events, 'shutdown')).toEqual([
      { at: at('12:30:00'), kind: 'shutdown', detail: 'Bye: draining queue', count: 1, source: 'system_logs:worker' },
    ]);
  });
});

describe('ended_by and the idle time before the end', () => {
  it('orchestrator_kill: marked as error while the heartbeat was alive; idle from the last finished task to the kill', () => {
    const { tasks, logs } = fullLife();
    const w = worker({ status: 'terminated', heartbeat: '12:40:05', metadata: { error_code: 'GPU_READY_NOT_CLAIMING', error_time: '2025-10-17T12:40:00Z' } });
    const r = timeline(w, tasks, [...logs, orchestrator('12:40:00', `Marking worker ${W} as error: idle`)]);
    expect(r).toMatchObject({ ended_by: 'orchestrator_kill', end_basis: 'killed_while_alive', end_at: at('12:40:00') });
    // The last task finished (failed) at 12:20:00, twenty minutes before the kill.
    expect(r).toMatchObject({ last_finished_at: at('12:20:00'), last_finished_task_id: T2, idle_before_end_s: 1200, idle_unknown: null });
  });

  it('crash: the heartbeat stopped and the orchestrator marked it only afterwards (the aftermath)', () => {
    const { tasks, logs } = fullLife();
    const w = worker({ status: 'error', heartbeat: '12:30:00', metadata: { error_code: 'STALE_HEARTBEAT_TASKS_QUEUED' } });
    const markAt = after('12:30:00', THRESHOLDS.orchestratorStaleHeartbeatS + 30);
    const r = timeline(w, tasks, [...logs, orchestrator(markAt, `Marking worker ${W} as error: heartbeat stale`)]);
    expect(r).toMatchObject({ ended_by: 'crash', end_basis: 'killed_after_death', end_at: at('12:30:00'), idle_before_end_s: 600 });
  });

  it('crash: a worker that reported crashed while holding a task was busy, not idle', () => {
    const tasks = [
      task({ id: T1, status: 'Complete', started: '12:05:00', processed: '12:09:00' }),
      task({ id: T2, status: 'In Progress', started: '12:15:00' }),
    ];
    const r = timeline(worker({ status: 'crashed', heartbeat: '12:16:00' }), tasks, [log('12:15:50', 'Segmentation fault', { level: 'CRITICAL', task: T2 })]);
    expect(r).toMatchObject({ ended_by: 'crash', end_basis: 'status_crashed', end_at: at('12:16:00'), idle_before_end_s: null, idle_unknown: 'busy_at_end' });
    expect(r.last_finished_at).toBe(at('12:09:00'));
    // Without a claim line, the claim is the task row's generation_started_at.
    expect(only(r.events, 'task_claimed').map((e) => [e.at, e.source])).toEqual([
      [at('12:05:00'), 'tasks'],
      [at('12:15:00'), 'tasks'],
    ]);
    // No ready line: ready is the first claim.
    expect(only(r.events, 'ready')).toEqual([{ at: at('12:05:00'), kind: 'ready', detail: `travel_segment ${T1}`, count: 1, source: 'tasks', via: 'first_claim' }]);
  });

  it('a task requeued after the crash and finished by another worker: released, with where it went', () => {
    const requeued = task({ id: T3, status: 'Complete', worker: OTHER, started: '12:20:00', processed: '12:25:00', error: 'Requeued: worker crashed (attempt 1)' });
    const logs = [
      log('12:10:00', `[CLAIM] Claimed task ${T3}`, { task: T3 }),
      log('12:12:00', 'Segmentation fault (core dumped)', { level: 'CRITICAL', task: T3 }),
      heartbeatLine('12:12:20'),
    ];
    const r = timeline(worker({ status: 'crashed', heartbeat: '12:12:30' }), [requeued], logs);
    expect(only(r.events, 'task_released')).toEqual([
      {
        at: at('12:12:00'),
        kind: 'task_released',
        detail: `travel_segment ${T3}: Requeued: worker crashed (attempt 1)`,
        count: 1,
        source: 'tasks',
        task_id: T3,
        task_status: 'Complete',
        task_worker_id: OTHER,
      },
    ]);
    // Its last line of substance was on that task: it ended on it (heartbeat lines after it do not count).
    expect(r).toMatchObject({ ended_by: 'crash', idle_unknown: 'busy_at_end', last_finished_at: null });
  });

  it('a task it gave back and then went on: its work on it ended at its last line for it', () => {
    const back = task({ id: T3, status: 'Queued', worker: null, started: null, error: 'RuntimeError: CUDA error' });
    const logs = [
      log('12:10:00', `[CLAIM] Claimed task ${T3}`, { task: T3 }),
      log('12:12:00', `❌ Task ${T3} failed (attempt 1/3)`, { level: 'ERROR', task: T3 }),
      log('12:13:00', 'polling for tasks'),
    ];
    const r = timeline(worker({ status: 'error', heartbeat: '12:15:00' }), [back], logs);
    expect(only(r.events, 'task_released')[0]).toMatchObject({ at: at('12:12:00'), task_status: 'Queued', task_worker_id: null });
    expect(r).toMatchObject({ ended_by: 'crash', end_basis: 'status_error', last_finished_at: at('12:12:00'), idle_before_end_s: 180 });
  });

  it('clean_shutdown: a shutdown line; the end is that line', () => {
    const tasks = [task({ id: T1, status: 'Complete', started: '12:05:00', processed: '12:09:00' })];
    const w = worker({ status: 'terminated', heartbeat: '12:20:10', metadata: { self_terminated: true, termination_reason: 'idle_timeout' } });
    const r = timeline(w, tasks, [log('12:20:00', '🛑 No task for 660s: shutting down (self-terminating pod)')]);
    expect(r).toMatchObject({ ended_by: 'clean_shutdown', end_basis: 'shutdown_line', end_at: at('12:20:00'), idle_before_end_s: 660 });
    expect(only(r.events, 'shutdown')).toHaveLength(1);
    expect(only(r.events, 'final_status')[0]).toMatchObject({ at: null, detail: 'terminated: self_terminated: idle_timeout' });
  });

  it('clean_shutdown on metadata alone ends at the last DB heartbeat', () => {
    const tasks = [task({ id: T1, status: 'Complete', started: '12:05:00', processed: '12:09:00' })];
    const r = timeline(worker({ status: 'terminated', heartbeat: '12:19:00', metadata: { termination_reason: 'scale_down' } }), tasks, []);
    expect(r).toMatchObject({ ended_by: 'clean_shutdown', end_basis: 'termination_reason', end_at: at('12:19:00'), idle_before_end_s: 600 });
  });

  it('still_running: no end, no idle time yet; the first heartbeat unknown without heartbeat lines', () => {
    const tasks = [task({ id: T1, status: 'Complete', started: '13:05:00', processed: '13:09:00' })];
    const r = timeline(worker({ heartbeat: '13:59:50' }), tasks, [log('13:05:00', 'working', { task: T1 })]);
    expect(r).toMatchObject({ ended_by: 'still_running', end_basis: 'heartbeat_fresh', end_at: null, idle_before_end_s: null, idle_unknown: 'still_running' });
    expect(r.first_heartbeat_known).toBe(false);
    expect(kinds(r.events)).not.toContain('first_heartbeat');
    expect(r.coverage).toMatchObject({ heartbeat: 0, task_claim: 0, ready: 0 });
  });

  it('no task finished, and no end known for a worker that never beat', () => {
    const dead = timeline(worker({ status: 'error', created: '12:00:00', heartbeat: '12:00:20' }), [], [log('12:00:05', `🚀 Worker ${W} starting`)]);
    expect(dead).toMatchObject({ ended_by: 'crash', end_basis: 'status_error', idle_before_end_s: null, idle_unknown: 'no_task_finished', pattern: 'init_failure' });
    const never = timeline(worker({ status: 'error', heartbeat: null }), [], []);
    expect(never).toMatchObject({ ended_by: 'crash', end_at: null, idle_unknown: 'end_unknown', pattern: 'not_started' });
    expect(kinds(never.events)).toEqual(['created', 'final_status']);
  });

  it('a quiet end (terminated, nothing recorded, nothing left) is a clean shutdown', () => {
    const r = timeline(worker({ status: 'terminated', heartbeat: '12:30:00' }), [], []);
    expect(r).toMatchObject({ ended_by: 'clean_shutdown', end_basis: 'quiet_end', end_at: at('12:30:00') });
  });
});

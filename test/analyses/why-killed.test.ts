/**
 * Issue 11, why-killed (src/analyses/why-killed.ts) on hand-built rows: the kill found from the
 * orchestrator's line or its metadata, the age its reason claims, the age observed (idle: last
 * claim, task end or own line; heartbeat: last DB heartbeat or own line), the upstream rule
 * (suspicious when claimed > 1.5 × observed, the factor read from THRESHOLDS), and every undecided case.
 */
import { describe, expect, it } from 'vitest';
import { readClaimedAge } from '../../src/analyses/why-killed.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { at, log, task, worker } from '../support/rows.js';
import { AS_OF, W1, W2, idleKill, killOf, staleKill } from '../support/journeys.js';

describe('readClaimedAge', () => {
  it('reads idle times and heartbeat ages in any unit', () => {
    expect(readClaimedAge('GPU ready but not claiming tasks: idle for 20 minutes')).toEqual({ kind: 'idle', seconds: 1200 });
    expect(readClaimedAge('worker idle 90s')).toEqual({ kind: 'idle', seconds: 90 });
    expect(readClaimedAge('No heartbeat for 634s while tasks are queued')).toEqual({ kind: 'stale_heartbeat', seconds: 634 });
    expect(readClaimedAge('heartbeat stale for 1.5 h [STALE_HEARTBEAT_ACTIVE_TASK]')).toEqual({ kind: 'stale_heartbeat', seconds: 5400 });
    expect(readClaimedAge('stale heartbeat: 12 min')).toEqual({ kind: 'stale_heartbeat', seconds: 720 });
  });

  it('a reason without an age claims none', () => {
    expect(readClaimedAge('STARTUP_NEVER_READY - worker never became ready')).toBeNull();
    expect(readClaimedAge('GPU not detected')).toBeNull();
    expect(readClaimedAge(null)).toBeNull();
  });
});

describe('whyKilled', () => {
  it("the issue's example: killed for idle 20 min three minutes after finishing a task is suspicious", () => {
    const r = killOf(idleKill());
    expect(r).toMatchObject({
      worker_id: W1,
      killed_at: at('13:00:00'),
      kill_source: 'orchestrator_line',
      error_code: 'GPU_READY_NOT_CLAIMING',
      reason: 'GPU ready but not claiming tasks: idle for 20 minutes',
      claim_kind: 'idle',
      claimed_idle_s: 1200,
      observed_idle_s: 180,
      observed_from: 'last_task_end',
      suspicious: true,
      undecided: null,
      factor: THRESHOLDS.whyKilledSuspiciousFactor,
    });
    expect(r.ratio).toBeCloseTo(1200 / 180, 9);
    // The heartbeat line at 12:59 is no work: the idle time runs from the task's end.
    expect(r.observed).toEqual({ since_db_heartbeat_s: -5, since_last_own_line_s: 180, since_last_claim_s: 200, since_last_task_end_s: 180, task_in_progress: false });
    expect(r.evidence.map((e) => [e.kind, e.before_kill_s])).toEqual([
      ['last_claim', 200],
      ['last_task_end', 180],
      ['last_own_line', 180],
      ['kill_line', 0],
      ['kill_metadata', 0],
      ['db_heartbeat', -5],
    ]);
  });

  it('an honest idle kill is not suspicious, and the rule is strict: exactly the factor is not over it', () => {
    expect(killOf(idleKill('12:41:00'))).toMatchObject({ observed_idle_s: 1140, suspicious: false });
    // Claimed 20 min against observed 800 s: 1200 = 1.5 × 800, not over it.
    const edge = 1200 / THRESHOLDS.whyKilledSuspiciousFactor;
    const finished = new Date(at('13:00:00') / 1000 - edge * 1000).toISOString();
    expect(killOf(idleKill(finished))).toMatchObject({ observed_idle_s: edge, suspicious: false });
    const justUnder = new Date(at('13:00:00') / 1000 - (edge - 1) * 1000).toISOString();
    expect(killOf(idleKill(justUnder))).toMatchObject({ observed_idle_s: edge - 1, suspicious: true });
  });

  it('an idle kill of a worker holding a task In Progress: observed 0, suspicious', () => {
    const c = idleKill();
    const held = task({ id: '7a5c0000-2222-4000-8000-000000000009', worker: W1, status: 'In Progress', created: '12:58:00', started: '12:58:30' });
    const r = killOf({ ...c, tasks: [...c.tasks, held] });
    expect(r).toMatchObject({ observed_idle_s: 0, observed_from: 'task_in_progress', suspicious: true, ratio: null });
    expect(r.observed.task_in_progress).toBe(true);
    expect(r.evidence.map((e) => e.kind)).toContain('task_in_progress');
  });

  it('a stale-heartbeat kill 620 s after the last DB heartbeat is consistent', () => {
    const r = killOf(staleKill());
    expect(r).toMatchObject({
      killed_at: at('13:10:20'),
      error_code: 'STALE_HEARTBEAT_TASKS_QUEUED',
      claim_kind: 'stale_heartbeat',
      claimed_idle_s: 620,
      observed_idle_s: 620,
      observed_from: 'db_heartbeat',
      suspicious: false,
    });
  });

  it('a stale-heartbeat kill while the heartbeat went on is suspicious; a later own line shortens the age', () => {
    expect(killOf(staleKill('13:10:30'))).toMatchObject({ observed_idle_s: 0, observed_from: 'heartbeat_after_kill', suspicious: true });
    const c = staleKill('13:00:00', 620);
    const r = killOf({ ...c, logs: [...c.logs, log('13:05:00', 'still loading weights', { worker: W2 })] });
    expect(r).toMatchObject({ observed_idle_s: 320, observed_from: 'last_own_line', suspicious: true });
  });

  it('the kill from metadata alone, with the line gone (retention)', () => {
    const c = idleKill();
    const r = killOf({ ...c, logs: c.logs.filter((l) => l.source_type === 'worker') });
    expect(r).toMatchObject({ killed_at: at('13:00:00'), kill_source: 'metadata', claimed_idle_s: 1200, observed_idle_s: 180, suspicious: true });
    expect(r.evidence.map((e) => e.kind)).not.toContain('kill_line');
  });

  it('the kill from the line alone: reason and code read from it', () => {
    const c = idleKill();
    const r = killOf({ ...c, row: worker({ id: W1, status: 'terminated', created: '11:00:00', heartbeat: '13:00:05', metadata: {} }) });
    expect(r).toMatchObject({ kill_source: 'orchestrator_line', error_code: 'GPU_READY_NOT_CLAIMING', claimed_idle_s: 1200, suspicious: true });
    expect(r.reason).toContain('idle for 20 minutes');
  });

  it('undecided, never a silent false: no kill, no time, no age claimed', () => {
    const healthy = killOf({ row: worker({ id: W1 }), tasks: [], logs: [log('13:00:00', 'Generation complete in 3.0s', { worker: W1 })] });
    expect(healthy).toMatchObject({ killed_at: null, kill_source: null, suspicious: null, undecided: 'no_kill', observed_idle_s: null, claimed_idle_s: null, evidence: [] });

    const untimed = killOf({ row: worker({ id: W1, status: 'error', metadata: { error_reason: 'idle for 20 minutes' } }), tasks: [], logs: [] });
    expect(untimed).toMatchObject({ killed_at: null, kill_source: 'metadata', claimed_idle_s: 1200, suspicious: null, undecided: 'no_kill_time' });

    const noAge = killOf({
      row: worker({ id: W1, status: 'terminated', created: '12:00:00', heartbeat: '12:15:00', metadata: { error_code: 'STARTUP_NEVER_READY', error_reason: 'worker never became ready', error_time: '2025-10-17T12:20:00Z' } }),
      tasks: [],
      logs: [log('12:00:30', `🚀 Worker ${W1} starting`, { worker: W1 })],
    });
    expect(noAge).toMatchObject({ killed_at: at('12:20:00'), claimed_idle_s: null, suspicious: null, undecided: 'no_claimed_age', observed_idle_s: 1170, observed_from: 'last_own_line' });
  });

  it('does not depend on the order the lines and tasks arrive in', () => {
    const c = idleKill();
    const held = task({ id: '7a5c0000-2222-4000-8000-000000000009', worker: W1, status: 'In Progress', created: '12:58:00', started: '12:58:30' });
    const twin = task({ id: '7a5c0000-2222-4000-8000-000000000008', worker: W1, status: 'In Progress', created: '12:58:00', started: '12:58:30' });
    const forward = killOf({ ...c, tasks: [...c.tasks, held, twin] });
    expect(killOf({ row: c.row, tasks: [twin, held, ...c.tasks], logs: [...c.logs].reverse() })).toEqual(forward);
    expect(forward.evidence.filter((e) => e.kind === 'task_in_progress').map((e) => e.text)).toEqual([`travel_segment ${twin.id}`, `travel_segment ${held.id}`]);
  });

  it('nothing after as-of is read', () => {
    const c = idleKill();
    const r = killOf({ ...c, logs: [...c.logs, log('14:00:01', `Marking worker ${W1} as error: idle for 1 minute`, { worker: W1, source: 'orchestrator_gpu' })] });
    expect(r.killed_at).toBe(at('13:00:00'));
    expect(AS_OF).toBe(at('14:00:00'));
  });
});

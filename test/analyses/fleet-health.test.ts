/**
 * Issue 11 `health`: finished = tasks that reached Complete or Failed in the window by updated_at;
 * verdict OK, WARNING over 50 % failed, BLOCKED over 80 % with at least 5 finished, IDLE with none
 * (THRESHOLDS.health…); dead workers, stalled workers and orphaned tasks listed beside it.
 */
import { describe, expect, it } from 'vitest';
import { deadWorkers, fleetHealth, healthVerdict } from '../../src/analyses/fleet-health.js';
import { stalledWorkers } from '../../src/analyses/crash-patterns.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import { orphanedTasks } from '../../src/analyses/orphaned-tasks.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import type { Task } from '../../src/rows/schemas.js';
import { hoursWindow } from '../../src/rows/window.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, heartbeatsEvery, log, task, worker, type TaskSpec } from '../support/rows.js';

const AS_OF = at('14:00:00');
const WINDOW = hoursWindow(AS_OF, 0.5); // 13:30:00 – 14:00:00

/** A task whose last change (its finish, for Complete and Failed) is `updated`. */
function finished(status: 'Complete' | 'Failed' | 'Cancelled' | 'In Progress' | 'Queued', updated: string | null, spec: TaskSpec = {}): Task {
  return { ...task({ status, created: '13:00:00', ...spec }), updated_at: updated === null ? null : at(updated) };
}

/** `complete` tasks and `failed` tasks finished at 13:45. */
function mix(complete: number, failed: number): Task[] {
  return [...Array.from({ length: complete }, () => finished('Complete', '13:45:00')), ...Array.from({ length: failed }, () => finished('Failed', '13:45:00', { error: 'boom' }))];
}

describe('health: finished tasks in the window', () => {
  it('counts Complete and Failed by updated_at, bounds inclusive; not Cancelled, Queued, In Progress, nor a NULL updated_at', () => {
    const tasks = [
      finished('Complete', '13:30:00'), // the window's first instant
      finished('Complete', '14:00:00'), // its last
      finished('Failed', '13:45:00', { error: 'boom' }),
      finished('Complete', after('13:29:59', 0.999999)), // a microsecond before
      finished('Failed', '13:29:00', { error: 'boom' }),
      finished('Cancelled', '13:50:00'),
      finished('In Progress', '13:50:00'),
      finished('Queued', '13:50:00'),
      finished('Complete', null),
      // Created long before the window, finished in it: counted (finish time, not creation).
      finished('Complete', '13:59:00', { created: '09:00:00' }),
    ];
    const h = fleetHealth(tasks, [], WINDOW, AS_OF);
    expect([h.finished, h.complete, h.failed]).toEqual([4, 3, 1]);
    expect(h.failure_rate).toBe(0.25);
    expect(h.window_minutes).toBe(30);
    expect([h.from, h.to]).toEqual([at('13:30:00'), AS_OF]);
  });
});

describe('health: the verdict', () => {
  it.each([
    ['IDLE: none finished', 0, 0, 'IDLE'],
    ['OK: no failure', 5, 0, 'OK'],
    ['OK: exactly 50 % is not over it', 2, 2, 'OK'],
    ['WARNING: just over 50 %', 4, 5, 'WARNING'],
    ['WARNING: 2 of 3 (the demo outage)', 1, 2, 'WARNING'],
    ['WARNING: exactly 80 % is not over it', 1, 4, 'WARNING'],
    ['BLOCKED: 5 of 6, over 80 % with 6 finished', 1, 5, 'BLOCKED'],
    ['BLOCKED: all 5 failed (the minimum finished)', 0, 5, 'BLOCKED'],
    ['WARNING, not BLOCKED: all 4 failed, under the minimum finished', 0, 4, 'WARNING'],
    ['WARNING: one task, failed', 0, 1, 'WARNING'],
  ] as const)('%s', (_name, complete, failed, verdict) => {
    expect(healthVerdict(complete + failed, failed)).toBe(verdict);
    const h = fleetHealth(mix(complete, failed), [], WINDOW, AS_OF);
    expect(h.verdict).toBe(verdict);
    expect(h.failure_rate).toBe(complete + failed === 0 ? null : failed / (complete + failed));
  });

  it('reads its thresholds from the config module', () => {
    expect(THRESHOLDS.healthWarningFailureRate).toBe(0.5);
    expect(THRESHOLDS.healthBlockedFailureRate).toBe(0.8);
    expect(THRESHOLDS.healthBlockedMinFinished).toBe(5);
    expect(THRESHOLDS.healthWindowS).toBe(30 * 60);
  });

  it('a failure period before the window does not count: OK on what finished in it', () => {
    const before = Array.from({ length: 10 }, () => finished('Failed', '13:10:00', { error: 'boom' }));
    const h = fleetHealth([...before, ...mix(3, 0)], [], WINDOW, AS_OF);
    expect([h.finished, h.failed, h.verdict]).toEqual([3, 0, 'OK']);
  });
});

describe('health: dead workers', () => {
  it('dead now and died in the window, or dead with a status still live; alive, aging, never-beat and long-reaped workers left out', () => {
    const workers = [
      worker({ id: id(1), heartbeat: '13:59:50' }), // alive
      worker({ id: id(2), heartbeat: '13:56:00' }), // aging (4 min)
      worker({ id: id(3), heartbeat: '13:50:00' }), // dead 10 min, active: both
      worker({ id: id(4), heartbeat: '13:40:00', status: 'error' }), // died in the window, reaped
      worker({ id: id(5), heartbeat: '10:00:00', status: 'terminated' }), // long gone
      worker({ id: id(6), heartbeat: '11:00:00', status: 'active' }), // dead long ago, still "active"
      worker({ id: id(7), heartbeat: null }), // never beat
      worker({ id: id(8), heartbeat: '13:55:00' }), // exactly 5 min: dead (the §1 band: under 5 min is aging)
    ];
    const dead = deadWorkers(workers, WINDOW, AS_OF);
    expect(dead.map((d) => [d.id, d.died_in_window, d.status_live])).toEqual([
      [id(8), true, true],
      [id(3), true, true],
      [id(4), true, false],
      [id(6), false, true],
    ]);
    expect(dead[1]).toEqual({ id: id(3), status: 'active', last_heartbeat: at('13:50:00'), heartbeat_age_s: 600, died_in_window: true, status_live: true });
  });

  it('do not change the verdict', () => {
    const h = fleetHealth(mix(3, 0), [worker({ id: id(3), heartbeat: '13:40:00' })], WINDOW, AS_OF);
    expect(h.dead_workers).toHaveLength(1);
    expect(h.verdict).toBe('OK');
  });
});

describe('health: stalled workers and orphaned tasks, from their analyses', () => {
  it('a stalled worker and its task, an orphan of a dead worker, listed whole; the verdict still reads finished tasks only', () => {
    const zombie = worker({ id: id(1), heartbeat: '13:59:50' });
    const dead = worker({ id: id(2), heartbeat: '13:40:00' });
    const held = finished('In Progress', null, { id: 'task-held', worker: id(1), started: '13:30:00' });
    const lost = finished('In Progress', null, { id: 'task-lost', worker: id(2), started: '13:35:00' });
    const lines = [log('13:30:00', '[CLAIM] Claimed task task-held', { worker: id(1) }), ...heartbeatsEvery('13:30:30', '13:59:30', 30, { worker: id(1) })];
    const signals = computeSignalsForWorker(id(1), lines, AS_OF, BUILT_IN_VOCABULARY);
    const stalled = stalledWorkers([{ worker: zombie, tasks: [held], signals }], AS_OF, BUILT_IN_VOCABULARY);
    const orphans = orphanedTasks([held, lost], [zombie, dead], AS_OF, new Set(stalled.map((s) => s.worker_id)));
    const h = fleetHealth([...mix(0, 0), held, lost], [zombie, dead], WINDOW, AS_OF, stalled, orphans.tasks);
    expect(h.stalled_workers).toEqual([{ worker_id: id(1), pattern: 'stalled', confidence: 'strong', silence_s: 1800, task_ids: ['task-held'] }]);
    expect(h.orphaned_tasks.map((t) => [t.id, t.reason])).toEqual([
      ['task-held', 'worker_stalled'],
      ['task-lost', 'heartbeat_stale'],
    ]);
    expect(h.dead_workers.map((d) => d.id)).toEqual([id(2)]);
    expect(h.verdict).toBe('IDLE');
  });

  it('the whole record of an empty fleet', () => {
    expect(fleetHealth([], [], WINDOW, AS_OF)).toEqual({
      window_minutes: 30,
      from: at('13:30:00'),
      to: AS_OF,
      finished: 0,
      complete: 0,
      failed: 0,
      failure_rate: null,
      verdict: 'IDLE',
      dead_workers: [],
      stalled_workers: [],
      orphaned_tasks: [],
    });
  });
});

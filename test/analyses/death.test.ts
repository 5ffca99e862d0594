/**
 * Whether a worker is dead and when it died (§4B, §5, §12, §16 and the schema page): error/crashed
 * statuses are deaths whatever the heartbeat; terminating/terminated is a death only with a recorded
 * failure or a task left In Progress; any other status is dead from 5 min of heartbeat age. The time
 * of death is the last DB heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { crashAfterSwitchS, deathOf, isModelLoadCrash } from '../../src/analyses/death.js';
import { evidenceOf } from '../../src/rows/signals.js';
import type { Worker } from '../../src/rows/schemas.js';
import { after, at, log, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('deathOf', () => {
  it.each(['error', 'crashed'])('status %s is a death even with a fresh heartbeat, dated by that heartbeat', (status) => {
    expect(deathOf(worker({ status, heartbeat: '13:59:50' }), [], AS_OF)).toEqual({
      dead: true,
      reason: 'status_error',
      died_at: at('13:59:50'),
      heartbeat_state: 'alive',
      heartbeat_age_s: 10,
      terminated_cleanly: false,
    });
  });

  it('an error status without any heartbeat is a death with no instant', () => {
    expect(deathOf(worker({ status: 'error', heartbeat: null }), [], AS_OF)).toMatchObject({ dead: true, reason: 'status_error', died_at: null, heartbeat_state: 'never' });
  });

  it.each(['terminating', 'terminated'])('%s with no sign of failure ended cleanly (NULL metadata included)', (status) => {
    for (const metadata of [null, {}, { ram_tier: 24 }]) {
      const d = deathOf(worker({ status, heartbeat: '10:00:00', metadata }), [task({ status: 'Complete' }), task({ status: 'Failed' })], AS_OF);
      expect(d).toMatchObject({ dead: false, reason: null, died_at: null, terminated_cleanly: true, heartbeat_state: 'dead' });
    }
  });

  it('terminated after a failure the orchestrator recorded (error_code or error_reason) is a death', () => {
    for (const metadata of [{ error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' }, { error_reason: 'heartbeat stale for 605s' }]) {
      expect(deathOf(worker({ status: 'terminated', heartbeat: '10:00:00', metadata }), [], AS_OF)).toMatchObject({
        dead: true,
        reason: 'terminated_after_failure',
        died_at: at('10:00:00'),
        terminated_cleanly: false,
      });
    }
  });

  it('terminated with a task left In Progress is a death (§16); an empty error_code is no record', () => {
    const w = worker({ status: 'terminated', heartbeat: '10:00:00', metadata: { error_code: '' } });
    expect(deathOf(w, [], AS_OF).dead).toBe(false);
    expect(deathOf(w, [task({ status: 'In Progress' })], AS_OF)).toMatchObject({ dead: true, reason: 'terminated_after_failure' });
  });

  it('a live status is dead from 5 min of heartbeat age, not a microsecond before', () => {
    expect(deathOf(worker({ status: 'active', heartbeat: '13:55:00' }), [], AS_OF)).toMatchObject({ dead: true, reason: 'heartbeat_stale', died_at: at('13:55:00'), heartbeat_age_s: 300 });
    expect(deathOf(worker({ status: 'active', heartbeat: after('13:55:00', 0.000001) }), [], AS_OF)).toMatchObject({ dead: false, reason: null, died_at: null, heartbeat_state: 'aging' });
    // Whatever the live status: spawning, inactive, external.
    for (const status of ['spawning', 'inactive', 'external']) expect(deathOf(worker({ status, heartbeat: '12:00:00' }), [], AS_OF).reason).toBe('heartbeat_stale');
  });

  it('a live status that never sent a heartbeat is not (yet) dead', () => {
    expect(deathOf(worker({ status: 'active', heartbeat: null }), [], AS_OF)).toEqual({
      dead: false,
      reason: null,
      died_at: null,
      heartbeat_state: 'never',
      heartbeat_age_s: null,
      terminated_cleanly: false,
    });
  });
});

describe('crashAfterSwitchS', () => {
  const switchAt = (time: string) => evidenceOf(log(time, '🔄 MODEL SWITCH: a -> b'));
  const c = (w: Worker, switchTime: string | null, tasks = [task({ status: 'In Progress' })]) => ({
    worker: w,
    tasks,
    signals: { last_model_switch: switchTime === null ? null : switchAt(switchTime), memory_profile_line: null },
  });

  it('switch to the last DB heartbeat of a dead worker', () => {
    expect(crashAfterSwitchS(c(worker({ heartbeat: '13:03:10' }), '13:00:00'), AS_OF)).toBe(190);
    expect(crashAfterSwitchS(c(worker({ heartbeat: after('13:00:00', 90.000001) }), '13:00:00'), AS_OF)).toBe(90.000001);
  });

  it('the same whatever the as-of, once the worker is dead', () => {
    const dead = c(worker({ heartbeat: '13:04:00' }), '13:00:00');
    expect(crashAfterSwitchS(dead, at('13:09:00'))).toBe(240);
    expect(crashAfterSwitchS(dead, at('23:00:00'))).toBe(240);
    // At 13:08:59 the heartbeat is 4:59 old: not dead yet, nothing to time.
    expect(crashAfterSwitchS(dead, at('13:08:59'))).toBeNull();
  });

  it('null without a switch, without a heartbeat, or while alive', () => {
    expect(crashAfterSwitchS(c(worker({ heartbeat: '13:03:00' }), null), AS_OF)).toBeNull();
    expect(crashAfterSwitchS(c(worker({ status: 'error', heartbeat: null }), '13:00:00'), AS_OF)).toBeNull();
    expect(crashAfterSwitchS(c(worker({ heartbeat: '13:59:50' }), '13:00:00'), AS_OF)).toBeNull();
    expect(crashAfterSwitchS(c(worker({ status: 'terminated', heartbeat: '13:03:00' }), '13:00:00', []), AS_OF)).toBeNull();
  });

  it('negative when the last DB heartbeat came before the logged switch (kept, not clamped)', () => {
    expect(crashAfterSwitchS(c(worker({ heartbeat: '12:59:30' }), '13:00:00'), AS_OF)).toBe(-30);
  });
});

describe('isModelLoadCrash: §12 `time_between < 10` (minutes), from the switch on', () => {
  it.each([
    [null, false],
    [-0.000001, false],
    [0, true],
    [599.999999, true],
    [600, false],
    [3600, false],
  ] as const)('%s s → %s', (s, expected) => {
    expect(isModelLoadCrash(s)).toBe(expected);
  });
});

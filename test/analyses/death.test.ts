/**
 * Whether a worker's life is over and how (§4B, §5, §12, §16 and the schema page): the heartbeat 5 min
 * old, or a status that says so (error, crashed, terminating, terminated), ends it; a status is not
 * proof of how it ended: only a shutdown line, `metadata.self_terminated` or `termination_reason`
 * make the end clean; any other end is a death, timed to the last DB heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { cleanEndOf, crashAfterSwitchS, deathOf, isModelLoadCrash } from '../../src/analyses/death.js';
import { emptySignals, evidenceOf } from '../../src/rows/signals.js';
import type { Worker } from '../../src/rows/schemas.js';
import { after, at, log, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');
const none = null;
const shutdown = { last_shutdown_log: evidenceOf(log('13:30:00', 'Shutting down: drain requested')) };

describe('deathOf', () => {
  it.each(['error', 'crashed'])('status %s ends the life even with a fresh heartbeat, dated by that heartbeat', (status) => {
    expect(deathOf(worker({ status, heartbeat: '13:59:50' }), none, AS_OF)).toEqual({
      dead: true,
      reason: 'status_error',
      died_at: at('13:59:50'),
      heartbeat_state: 'alive',
      heartbeat_age_s: 10,
      clean_end: null,
    });
  });

  it('an error status without any heartbeat is a death with no instant', () => {
    expect(deathOf(worker({ status: 'error', heartbeat: null }), none, AS_OF)).toMatchObject({ dead: true, reason: 'status_error', died_at: null, heartbeat_state: 'never' });
  });

  it.each(['terminating', 'terminated'])('%s is a death unless a clean end is recorded: the orchestrator terminates the workers it killed', (status) => {
    for (const metadata of [null, {}, { ram_tier: 24 }, { error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' }]) {
      expect(deathOf(worker({ status, heartbeat: '10:00:00', metadata }), none, AS_OF)).toMatchObject({
        dead: true,
        reason: 'status_terminated',
        died_at: at('10:00:00'),
        clean_end: null,
      });
    }
  });

  it('a clean end needs evidence: a shutdown line, self_terminated or a termination reason', () => {
    const w = (metadata: Record<string, unknown> | null) => worker({ status: 'terminated', heartbeat: '13:30:05', metadata });
    expect(deathOf(w(null), shutdown, AS_OF)).toMatchObject({
      dead: false,
      reason: 'status_terminated',
      died_at: at('13:30:05'),
      clean_end: { by: 'shutdown_line', at: at('13:30:00'), text: 'Shutting down: drain requested' },
    });
    expect(deathOf(w({ self_terminated: true }), none, AS_OF)).toMatchObject({ dead: false, clean_end: { by: 'self_terminated' } });
    expect(deathOf(w({ termination_reason: 'scale down: queue empty' }), none, AS_OF)).toMatchObject({
      dead: false,
      clean_end: { by: 'termination_reason', text: 'scale down: queue empty' },
    });
    // An empty reason or a false flag is no evidence.
    expect(deathOf(w({ termination_reason: '', self_terminated: false }), none, AS_OF)).toMatchObject({ dead: true, clean_end: null });
    // The line wins over the metadata.
    expect(cleanEndOf(w({ self_terminated: true }), shutdown)?.by).toBe('shutdown_line');
  });

  it('a clean-end record does not make a live worker\'s life over', () => {
    expect(deathOf(worker({ status: 'active', heartbeat: '13:59:00', metadata: { self_terminated: true } }), shutdown, AS_OF)).toMatchObject({
      dead: false,
      reason: null,
      died_at: null,
      clean_end: null,
    });
  });

  it('a live status is dead from 5 min of heartbeat age, not a microsecond before', () => {
    expect(deathOf(worker({ status: 'active', heartbeat: '13:55:00' }), none, AS_OF)).toMatchObject({ dead: true, reason: 'heartbeat_stale', died_at: at('13:55:00'), heartbeat_age_s: 300 });
    expect(deathOf(worker({ status: 'active', heartbeat: after('13:55:00', 0.000001) }), none, AS_OF)).toMatchObject({ dead: false, reason: null, died_at: null, heartbeat_state: 'aging' });
    // Whatever the live status: spawning, inactive, external.
    for (const status of ['spawning', 'inactive', 'external']) expect(deathOf(worker({ status, heartbeat: '12:00:00' }), none, AS_OF).reason).toBe('heartbeat_stale');
  });

  it('a live status that never sent a heartbeat is not (yet) dead', () => {
    expect(deathOf(worker({ status: 'active', heartbeat: null }), emptySignals('w'), AS_OF)).toEqual({
      dead: false,
      reason: null,
      died_at: null,
      heartbeat_state: 'never',
      heartbeat_age_s: null,
      clean_end: null,
    });
  });
});

describe('crashAfterSwitchS', () => {
  const switchAt = (time: string) => evidenceOf(log(time, '🔄 MODEL SWITCH: a -> b'));
  const c = (w: Worker, switchTime: string | null, tasks = [task({ status: 'In Progress' })]) => ({
    worker: w,
    tasks,
    signals: { last_model_switch: switchTime === null ? null : switchAt(switchTime), memory_profile_line: null, ram_before_switch: null, last_shutdown_log: null },
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
    // Ended cleanly (a shutdown line): no crash to time.
    const clean = { ...c(worker({ status: 'terminated', heartbeat: '13:03:00' }), '13:00:00', []), };
    expect(crashAfterSwitchS({ ...clean, signals: { ...clean.signals, ...shutdown } }, AS_OF)).toBeNull();
    // Terminated with nothing recorded: a death (the orchestrator terminates the workers it killed).
    expect(crashAfterSwitchS(c(worker({ status: 'terminated', heartbeat: '13:03:00' }), '13:00:00', []), AS_OF)).toBe(180);
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

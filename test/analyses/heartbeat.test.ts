/**
 * DB heartbeat freshness (§1, §7, §9): alive under 60 s, aging under 5 min, dead from 5 min (the
 * guide's `'✅' if age_sec < 60 else ('⚠️' if age_sec < 300 else '❌')`); never for a NULL heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { heartbeatAgeS, heartbeatOf, heartbeatStateOf } from '../../src/analyses/heartbeat.js';
import { after, at, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('heartbeatAgeS', () => {
  it('seconds from the last DB heartbeat to as-of, exact to the microsecond', () => {
    expect(heartbeatAgeS(worker({ heartbeat: '13:59:00' }), AS_OF)).toBe(60);
    expect(heartbeatAgeS(worker({ heartbeat: after('13:55:00', 0.000001) }), AS_OF)).toBe(299.999999);
    expect(heartbeatAgeS(worker({ heartbeat: '14:00:00' }), AS_OF)).toBe(0);
  });

  it('null when the worker never sent one (NULL last_heartbeat)', () => {
    expect(heartbeatAgeS(worker({ heartbeat: null }), AS_OF)).toBeNull();
  });

  it('reads only last_heartbeat: as-of is the clock, not the creation or the status', () => {
    const terminated = worker({ heartbeat: '13:00:00', status: 'terminated', created: '08:00:00' });
    expect(heartbeatAgeS(terminated, AS_OF)).toBe(3600);
    expect(heartbeatAgeS(terminated, at('13:30:00'))).toBe(1800);
  });
});

describe('heartbeatStateOf', () => {
  it.each([
    [0, 'alive'],
    [59.999999, 'alive'],
    [60, 'aging'],
    [299.999999, 'aging'],
    [300, 'dead'],
    [86_400, 'dead'],
  ] as const)('%s s is %s', (age, state) => {
    expect(heartbeatStateOf(age)).toBe(state);
  });

  it('no heartbeat is never, not dead', () => {
    expect(heartbeatStateOf(null)).toBe('never');
  });
});

describe('heartbeatOf', () => {
  it('age and band together', () => {
    expect(heartbeatOf(worker({ heartbeat: '13:59:01' }), AS_OF)).toEqual({ age_s: 59, state: 'alive' });
    expect(heartbeatOf(worker({ heartbeat: '13:57:00' }), AS_OF)).toEqual({ age_s: 180, state: 'aging' });
    expect(heartbeatOf(worker({ heartbeat: '13:55:00' }), AS_OF)).toEqual({ age_s: 300, state: 'dead' });
    expect(heartbeatOf(worker({ heartbeat: null }), AS_OF)).toEqual({ age_s: null, state: 'never' });
  });
});

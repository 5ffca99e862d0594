/**
 * §16 Two kinds of heartbeat: the DB heartbeat every ~20 s against the occasional logged ones.
 * `logs` are the worker's lines.
 */
import { describe, expect, it } from 'vitest';
import { heartbeatCadence } from '../../src/analyses/heartbeat-cadence.js';
import { after, at, heartbeatLine, heartbeatsEvery, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const AS_OF = at('14:00:00');

describe('§16 heartbeatCadence', () => {
  it('DB heartbeats implied by the lifetime against the logged ones', () => {
    const w = worker({ created: '12:00:00', heartbeat: '13:00:00' });
    const r = heartbeatCadence(w, heartbeatsEvery('12:00:30', '12:58:30', 60), AS_OF, BUILT_IN_VOCABULARY);
    expect(r.expected_db_heartbeats).toBe(180);
    expect(r.logged_heartbeats).toBe(59);
    expect(r.median_logged_interval_s).toBe(60);
    expect(r.db_after_last_logged_s).toBe(90);
  });

  it('the whole record, with the §4A gaps inside', () => {
    const w = worker({ created: '12:00:00', heartbeat: '12:10:00' });
    const logs = [heartbeatLine('12:00:30'), heartbeatLine('12:01:00'), heartbeatLine('12:03:00')];
    const r = heartbeatCadence(w, logs, AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({
      worker_id: w.id,
      db_cadence_s: 20,
      lifetime_s: 600,
      expected_db_heartbeats: 30,
      logged_heartbeats: 3,
      logged_per_db_heartbeat: 0.1,
      median_logged_interval_s: 75,
      db_after_last_logged_s: 420,
    });
    expect(r.gaps.gaps).toEqual([{ at: at('12:03:00'), gap_s: 120 }]);
  });

  it('whole DB beats only, and at least one for a worker that beat at all', () => {
    const expected = (heartbeat: string) => heartbeatCadence(worker({ created: '12:00:00', heartbeat }), [], AS_OF, BUILT_IN_VOCABULARY).expected_db_heartbeats;
    expect(expected('12:00:00')).toBe(1);
    expect(expected(after('12:00:39', 0.999999))).toBe(1);
    expect(expected('12:00:40')).toBe(2);
  });

  it('a worker that never beat (NULL heartbeat) has no lifetime and no ratio', () => {
    const r = heartbeatCadence(worker({ heartbeat: null }), [heartbeatLine('12:00:05')], AS_OF, BUILT_IN_VOCABULARY);
    expect(r).toMatchObject({ lifetime_s: null, expected_db_heartbeats: null, logged_heartbeats: 1, logged_per_db_heartbeat: null, db_after_last_logged_s: null });
  });
});

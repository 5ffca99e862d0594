/**
 * §9 Find workers with stale heartbeats: status `active` and a DB heartbeat strictly older than the
 * threshold (`if age_min > stale_threshold_min`, 5 min); active workers that never sent one apart.
 */
import { describe, expect, it } from 'vitest';
import { staleWorkers } from '../../src/analyses/stale-workers.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('§9 staleWorkers', () => {
  it('active workers with a heartbeat older than the threshold, and active ones that never sent one', () => {
    const r = staleWorkers(
      [
        worker({ id: id(1), heartbeat: '13:55:00' }), // exactly 5 min: not older
        worker({ id: id(2), heartbeat: '13:54:59', created: '13:00:00' }),
        worker({ id: id(3), heartbeat: '13:40:00' }),
        worker({ id: id(4), heartbeat: null, created: '13:50:00' }),
        worker({ id: id(5), heartbeat: '12:00:00', status: 'error' }),
      ],
      AS_OF,
    );
    expect(r.threshold_s).toBe(300);
    expect(r.workers.map((w) => [w.id, w.heartbeat_age_s, w.lifetime_s, w.past_orchestrator_limit])).toEqual([
      [id(3), 1200, 7200, true],
      [id(2), 301, 3600, false],
    ]);
    expect(r.never_heartbeat.map((w) => w.id)).toEqual([id(4)]);
    expect(staleWorkers([worker({ heartbeat: '13:58:00' })], AS_OF, 60).workers).toHaveLength(1);
  });

  it('a microsecond over the threshold is stale; the orchestrator\'s 600 s limit is also strictly over', () => {
    const r = staleWorkers(
      [
        worker({ id: id(1), heartbeat: after('13:54:59', 0.999999) }),
        worker({ id: id(2), heartbeat: '13:50:00' }),
        worker({ id: id(3), heartbeat: after('13:49:59', 0.999999) }),
      ],
      AS_OF,
    );
    expect(r.workers.map((w) => [w.id, w.heartbeat_age_s, w.past_orchestrator_limit])).toEqual([
      [id(3), 600.000001, true],
      [id(2), 600, false],
      [id(1), 300.000001, false],
    ]);
  });

  it('the whole records; other statuses are not listed, a NULL heartbeat only if active', () => {
    const r = staleWorkers(
      [
        worker({ id: id(1), status: 'active', created: '12:00:00', heartbeat: '13:00:00' }),
        worker({ id: id(2), status: 'active', created: '13:30:00', heartbeat: null }),
        worker({ id: id(3), status: 'spawning', created: '13:00:00', heartbeat: null }),
        worker({ id: id(4), status: 'terminated', created: '09:00:00', heartbeat: '10:00:00' }),
      ],
      AS_OF,
    );
    expect(r).toEqual({
      threshold_s: 300,
      workers: [{ id: id(1), status: 'active', last_heartbeat: at('13:00:00'), heartbeat_age_s: 3600, lifetime_s: 7200, past_orchestrator_limit: true }],
      never_heartbeat: [{ id: id(2), status: 'active', created_at: at('13:30:00'), age_s: 1800 }],
    });
  });

  it('oldest first, ties by id in code-unit order, for both lists', () => {
    const r = staleWorkers(
      [
        worker({ id: 'gpu-b', heartbeat: '13:00:00' }),
        worker({ id: 'gpu-B', heartbeat: '13:00:00' }),
        worker({ id: 'gpu-c', heartbeat: '12:00:00' }),
        worker({ id: 'gpu-y', heartbeat: null, created: '13:00:00' }),
        worker({ id: 'gpu-Y', heartbeat: null, created: '13:00:00' }),
        worker({ id: 'gpu-x', heartbeat: null, created: '12:00:00' }),
      ],
      AS_OF,
    );
    expect(r.workers.map((w) => w.id)).toEqual(['gpu-c', 'gpu-B', 'gpu-b']);
    expect(r.never_heartbeat.map((w) => w.id)).toEqual(['gpu-x', 'gpu-Y', 'gpu-y']);
  });

  it('no workers: empty lists', () => {
    expect(staleWorkers([], AS_OF)).toEqual({ threshold_s: 300, workers: [], never_heartbeat: [] });
  });
});

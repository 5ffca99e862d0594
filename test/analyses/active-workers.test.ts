/** §7 Find active workers: status `active`, with their heartbeat band, worst first. */
import { describe, expect, it } from 'vitest';
import { activeWorkers, compareBySeverity } from '../../src/analyses/active-workers.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('compareBySeverity', () => {
  const row = (id: string, heartbeat_state: 'alive' | 'aging' | 'dead' | 'never', heartbeat_age_s: number | null) => ({ id, heartbeat_state, heartbeat_age_s });

  it('never, dead, aging, alive; within a band the oldest heartbeat first; then id in code-unit order', () => {
    const rows = [
      row('w-alive', 'alive', 5),
      row('w-dead-young', 'dead', 400),
      row('w-never', 'never', null),
      row('w-aging', 'aging', 100),
      row('w-dead-old', 'dead', 4000),
      row('b-tie', 'dead', 400),
      row('B-tie', 'dead', 400),
    ];
    expect([...rows].sort(compareBySeverity).map((r) => r.id)).toEqual(['w-never', 'w-dead-old', 'B-tie', 'b-tie', 'w-dead-young', 'w-aging', 'w-alive']);
  });

  it('is zero only for the same row', () => {
    expect(compareBySeverity(row('a', 'dead', 400), row('a', 'dead', 400))).toBe(0);
    expect(compareBySeverity(row('a', 'dead', 400), row('a', 'dead', 400.000001))).toBeGreaterThan(0);
  });
});

describe('§7 activeWorkers', () => {
  it('only status active, worst first', () => {
    const r = activeWorkers(
      [
        worker({ id: id(1), heartbeat: '13:59:50' }),
        worker({ id: id(2), heartbeat: '13:40:00' }),
        worker({ id: id(3), heartbeat: null }),
        worker({ id: id(4), heartbeat: '13:57:00' }),
        worker({ id: id(5), status: 'terminated', heartbeat: '10:00:00' }),
      ],
      AS_OF,
    );
    expect(r.workers.map((w) => [w.id, w.heartbeat_state])).toEqual([
      [id(3), 'never'],
      [id(2), 'dead'],
      [id(4), 'aging'],
      [id(1), 'alive'],
    ]);
    expect(r.by_state).toEqual({ alive: 1, aging: 1, dead: 1, never: 1 });
  });

  it('bands at their boundaries: 60 s is aging, 5 min is dead', () => {
    const r = activeWorkers(
      [
        worker({ id: id(1), heartbeat: after('13:59:00', 0.000001) }),
        worker({ id: id(2), heartbeat: '13:59:00' }),
        worker({ id: id(3), heartbeat: after('13:55:00', 0.000001) }),
        worker({ id: id(4), heartbeat: '13:55:00' }),
      ],
      AS_OF,
    );
    expect(r.workers.map((w) => [w.id, w.heartbeat_state, w.heartbeat_age_s])).toEqual([
      [id(4), 'dead', 300],
      [id(3), 'aging', 299.999999],
      [id(2), 'aging', 60],
      [id(1), 'alive', 59.999999],
    ]);
  });

  it('the whole row; other statuses (spawning, error, crashed) are not active', () => {
    const r = activeWorkers(
      [
        worker({ id: id(1), created: '13:00:00', heartbeat: '13:59:30' }),
        worker({ id: id(2), status: 'spawning', heartbeat: null }),
        worker({ id: id(3), status: 'error', heartbeat: '13:59:59' }),
        worker({ id: id(4), status: 'crashed', heartbeat: '13:00:00' }),
      ],
      AS_OF,
    );
    expect(r).toEqual({
      total: 1,
      by_state: { alive: 1, aging: 0, dead: 0, never: 0 },
      workers: [{ id: id(1), created_at: at('13:00:00'), last_heartbeat: at('13:59:30'), heartbeat_age_s: 30, heartbeat_state: 'alive' }],
    });
  });

  it('no workers: zero counts', () => {
    expect(activeWorkers([], AS_OF)).toEqual({ total: 0, by_state: { alive: 0, aging: 0, dead: 0, never: 0 }, workers: [] });
  });
});

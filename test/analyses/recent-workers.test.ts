/** §8 Find all recent workers: created in a window (both ends in), newest first. */
import { describe, expect, it } from 'vitest';
import { recentWorkers } from '../../src/analyses/recent-workers.js';
import { fleetId as id } from '../support/cases.js';
import { after, at, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('§8 recentWorkers', () => {
  it('workers created in the window, newest first, with age as of as-of', () => {
    const window = { from: at('12:00:00'), to: AS_OF };
    const r = recentWorkers([worker({ id: id(1), created: '11:59:59' }), worker({ id: id(2), created: '12:00:00' }), worker({ id: id(3), created: '13:30:00', metadata: null })], window, AS_OF);
    expect(r.workers.map((w) => [w.id, w.age_s, w.ram_tier])).toEqual([
      [id(3), 1800, null],
      [id(2), 7200, 32],
    ]);
  });

  it('both ends of the window are in, a microsecond outside is out', () => {
    const window = { from: at('12:00:00'), to: at('13:00:00') };
    const r = recentWorkers(
      [
        worker({ id: id(1), created: after('11:59:59', 0.999999) }),
        worker({ id: id(2), created: '12:00:00' }),
        worker({ id: id(3), created: '13:00:00' }),
        worker({ id: id(4), created: after('13:00:00', 0.000001) }),
      ],
      window,
      AS_OF,
    );
    expect(r).toMatchObject({ from: at('12:00:00'), to: at('13:00:00'), total: 2 });
    expect(r.workers.map((w) => w.id)).toEqual([id(3), id(2)]);
  });

  it('the whole row: heartbeat band, RAM tier and GPU; NULL heartbeat and `{}` metadata read as unknown', () => {
    const window = { from: at('12:00:00'), to: AS_OF };
    const r = recentWorkers(
      [
        worker({ id: id(1), status: 'active', created: '13:00:00', heartbeat: '13:58:00', metadata: { ram_tier: 64, pod_details: { gpu_type_id: 'NVIDIA L40S' } } }),
        worker({ id: id(2), status: 'spawning', created: '13:50:00', heartbeat: null, metadata: {} }),
      ],
      window,
      AS_OF,
    );
    expect(r.workers).toEqual([
      { id: id(2), status: 'spawning', created_at: at('13:50:00'), age_s: 600, last_heartbeat: null, heartbeat_age_s: null, heartbeat_state: 'never', ram_tier: null, gpu_type: null },
      { id: id(1), status: 'active', created_at: at('13:00:00'), age_s: 3600, last_heartbeat: at('13:58:00'), heartbeat_age_s: 120, heartbeat_state: 'aging', ram_tier: 64, gpu_type: 'NVIDIA L40S' },
    ]);
  });

  it('workers created at one instant go by id in code-unit order, whatever the input order', () => {
    const window = { from: at('12:00:00'), to: AS_OF };
    const rows = [worker({ id: 'gpu-b', created: '13:00:00' }), worker({ id: 'gpu-B', created: '13:00:00' }), worker({ id: 'gpu-a', created: '13:00:00' })];
    expect(recentWorkers(rows, window, AS_OF).workers.map((w) => w.id)).toEqual(['gpu-B', 'gpu-a', 'gpu-b']);
    expect(recentWorkers([...rows].reverse(), window, AS_OF).workers.map((w) => w.id)).toEqual(['gpu-B', 'gpu-a', 'gpu-b']);
  });
});

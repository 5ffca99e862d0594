/** §6 Quick status check: status, the newest log lines and the tasks of one worker. */
import { describe, expect, it } from 'vitest';
import { quickCheck } from '../../src/analyses/quick-check.js';
import { QUICK_CHECK_LOG_LINES } from '../../src/config/thresholds.js';
import { at, log, task, worker } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('§6 quickCheck', () => {
  it('status, the last five lines and the tasks; a deleted worker still shows its logs', () => {
    const logs = Array.from({ length: 8 }, (_, i) => log(`13:0${i}:00`, `line ${i}`));
    const r = quickCheck(W, null, [task()], logs, AS_OF);
    expect(r.status).toBeNull();
    expect(r.total_logs).toBe(8);
    expect(r.logs.map((l) => l.message)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(r.tasks).toHaveLength(1);
  });

  it('shows the guide\'s five lines (`--limit 5`)', () => {
    expect(QUICK_CHECK_LOG_LINES).toBe(5);
  });

  it('with the worker row: its status as of as-of, its own last line and silence, only its tasks', () => {
    const r = quickCheck(
      W,
      worker({ heartbeat: '13:57:00' }),
      [task({ id: 't-2', created: '12:20:00' }), task({ id: 't-other', worker: 'gpu-20251017_120000-bbbbbbbb' }), task({ id: 't-1', created: '12:10:00' })],
      [log('13:30:00', 'Generation complete'), log('13:40:00', 'Marking worker as error', { source: 'orchestrator_gpu' }), log('14:30:00', 'after as-of')],
      AS_OF,
    );
    expect(r.status).toMatchObject({ id: W, heartbeat_state: 'aging', heartbeat_age_s: 180 });
    expect(r.total_logs).toBe(2);
    expect(r.last_worker_log).toEqual({ timestamp: at('13:30:00'), log_level: 'INFO', message: 'Generation complete' });
    expect(r.silence_s).toBe(1800);
    expect(r.tasks.map((t) => t.id)).toEqual(['t-1', 't-2']);
  });

  it('nothing at all: no status, no lines, no tasks', () => {
    expect(quickCheck(W, null, [], [], AS_OF)).toEqual({ worker_id: W, status: null, total_logs: 0, logs: [], last_worker_log: null, silence_s: null, tasks: [] });
  });
});

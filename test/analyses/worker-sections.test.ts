/** §1–§4, §6, §14, §16 on one worker, hand-built rows with answers worked out by hand. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heartbeatCadence } from '../../src/analyses/heartbeat-cadence.js';
import { heartbeatGaps, intervalsS } from '../../src/analyses/heartbeat-gaps.js';
import { memoryProfile, parseMemoryProfile } from '../../src/analyses/memory-profile.js';
import { modelSwitch } from '../../src/analyses/model-switch.js';
import { quickCheck } from '../../src/analyses/quick-check.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import { workerLogs } from '../../src/analyses/worker-logs.js';
import { workerStatus } from '../../src/analyses/worker-status.js';
import { workerTasks } from '../../src/analyses/worker-tasks.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('§1 workerStatus', () => {
  it.each([
    ['13:59:01', 'alive', 59],
    ['13:59:00', 'aging', 60],
    ['13:55:01', 'aging', 299],
    ['13:55:00', 'dead', 300],
  ])('heartbeat at %s is %s', (hb, state, age) => {
    const s = workerStatus(worker({ heartbeat: hb }), AS_OF);
    expect(s.heartbeat_state).toBe(state);
    expect(s.heartbeat_age_s).toBe(age);
  });

  it('handles NULL heartbeat and NULL metadata (the guide crashes on both)', () => {
    const s = workerStatus(worker({ heartbeat: null, metadata: null }), AS_OF);
    expect(s).toMatchObject({ heartbeat_state: 'never', heartbeat_age_s: null, last_heartbeat: null, ram_tier: null, gpu_type: null, has_metadata: false, lifetime_s: null });
  });

  it('reads RAM tier, GPU and the orchestrator error from metadata', () => {
    const s = workerStatus(
      worker({ metadata: { ram_tier: 64, pod_details: { gpu_type_id: 'NVIDIA L40S' }, error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'stale' } }),
      AS_OF,
    );
    expect(s).toMatchObject({ ram_tier: 64, gpu_type: 'NVIDIA L40S', error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'stale' });
  });
});

describe('§2 workerLogs', () => {
  const logs = [
    log('13:00:00', 'Worker starting', { level: 'DEBUG' }),
    log('13:01:00', 'low VRAM headroom', { level: 'WARNING' }),
    log('13:02:00', 'Generation complete in 83.2s'),
    log('13:10:00', `Marking worker ${W} as error`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    log('14:10:00', 'after as-of'),
  ];

  it("the last line before silence is the worker's own, not the orchestrator's note written later", () => {
    const r = workerLogs(W, logs, AS_OF);
    expect(r.last_worker_log).toEqual({ timestamp: at('13:02:00'), log_level: 'INFO', message: 'Generation complete in 83.2s' });
    expect(r.silence_s).toBe(58 * 60);
    expect(r.orchestrator_lines_after_last_worker_log).toBe(1);
    expect(r.total).toBe(4); // the line after as-of is not read
  });

  it('--limit shortens the list, not the total; --level is a minimum; --search is case-insensitive', () => {
    expect(workerLogs(W, logs, AS_OF, { limit: 2 })).toMatchObject({ total: 4, logs: [{ message: 'Generation complete in 83.2s' }, { message: `Marking worker ${W} as error` }] });
    expect(workerLogs(W, logs, AS_OF, { level: 'WARNING' }).logs.map((l) => l.log_level)).toEqual(['WARNING', 'ERROR']);
    expect(workerLogs(W, logs, AS_OF, { search: 'GENERATION' }).total).toBe(1);
  });

  it('a worker with zero logs', () => {
    expect(workerLogs(W, [], AS_OF)).toMatchObject({ total: 0, logs: [], last_worker_log: null, silence_s: null });
  });
});

describe('§3 workerTasks', () => {
  it('lists the worker\'s tasks oldest first with counts by status', () => {
    const r = workerTasks(W, [
      task({ created: '13:00:00', status: 'Failed', error: 'CUDA out of memory' }),
      task({ created: '12:00:00', status: 'Complete', processed: '12:01:23' }),
      task({ created: '12:30:00', worker: 'someone-else' }),
    ]);
    expect(r.total).toBe(2);
    expect(r.tasks.map((t) => t.status)).toEqual(['Complete', 'Failed']);
    expect(r.tasks[0]?.generation_s).toBe(83);
    expect(r.by_status).toEqual({ Queued: 0, 'In Progress': 0, Complete: 1, Failed: 1, Cancelled: 0 });
  });
});

describe('§4A heartbeatGaps', () => {
  it('reports gaps strictly over 40 s between the worker\'s own heartbeat lines', () => {
    const logs = [
      heartbeatLine('13:00:00'),
      heartbeatLine('13:00:40'), // exactly 40 s: not a gap
      heartbeatLine('13:01:21'), // 41 s
      log('13:02:00', 'STALE_HEARTBEAT_ACTIVE_TASK for worker', { source: 'orchestrator_gpu' }), // not the worker's heartbeat
      heartbeatLine('13:04:21'), // 180 s
    ];
    const r = heartbeatGaps(W, logs, AS_OF, worker({ heartbeat: '13:05:00' }));
    expect(r.logged_heartbeats).toBe(4);
    expect(r.gaps).toEqual([
      { at: at('13:01:21'), gap_s: 41 },
      { at: at('13:04:21'), gap_s: 180 },
    ]);
    expect(r.span_s).toBe(261);
    expect(r.db_after_last_logged_s).toBe(39);
  });

  const times = fc.uniqueArray(fc.integer({ min: 0, max: 3_600_000_000 }), { minLength: 2, maxLength: 60 });

  it('intervals sum to the span and gaps do not depend on row order (property)', () => {
    fc.assert(
      fc.property(times, fc.integer(), (offsets, seed) => {
        const sorted = [...offsets].sort((a, b) => a - b);
        const lines = sorted.map((o) => heartbeatLine(new Date((at('12:00:00') + o) / 1000).toISOString()));
        const intervals = intervalsS(lines.map((l) => l.timestamp));
        const span = (lines.at(-1)!.timestamp - lines[0]!.timestamp) / 1e6;
        expect(intervals.reduce((a, b) => a + b, 0)).toBeCloseTo(span, 6);
        const shuffled = [...lines].sort((a, b) => ((a.timestamp * 7919 + seed) % 101) - ((b.timestamp * 7919 + seed) % 101));
        expect(heartbeatGaps(W, shuffled, AS_OF)).toEqual(heartbeatGaps(W, lines, AS_OF));
        for (const g of heartbeatGaps(W, lines, AS_OF).gaps) expect(g.gap_s).toBeGreaterThan(40);
      }),
    );
  });
});

describe('§4B modelSwitch', () => {
  const logs = [
    log('12:30:00', '🔄 MODEL SWITCH: a -> b'),
    log('13:00:00', '🔄 MODEL SWITCH: b -> c'),
    heartbeatLine('13:00:30'),
    log('13:12:00', 'Marking worker as error', { source: 'orchestrator_gpu' }),
  ];

  it('times the last switch to the last DB heartbeat (the guide used "now")', () => {
    const r = modelSwitch(worker({ heartbeat: '13:02:30' }), [], logs, AS_OF);
    expect(r).toMatchObject({ switch_at: at('13:00:00'), switches_total: 2, crashed: true, crash_after_s: 150, in_oom_window: true, in_model_load_window: true });
    expect(r.logs_after.map((l) => [l.after_s, l.source_type])).toEqual([
      [30, 'worker'],
      [720, 'orchestrator_gpu'],
    ]);
  });

  it('an alive worker has not crashed, however long ago it switched', () => {
    expect(modelSwitch(worker({ heartbeat: '13:59:50' }), [], logs, AS_OF)).toMatchObject({ crashed: false, crash_after_s: null });
  });

  it('no switch at all', () => {
    expect(modelSwitch(worker(), [], [heartbeatLine('13:00:00')], AS_OF)).toMatchObject({ switch_at: null, logs_after: [], crashed: false });
  });
});

describe('§6 quickCheck', () => {
  it('status, the last five lines and the tasks; a deleted worker still shows its logs', () => {
    const logs = Array.from({ length: 8 }, (_, i) => log(`13:0${i}:00`, `line ${i}`));
    const r = quickCheck(W, null, [task()], logs, AS_OF);
    expect(r.status).toBeNull();
    expect(r.total_logs).toBe(8);
    expect(r.logs.map((l) => l.message)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(r.tasks).toHaveLength(1);
  });
});

describe('§14 memoryProfile', () => {
  it('reads any profile number from the last memory-profile line', () => {
    expect(parseMemoryProfile('🧠 Using Memory Profile 4 (ram_tier=64GB)')).toBe(4);
    expect(parseMemoryProfile('memory profile: 12')).toBe(12);
    expect(parseMemoryProfile('Memory Profile unknown')).toBeNull();
    const signals = computeSignalsForWorker(W, [log('12:00:00', 'Memory Profile 3 selected'), log('12:30:00', 'Switching to Memory Profile 5')], AS_OF);
    expect(memoryProfile(W, signals.memory_profile_line)).toEqual({ worker_id: W, memory_profile: 5, line: 'Switching to Memory Profile 5', at: at('12:30:00') });
    expect(memoryProfile(W, null)).toEqual({ worker_id: W, memory_profile: null, line: null, at: null });
  });
});

describe('§16 heartbeatCadence', () => {
  it('DB heartbeats implied by the lifetime against the logged ones', () => {
    const w = worker({ created: '12:00:00', heartbeat: '13:00:00' });
    const r = heartbeatCadence(w, heartbeatsEvery('12:00:30', '12:58:30', 60), AS_OF);
    expect(r.expected_db_heartbeats).toBe(180);
    expect(r.logged_heartbeats).toBe(59);
    expect(r.median_logged_interval_s).toBe(60);
    expect(r.db_after_last_logged_s).toBe(90);
  });
});

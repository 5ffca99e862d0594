/**
 * Per-worker log signals (the in-process reference; test/sources/postgres-signals.test.ts holds the
 * SQL twin equal to it). Hand-built lines, each figure worked out by hand from the definitions in
 * src/analyses/worker-signals.ts: worker lines only, (timestamp, id) order, gaps strictly over 40 s.
 */
import { describe, expect, it } from 'vitest';
import { computeSignalsForWorker, computeWorkerSignals } from '../../src/analyses/worker-signals.js';
import { emptySignals, evidenceOf } from '../../src/rows/signals.js';
import type { SystemLog } from '../../src/rows/schemas.js';
import { after, at, heartbeatLine, log } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const OTHER = 'gpu-20251017_120000-bbbbbbbb';
const AS_OF = at('14:00:00');
const HB = `✅ [HEARTBEAT] Worker ${W} active`;

describe('computeSignalsForWorker', () => {
  it('a whole worker\'s record, field by field', () => {
    const lines = [
      log('12:00:05', `🚀 Worker ${W} starting`),
      log('12:00:06', '🧠 Using Memory Profile 3'),
      heartbeatLine('12:00:30'),
      heartbeatLine('12:01:00'), // the second heartbeat line: the heartbeat loop runs, start-up is over
      heartbeatLine('12:02:00'), // 60 s: a gap
      log('12:03:00', 'Before VLM loading'),
      log('12:09:00', 'VLM loaded'), // 360 s of silence after the VLM line
      log('12:10:00', 'CUDA out of memory', { level: 'ERROR' }),
      log('12:20:00', '🧠 Memory Profile 4 now'),
      log('12:59:00', '[RAM] Before model switch: Process=20000MB (19.53GB) | System=91.0% used, 5.8GB/64.0GB available'),
      log('13:00:00', '🔄 MODEL SWITCH: wan -> qwen'),
      heartbeatLine('13:00:20'),
      log('13:00:40', 'load failed', { level: 'CRITICAL' }),
      heartbeatLine('13:01:10'),
      log('13:05:00', `Marking worker ${W} as error`, { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('13:05:01', '[WORKER_LOG_TAIL] Killed', { source: 'orchestrator_gpu' }),
      log('14:30:00', 'after as-of'),
    ];
    const s = computeSignalsForWorker(W, lines, AS_OF, BUILT_IN_VOCABULARY);
    const line = (i: number) => {
      const l = lines[i]!;
      return { id: l.id, timestamp: l.timestamp, log_level: l.log_level, source_type: l.source_type, message: l.message };
    };
    expect(s).toEqual({
      worker_id: W,
      log_count: 16,
      worker_log_count: 14,
      worker_non_heartbeat_count: 9,
      worker_error_count: 2,
      family_counts: {
        model_switch: 1,
        model_loaded: 0,
        heartbeat: 5,
        vlm_loading: 1,
        memory_profile: 2,
        ram: 1,
        startup: 1,
        ready: 0,
        task_claim: 0,
        shutdown: 0,
        orchestrator_error: 1,
        log_tail: 1,
      },
      first_worker_log: line(0),
      last_worker_log: line(13),
      last_non_heartbeat_log: line(12),
      logged_heartbeat_count: 5,
      last_heartbeat_log: line(13),
      heartbeat_span_s: 3640,
      heartbeat_gaps: [
        { at: at('12:02:00'), gap_s: 60 },
        { at: at('13:00:20'), gap_s: 3500 },
        { at: at('13:01:10'), gap_s: 50 },
      ],
      last_model_switch: line(10),
      after_switch: { worker_lines: 3, logged_heartbeats: 2, errors: 1, last_heartbeat_after_s: 70, model_loaded: null },
      vlm_hang: { line: line(5), silence_s: 360 },
      vlm_open: null,
      memory_profile_line: line(8),
      last_ram_line: line(9),
      ram_before_switch: line(9),
      last_error: line(12),
      startup_end: { at: at('12:01:00'), by: 'heartbeat_loop' },
      last_shutdown_log: null,
      orchestrator_kill: line(14),
      log_tail: [line(15)],
    });
  });

  it('start-up ends at the first ready line, task claim or second heartbeat line; never, for a worker that wrote none', () => {
    const end = (lines: SystemLog[]) => computeSignalsForWorker(W, lines, AS_OF, BUILT_IN_VOCABULARY).startup_end;
    expect(end([log('12:00:00', `🚀 Worker ${W} starting`), log('12:04:00', 'Installing dependencies'), heartbeatLine('12:05:00')])).toBeNull();
    expect(end([heartbeatLine('12:00:30'), log('12:00:40', 'startup_phase=ready'), heartbeatLine('12:01:00')])).toEqual({ at: at('12:00:40'), by: 'ready' });
    expect(end([log('12:00:40', '[CLAIM] Claimed task 7a5c0000-0000-4000-8000-000000000001'), heartbeatLine('12:01:00')])).toEqual({ at: at('12:00:40'), by: 'task_claim' });
    expect(end([heartbeatLine('12:00:30'), heartbeatLine('12:01:00')])).toEqual({ at: at('12:01:00'), by: 'heartbeat_loop' });
  });

  it('the last three log tails the orchestrator shipped, oldest first; its first kill line; a shutdown line of the worker', () => {
    const o = { source: 'orchestrator_gpu' };
    const s = computeSignalsForWorker(W, [
      log('12:00:00', `Marking worker ${W} as error: first`, { ...o, level: 'ERROR' }),
      log('12:00:01', `WORKER_LIFECYCLE [Worker ${W}] MARKING AS ERROR: second`, { ...o, level: 'ERROR' }),
      ...['a', 'b', 'c', 'd'].map((x, i) => log(`12:00:0${2 + i}`, `[WORKER_LOG_TAIL] ${x}`, o)),
      log('12:01:00', 'Drain requested: shutting down after the current task'),
    ], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.orchestrator_kill?.message).toBe(`Marking worker ${W} as error: first`);
    expect(s.log_tail.map((l) => l.message)).toEqual(['[WORKER_LOG_TAIL] b', '[WORKER_LOG_TAIL] c', '[WORKER_LOG_TAIL] d']);
    expect(s.last_shutdown_log?.message).toBe('Drain requested: shutting down after the current task');
    expect(s.family_counts.orchestrator_error).toBe(2);
    expect(s.worker_log_count).toBe(1);
  });

  it('no lines, or only orchestrator lines: the empty record (log_count aside)', () => {
    expect(computeSignalsForWorker(W, [], AS_OF, BUILT_IN_VOCABULARY)).toEqual(emptySignals(W));
    const onlyOrchestrator = computeSignalsForWorker(W, [log('13:00:00', '🔄 MODEL SWITCH quoted, [HEARTBEAT] too', { source: 'orchestrator_gpu', level: 'ERROR' })], AS_OF, BUILT_IN_VOCABULARY);
    expect(onlyOrchestrator).toEqual({ ...emptySignals(W), log_count: 1 });
  });

  it('a gap of exactly 40 s is none; 40 s and a microsecond is one', () => {
    const s = computeSignalsForWorker(W, [heartbeatLine('13:00:00'), heartbeatLine('13:00:40'), heartbeatLine(after('13:01:20', 0.000001))], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.heartbeat_gaps).toEqual([{ at: at('13:01:20') + 1, gap_s: 40.000001 }]);
    expect(s.heartbeat_span_s).toBe(80.000001);
  });

  it('after the switch counts worker lines strictly after it in (timestamp, id) order', () => {
    const s = computeSignalsForWorker(W, [
        log('13:00:00', 'same instant, earlier id', { id: 'a-line' }),
        log('13:00:00', '🔄 MODEL SWITCH: a -> b', { id: 'm-switch' }),
        log('13:00:00', 'same instant, later id', { id: 'z-line', level: 'ERROR' }),
        log('13:00:10', 'orchestrator note', { source: 'orchestrator_gpu', level: 'ERROR' }),
      ], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.after_switch).toEqual({ worker_lines: 1, logged_heartbeats: 0, errors: 1, last_heartbeat_after_s: null, model_loaded: null });
  });

  it('the last switch wins; a switch as the last line has nothing after it', () => {
    const s = computeSignalsForWorker(W, [log('12:00:00', '🔄 MODEL SWITCH: a -> b'), heartbeatLine('12:00:30'), log('13:00:00', '🔄 model switch: b -> c')], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.last_model_switch?.message).toBe('🔄 model switch: b -> c');
    expect(s.after_switch).toEqual({ worker_lines: 0, logged_heartbeats: 0, errors: 0, last_heartbeat_after_s: null, model_loaded: null });
  });

  it('VLM: the longest silence to the next own line other than a heartbeat line; on a tie the earlier line; a VLM line last is open', () => {
    const lines = [
      log('12:00:00', 'Before VLM loading (first)'),
      heartbeatLine('12:02:00'), // the heartbeat process goes on: no end to the silence
      log('12:05:00', 'loaded'),
      log('12:10:00', 'before vlm loading (second)'),
      log('12:12:00', 'orchestrator line does not end the silence', { source: 'orchestrator_gpu' }),
      log('12:15:00', 'loaded'),
      log('13:00:00', 'Before VLM loading (last line)'),
      heartbeatLine('13:30:00'),
    ];
    const s = computeSignalsForWorker(W, lines, AS_OF, BUILT_IN_VOCABULARY);
    expect(s.vlm_hang).toEqual({ line: evidenceOf(lines[0]!), silence_s: 300 });
    expect(s.vlm_open).toEqual(evidenceOf(lines[6]!));
    const open = computeSignalsForWorker(W, [log('13:00:00', 'Before VLM loading')], AS_OF, BUILT_IN_VOCABULARY);
    expect(open.vlm_hang).toBeNull();
    expect(open.vlm_open?.message).toBe('Before VLM loading');
  });

  it('a line exactly at as-of is read; one a microsecond later is not', () => {
    const s = computeSignalsForWorker(W, [log('14:00:00', 'at as-of'), log(after('14:00:00', 0.000001), 'Memory Profile 9')], AS_OF, BUILT_IN_VOCABULARY);
    expect(s).toMatchObject({ log_count: 1, memory_profile_line: null });
    expect(s.last_worker_log?.message).toBe('at as-of');
  });

  it('does not depend on the order of the lines', () => {
    const lines = [
      log('13:00:00', '🔄 MODEL SWITCH: a -> b', { id: 'b' }),
      log('13:00:00', '🔄 MODEL SWITCH: c -> d', { id: 'B' }),
      heartbeatLine('13:00:30'),
      log('13:01:00', 'Before VLM loading'),
      log('13:07:00', 'x', { level: 'ERROR' }),
    ];
    const reference = computeSignalsForWorker(W, lines, AS_OF, BUILT_IN_VOCABULARY);
    expect(reference.last_model_switch?.message).toBe('🔄 MODEL SWITCH: a -> b');
    expect(computeSignalsForWorker(W, [...lines].reverse(), AS_OF, BUILT_IN_VOCABULARY)).toEqual(reference);
    expect(computeSignalsForWorker(W, [lines[2]!, lines[0]!, lines[4]!, lines[1]!, lines[3]!], AS_OF, BUILT_IN_VOCABULARY)).toEqual(reference);
  });
});

describe('computeWorkerSignals', () => {
  it('one record per worker asked for, from one batch of mixed lines; a worker with no line gets the empty record', () => {
    const batch = [
      log('13:00:00', '🔄 MODEL SWITCH: a -> b', { worker: W }),
      heartbeatLine('13:00:10', { worker: OTHER }),
      log('13:00:20', 'orchestrator line without a worker', { worker: null, source: 'orchestrator_api' }),
      log('13:00:30', 'later', { worker: W }),
    ];
    const signals = computeWorkerSignals([OTHER, W, 'gpu-20251017_120000-cccccccc'], batch, AS_OF, BUILT_IN_VOCABULARY);
    expect([...signals.keys()]).toEqual([OTHER, W, 'gpu-20251017_120000-cccccccc']);
    expect(signals.get(W)).toEqual(computeSignalsForWorker(W, [batch[0]!, batch[3]!], AS_OF, BUILT_IN_VOCABULARY));
    expect(signals.get(W)).toMatchObject({ log_count: 2, after_switch: { worker_lines: 1 } });
    expect(signals.get(OTHER)).toMatchObject({ log_count: 1, logged_heartbeat_count: 1 });
    expect(signals.get('gpu-20251017_120000-cccccccc')).toEqual(emptySignals('gpu-20251017_120000-cccccccc'));
  });
});

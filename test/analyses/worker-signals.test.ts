/**
 * Per-worker log signals (the in-process reference; test/sources/postgres-signals.test.ts holds the
 * SQL twin equal to it). Hand-built lines, each figure worked out by hand from the definitions in
 * src/analyses/worker-signals.ts: worker lines only, (timestamp, id) order, gaps strictly over 40 s.
 */
import { describe, expect, it } from 'vitest';
import { computeSignalsForWorker, computeWorkerSignals } from '../../src/analyses/worker-signals.js';
import { emptySignals } from '../../src/rows/signals.js';
import { after, at, heartbeatLine, log } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const OTHER = 'gpu-20251017_120000-bbbbbbbb';
const AS_OF = at('14:00:00');
const HB = `✅ [HEARTBEAT] Worker ${W} active`;

describe('computeSignalsForWorker', () => {
  it('a whole worker\'s record, field by field', () => {
    const lines = [
      log('12:00:05', 'Worker starting'),
      log('12:00:06', '🧠 Using Memory Profile 3'),
      heartbeatLine('12:00:30'),
      heartbeatLine('12:01:00'),
      heartbeatLine('12:02:00'), // 60 s: a gap
      log('12:03:00', 'Before VLM loading'),
      log('12:09:00', 'VLM loaded'), // 360 s of silence after the VLM line
      log('12:10:00', 'CUDA out of memory', { level: 'ERROR' }),
      log('12:20:00', '🧠 Memory Profile 4 now'),
      log('13:00:00', '🔄 MODEL SWITCH: wan -> qwen'),
      heartbeatLine('13:00:20'),
      log('13:00:40', 'load failed', { level: 'CRITICAL' }),
      heartbeatLine('13:01:10'), // 70 s after the last one: a gap
      log('13:05:00', `Marking worker ${W} as error`, { source: 'orchestrator_gpu', level: 'ERROR' }),
      log('14:30:00', 'after as-of'),
    ];
    const s = computeSignalsForWorker(W, lines, AS_OF, BUILT_IN_VOCABULARY);
    const line = (time: string, message: string, log_level = 'INFO', source_type = 'worker') => ({ timestamp: at(time), log_level, source_type, message });
    expect(s).toEqual({
      worker_id: W,
      log_count: 14,
      worker_log_count: 13,
      worker_non_heartbeat_count: 8,
      worker_error_count: 2,
      first_worker_log: line('12:00:05', 'Worker starting'),
      last_worker_log: line('13:01:10', HB),
      logged_heartbeat_count: 5,
      heartbeat_span_s: 3640,
      heartbeat_gaps: [
        { at: at('12:02:00'), gap_s: 60 },
        { at: at('13:00:20'), gap_s: 3500 },
        { at: at('13:01:10'), gap_s: 50 },
      ],
      last_model_switch: line('13:00:00', '🔄 MODEL SWITCH: wan -> qwen'),
      after_switch: { worker_lines: 3, logged_heartbeats: 2, errors: 1, last_heartbeat_after_s: 70 },
      vlm_hang: { line: line('12:03:00', 'Before VLM loading'), silence_s: 360 },
      memory_profile_line: line('12:20:00', '🧠 Memory Profile 4 now'),
      last_error: line('13:00:40', 'load failed', 'CRITICAL'),
    });
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
    expect(s.after_switch).toEqual({ worker_lines: 1, logged_heartbeats: 0, errors: 1, last_heartbeat_after_s: null });
  });

  it('the last switch wins; a switch as the last line has nothing after it', () => {
    const s = computeSignalsForWorker(W, [log('12:00:00', '🔄 MODEL SWITCH: a -> b'), heartbeatLine('12:00:30'), log('13:00:00', '🔄 model switch: b -> c')], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.last_model_switch?.message).toBe('🔄 model switch: b -> c');
    expect(s.after_switch).toEqual({ worker_lines: 0, logged_heartbeats: 0, errors: 0, last_heartbeat_after_s: null });
  });

  it('VLM: the longest silence to the next worker line; on a tie the earlier line; the last line is no closed hang', () => {
    const s = computeSignalsForWorker(W, [
        log('12:00:00', 'Before VLM loading (first)'),
        log('12:05:00', 'loaded'),
        log('12:10:00', 'before vlm loading (second)'),
        log('12:12:00', 'orchestrator line does not end the silence', { source: 'orchestrator_gpu' }),
        log('12:15:00', 'loaded'),
        log('13:00:00', 'Before VLM loading (last line)'),
      ], AS_OF, BUILT_IN_VOCABULARY);
    expect(s.vlm_hang).toEqual({ line: { timestamp: at('12:00:00'), log_level: 'INFO', source_type: 'worker', message: 'Before VLM loading (first)' }, silence_s: 300 });
    expect(s.last_worker_log?.message).toBe('Before VLM loading (last line)');
    expect(computeSignalsForWorker(W, [log('13:00:00', 'Before VLM loading')], AS_OF, BUILT_IN_VOCABULARY).vlm_hang).toBeNull();
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

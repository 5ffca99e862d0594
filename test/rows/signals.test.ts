/** The per-worker signal record's parts: an evidence line, and the record of a worker with no line. */
import { describe, expect, it } from 'vitest';
import { emptySignals, evidenceOf } from '../../src/rows/signals.js';
import { at, log } from '../support/rows.js';
import { MARKER_FAMILIES } from '../../src/config/markers.js';

describe('evidenceOf', () => {
  it('id, when, level, source and text of a line (nothing else)', () => {
    const line = log('13:00:00', '🔄 MODEL SWITCH: a -> b', { id: 'line-1', level: 'warning', source: 'worker', task: '7a5c0000-0000-4000-8000-000000000001' });
    expect(evidenceOf(line)).toEqual({ id: 'line-1', timestamp: at('13:00:00'), log_level: 'WARNING', source_type: 'worker', message: '🔄 MODEL SWITCH: a -> b' });
  });
});

describe('emptySignals', () => {
  it('zero counts and no lines, for that worker; a fresh record each time', () => {
    const s = emptySignals('w1');
    expect(s).toEqual({
      worker_id: 'w1',
      log_count: 0,
      worker_log_count: 0,
      worker_non_heartbeat_count: 0,
      worker_error_count: 0,
      family_counts: Object.fromEntries(MARKER_FAMILIES.map((f) => [f, 0])),
      first_worker_log: null,
      last_worker_log: null,
      last_non_heartbeat_log: null,
      logged_heartbeat_count: 0,
      last_heartbeat_log: null,
      heartbeat_span_s: null,
      heartbeat_gaps: [],
      last_model_switch: null,
      after_switch: null,
      vlm_hang: null,
      vlm_open: null,
      memory_profile_line: null,
      last_ram_line: null,
      ram_before_switch: null,
      last_error: null,
      startup_end: null,
      last_shutdown_log: null,
      orchestrator_kill: null,
      log_tail: [],
    });
    s.heartbeat_gaps.push({ at: 1, gap_s: 41 });
    s.family_counts.heartbeat = 3;
    s.log_tail.push(s.log_tail[0]!);
    expect(emptySignals('w1').heartbeat_gaps).toEqual([]);
    expect(emptySignals('w1').family_counts.heartbeat).toBe(0);
    expect(emptySignals('w1').log_tail).toEqual([]);
  });
});

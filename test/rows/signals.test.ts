/** The per-worker signal record's parts: an evidence line, and the record of a worker with no line. */
import { describe, expect, it } from 'vitest';
import { emptySignals, evidenceOf } from '../../src/rows/signals.js';
import { at, log } from '../support/rows.js';

describe('evidenceOf', () => {
  it('when, level, source and text of a line (nothing else)', () => {
    const line = log('13:00:00', '🔄 MODEL SWITCH: a -> b', { level: 'warning', source: 'worker', task: '7a5c0000-0000-4000-8000-000000000001' });
    expect(evidenceOf(line)).toEqual({ timestamp: at('13:00:00'), log_level: 'WARNING', source_type: 'worker', message: '🔄 MODEL SWITCH: a -> b' });
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
      first_worker_log: null,
      last_worker_log: null,
      logged_heartbeat_count: 0,
      heartbeat_span_s: null,
      heartbeat_gaps: [],
      last_model_switch: null,
      after_switch: null,
      vlm_hang: null,
      memory_profile_line: null,
      last_error: null,
    });
    s.heartbeat_gaps.push({ at: 1, gap_s: 41 });
    expect(emptySignals('w1').heartbeat_gaps).toEqual([]);
  });
});

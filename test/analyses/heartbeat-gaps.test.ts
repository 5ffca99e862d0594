/**
 * §4A Heartbeat analysis: gaps strictly over 40 s (`if gap_sec > 40`) between the heartbeat lines the
 * worker logged itself. `logs` are the worker's lines (its own and the orchestrator's about it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapsOver, heartbeatGaps, intervalsS, loggedHeartbeatTimes } from '../../src/analyses/heartbeat-gaps.js';
import { after, at, heartbeatLine, log, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('loggedHeartbeatTimes', () => {
  it('the worker\'s own heartbeat lines (marker in any case), ascending, up to and including as-of', () => {
    const times = loggedHeartbeatTimes([
        heartbeatLine('13:00:40'),
        log('13:00:00', '[heartbeat] ✅ Sent for worker x with 3 logs', { level: 'DEBUG' }),
        log('13:00:20', 'STALE_HEARTBEAT_ACTIVE_TASK', { source: 'orchestrator_gpu' }),
        log('13:00:30', 'Generation complete'),
        heartbeatLine('14:00:00'),
        heartbeatLine(after('14:00:00', 0.000001)),
      ], AS_OF, BUILT_IN_VOCABULARY);
    expect(times).toEqual([at('13:00:00'), at('13:00:40'), at('14:00:00')]);
  });
});

describe('intervalsS', () => {
  it('seconds between consecutive instants; none for fewer than two', () => {
    expect(intervalsS([at('13:00:00'), at('13:00:30'), at(after('13:01:10', 0.5))])).toEqual([30, 40.5]);
    expect(intervalsS([at('13:00:00')])).toEqual([]);
    expect(intervalsS([])).toEqual([]);
  });
});

describe('gapsOver', () => {
  it('strictly over 40 s, each at the heartbeat that ended it', () => {
    const t0 = at('13:00:00');
    const times = [t0, at('13:00:40'), at(after('13:01:20', 0.000001)), at('13:05:00')];
    expect(gapsOver(times)).toEqual([
      { at: at('13:01:20') + 1, gap_s: 40.000001 },
      { at: at('13:05:00'), gap_s: 219.999999 },
    ]);
    expect(gapsOver([t0])).toEqual([]);
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
    const r = heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:05:00' }));
    expect(r.logged_heartbeats).toBe(4);
    expect(r.gaps).toEqual([
      { at: at('13:01:21'), gap_s: 41 },
      { at: at('13:04:21'), gap_s: 180 },
    ]);
    expect(r.span_s).toBe(261);
    expect(r.db_after_last_logged_s).toBe(39);
  });

  it('the whole record: first, last, span, threshold, longest and median interval, DB heartbeat', () => {
    const logs = [heartbeatLine('13:00:00'), heartbeatLine('13:00:30'), heartbeatLine('13:01:00'), heartbeatLine('13:02:00')];
    expect(heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:02:20' }))).toEqual({
      worker_id: W,
      logged_heartbeats: 4,
      first_logged_at: at('13:00:00'),
      last_logged_at: at('13:02:00'),
      span_s: 120,
      threshold_s: 40,
      gaps: [{ at: at('13:02:00'), gap_s: 60 }],
      max_interval_s: 60,
      median_interval_s: 30,
      db_last_heartbeat: at('13:02:20'),
      db_after_last_logged_s: 20,
      coverage: { heartbeat: 4 },
    });
  });

  it('no heartbeat line: nothing measured; one line: a span of zero and no interval', () => {
    expect(heartbeatGaps(W, [log('13:00:00', 'Worker starting')], AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:00:10' }))).toMatchObject({
      logged_heartbeats: 0,
      first_logged_at: null,
      last_logged_at: null,
      span_s: null,
      gaps: [],
      max_interval_s: null,
      median_interval_s: null,
      db_last_heartbeat: at('13:00:10'),
      db_after_last_logged_s: null,
      // Coverage says the worker logs no heartbeat line at all: "0 gaps" would be a claim the rows cannot make.
      coverage: { heartbeat: 0 },
    });
    expect(heartbeatGaps(W, [heartbeatLine('13:00:00')], AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ logged_heartbeats: 1, span_s: 0, max_interval_s: null, median_interval_s: null });
  });

  it('without the worker row (deleted), or with a NULL DB heartbeat, there is no DB side', () => {
    const logs = [heartbeatLine('13:00:00')];
    expect(heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY)).toMatchObject({ db_last_heartbeat: null, db_after_last_logged_s: null });
    expect(heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: null }))).toMatchObject({ db_last_heartbeat: null, db_after_last_logged_s: null });
  });

  it('a DB heartbeat older than the last logged line gives a negative lead (as measured)', () => {
    expect(heartbeatGaps(W, [heartbeatLine('13:00:30')], AS_OF, BUILT_IN_VOCABULARY, worker({ heartbeat: '13:00:20' })).db_after_last_logged_s).toBe(-10);
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
        expect(heartbeatGaps(W, shuffled, AS_OF, BUILT_IN_VOCABULARY)).toEqual(heartbeatGaps(W, lines, AS_OF, BUILT_IN_VOCABULARY));
        for (const g of heartbeatGaps(W, lines, AS_OF, BUILT_IN_VOCABULARY).gaps) expect(g.gap_s).toBeGreaterThan(40);
      }),
    );
  });
});

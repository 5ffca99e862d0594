/**
 * §2 Get worker logs. `logs` are the worker's lines (read by worker_id: its own and the
 * orchestrator's about it); the last line before silence is the last one the worker wrote itself.
 */
import { describe, expect, it } from 'vitest';
import { lastWorkerLine, levelRank, matchesFilter, toLogLine, workerLogs } from '../../src/analyses/worker-logs.js';
import { LOG_LEVELS } from '../../src/config/markers.js';
import { after, at, log } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('toLogLine', () => {
  it('keeps when, where from, level, task and text', () => {
    const line = log('13:00:00', 'Generation complete', { level: 'info', task: '7a5c0000-0000-4000-8000-000000000001', source: 'worker' });
    expect(toLogLine(line)).toEqual({
      timestamp: at('13:00:00'),
      source_type: 'worker',
      log_level: 'INFO',
      task_id: '7a5c0000-0000-4000-8000-000000000001',
      message: 'Generation complete',
    });
  });
});

describe('levelRank', () => {
  it('DEBUG < INFO < WARNING < ERROR < CRITICAL; a level outside the list ranks below all', () => {
    expect(LOG_LEVELS.map(levelRank)).toEqual([0, 1, 2, 3, 4]);
    expect(levelRank('NOTICE')).toBe(-1);
  });
});

describe('matchesFilter', () => {
  const warning = log('13:00:00', 'Low VRAM headroom', { level: 'WARNING' });
  const info = log('13:00:00', 'low vram check passed', { level: 'INFO' });
  const notice = log('13:00:00', 'odd level', { level: 'NOTICE' });

  it('no filter passes every line', () => {
    for (const l of [warning, info, notice]) expect(matchesFilter(l, {})).toBe(true);
  });

  it('a level is a minimum: the level itself and above pass', () => {
    expect(matchesFilter(warning, { level: 'WARNING' })).toBe(true);
    expect(matchesFilter(info, { level: 'WARNING' })).toBe(false);
    expect(matchesFilter(warning, { level: 'ERROR' })).toBe(false);
    expect(matchesFilter(notice, { level: 'DEBUG' })).toBe(false);
  });

  it('search is a case-insensitive substring; with a level, both must hold', () => {
    expect(matchesFilter(warning, { search: 'vram' })).toBe(true);
    expect(matchesFilter(info, { search: 'VRAM' })).toBe(true);
    expect(matchesFilter(info, { search: 'headroom' })).toBe(false);
    expect(matchesFilter(info, { search: 'VRAM', level: 'WARNING' })).toBe(false);
    expect(matchesFilter(warning, { search: 'VRAM', level: 'WARNING' })).toBe(true);
  });
});

describe('lastWorkerLine', () => {
  it('the last line the worker wrote in the order given (sorted input), skipping orchestrator lines', () => {
    const own = log('13:00:00', 'own');
    const orchestrator = log('13:05:00', 'Marking worker as error', { source: 'orchestrator_gpu' });
    expect(lastWorkerLine([log('12:00:00', 'first'), own, orchestrator])).toBe(own);
    expect(lastWorkerLine([orchestrator])).toBeUndefined();
    expect(lastWorkerLine([])).toBeUndefined();
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

  it('counts by level and by source over every line up to as-of, whatever the filter', () => {
    const r = workerLogs(W, logs, AS_OF, { level: 'ERROR', limit: 1 });
    expect(r.total).toBe(1);
    expect(r.total_unfiltered).toBe(4);
    expect(r.by_level).toEqual({ DEBUG: 1, WARNING: 1, INFO: 1, ERROR: 1 });
    expect(r.by_source_type).toEqual({ worker: 3, orchestrator_gpu: 1 });
    // The worker's own last line does not depend on the filter either.
    expect(r.last_worker_log?.message).toBe('Generation complete in 83.2s');
  });

  it('as-of cut-off: a line at as-of is read, a line a microsecond later is not', () => {
    const r = workerLogs(W, [log('14:00:00', 'at as-of'), log(after('14:00:00', 0.000001), 'just after')], AS_OF);
    expect(r.logs.map((l) => l.message)).toEqual(['at as-of']);
    expect(r.silence_s).toBe(0);
  });

  it('lines in time order, ties by id in code-unit order (not the locale\'s), whatever the input order', () => {
    const lines = [
      log('13:00:00', 'a', { id: 'b-line' }),
      log(after('12:59:59', 0.999999), 'first'),
      log('13:00:00', 'B', { id: 'B-line' }),
      log('13:00:00', 'c', { id: 'c-line' }),
    ];
    const expected = ['first', 'B', 'a', 'c'];
    expect(workerLogs(W, lines, AS_OF).logs.map((l) => l.message)).toEqual(expected);
    expect(workerLogs(W, [...lines].reverse(), AS_OF).logs.map((l) => l.message)).toEqual(expected);
    // The last worker line is the last of that order: `c-line`.
    expect(workerLogs(W, lines, AS_OF).last_worker_log?.message).toBe('c');
  });

  it('an orchestrator line at the same instant as the worker\'s last line is not "after" it', () => {
    const r = workerLogs(W, [log('13:00:00', 'own'), log('13:00:00', 'note', { source: 'orchestrator_api' }), log('13:00:01', 'later note', { source: 'orchestrator_gpu' })], AS_OF);
    expect(r.orchestrator_lines_after_last_worker_log).toBe(1);
  });

  it('only orchestrator lines: no last worker line, no silence, nothing after it', () => {
    const r = workerLogs(W, [log('13:00:00', 'Spawning pod', { source: 'orchestrator_gpu' })], AS_OF);
    expect(r).toMatchObject({ total: 1, last_worker_log: null, silence_s: null, orchestrator_lines_after_last_worker_log: 0 });
  });

  it('--limit 0 shows nothing; a limit over the total shows everything, oldest first', () => {
    expect(workerLogs(W, logs, AS_OF, { limit: 0 })).toMatchObject({ total: 4, logs: [] });
    expect(workerLogs(W, logs, AS_OF, { limit: 99 }).logs.map((l) => l.timestamp)).toEqual([at('13:00:00'), at('13:01:00'), at('13:02:00'), at('13:10:00')]);
  });
});

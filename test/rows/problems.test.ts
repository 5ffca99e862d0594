/** Malformed rows met during a command: collected once each, reported together. */
import { describe, expect, it } from 'vitest';
import { parseRows } from '../../src/rows/parse.js';
import { ProblemLog } from '../../src/rows/problems.js';

describe('ProblemLog', () => {
  it('keeps each problem once, in the order first met, as rows and as lines', () => {
    const bad = parseRows('system_logs', [{ id: 'l1', timestamp: 'yesterday', source_type: 'worker', log_level: 'INFO', message: 'x' }]).problems;
    const other = parseRows('workers', [{ id: 'w1', created_at: '2025-10-17T12:00:00Z', status: 7 }]).problems;
    const log = new ProblemLog();
    expect(log.size).toBe(0);
    log.add(bad);
    log.add(other);
    log.add(bad); // the same row read twice (e.g. by two checks)
    expect(log.size).toBe(2);
    expect(log.lines()).toEqual(['system_logs[id=l1].timestamp: expected an ISO-8601 instant', 'workers[id=w1].status: expected a text status']);
    expect(log.list()).toEqual([...bad, ...other]);
  });

  it('two problems of one row in different fields are two', () => {
    const log = new ProblemLog();
    log.add([
      { table: 'tasks', rowId: 't1', field: 'status', message: 'expected one of Queued, In Progress, Complete, Failed, Cancelled' },
      { table: 'tasks', rowId: 't1', field: 'created_at', message: 'missing (required instant)' },
    ]);
    expect(log.size).toBe(2);
  });
});

/** The one order of each table: instants numerically, ids in code-unit order (never the locale's). */
import { describe, expect, it } from 'vitest';
import { compareIds, compareLogs, compareTasks, groupByWorker, sortLogs } from '../../src/rows/order.js';
import { after, at, log, task } from '../support/rows.js';

describe('compareIds', () => {
  it('code-unit order: upper case before lower case, digits as text, accents after z', () => {
    const ids = ['b', 'a', 'B', 'é', 'z', '10', '9', 'A'];
    expect([...ids].sort(compareIds)).toEqual(['10', '9', 'A', 'B', 'a', 'b', 'z', 'é']);
    // The locale would put `a` before `B`; this order never does.
    expect(compareIds('B', 'a')).toBeLessThan(0);
    expect(compareIds('same', 'same')).toBe(0);
  });
});

describe('compareLogs and sortLogs', () => {
  it('by instant to the microsecond, then by id', () => {
    const early = log('13:00:00', 'early', { id: 'z' });
    const later = log(after('13:00:00', 0.000001), 'a microsecond later', { id: 'a' });
    const tieB = log('13:00:00', 'tie B', { id: 'B' });
    expect(compareLogs(early, later)).toBeLessThan(0);
    expect(compareLogs(tieB, early)).toBeLessThan(0);
    expect(compareLogs(early, early)).toBe(0);
    expect(sortLogs([later, early, tieB]).map((l) => l.message)).toEqual(['tie B', 'early', 'a microsecond later']);
  });

  it('sortLogs returns a sorted copy and leaves its input as it was', () => {
    const input = [log('13:00:01', 'second'), log('13:00:00', 'first')];
    const sorted = sortLogs(input);
    expect(sorted).not.toBe(input);
    expect(input.map((l) => l.message)).toEqual(['second', 'first']);
    expect(sorted.map((l) => l.message)).toEqual(['first', 'second']);
  });
});

describe('compareTasks', () => {
  it('by creation to the microsecond, then by id', () => {
    const tasks = [task({ id: 'b', created: '12:00:00' }), task({ id: 'a', created: after('12:00:00', 0.000001) }), task({ id: 'B', created: '12:00:00' })];
    expect([...tasks].sort(compareTasks).map((t) => t.id)).toEqual(['B', 'b', 'a']);
  });
});

describe('groupByWorker', () => {
  it('one group per worker_id in first-seen order, rows kept in input order; rows without a worker dropped', () => {
    const a1 = log('13:00:02', 'a1', { worker: 'w-a' });
    const b1 = log('13:00:01', 'b1', { worker: 'w-b' });
    const none = log('13:00:00', 'no worker', { worker: null });
    const a2 = log('13:00:00', 'a2', { worker: 'w-a' });
    const groups = groupByWorker([a1, b1, none, a2]);
    expect([...groups.keys()]).toEqual(['w-a', 'w-b']);
    expect(groups.get('w-a')).toEqual([a1, a2]);
    expect(groups.get('w-b')).toEqual([b1]);
    expect(groupByWorker([task({ worker: null }), task({ worker: 'w-c' })]).get('w-c')).toHaveLength(1);
  });
});

it('instants of the test day are what they say', () => {
  expect(at('13:00:00') - at('12:59:59')).toBe(1_000_000);
});

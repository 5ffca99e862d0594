/** The three tables as the schema page has them: statuses, and the columns each read selects. */
import { describe, expect, it } from 'vitest';
import { ERROR_STATUSES, isEndedStatus, SELECTED_COLUMNS, SystemLogRow, TASK_STATUSES, TaskRow, TERMINATED_STATUSES, WORKER_STATUSES_SEEN, WorkerRow } from '../../src/rows/schemas.js';
import { at } from '../support/rows.js';

describe('statuses', () => {
  it('the real task_status enum (no Completed), and the worker statuses seen', () => {
    expect(TASK_STATUSES).toEqual(['Queued', 'In Progress', 'Complete', 'Failed', 'Cancelled']);
    expect([...WORKER_STATUSES_SEEN].sort()).toEqual(['active', 'crashed', 'error', 'external', 'inactive', 'spawning', 'terminated', 'terminating']);
  });

  it('error/crashed end a life with a failure; terminating/terminated are shut down; the rest are neither', () => {
    expect([...ERROR_STATUSES].sort()).toEqual(['crashed', 'error']);
    expect([...TERMINATED_STATUSES].sort()).toEqual(['terminated', 'terminating']);
    const rest = WORKER_STATUSES_SEEN.filter((s) => !ERROR_STATUSES.has(s) && !TERMINATED_STATUSES.has(s));
    expect(rest).toEqual(['inactive', 'spawning', 'active', 'external']);
  });
});

describe('isEndedStatus', () => {
  it('error, crashed, terminating and terminated end a life; the live statuses and unknown ones do not', () => {
    for (const status of [...ERROR_STATUSES, ...TERMINATED_STATUSES]) expect(isEndedStatus(status), status).toBe(true);
    for (const status of ['active', 'spawning', 'external', 'inactive', 'unheard-of']) expect(isEndedStatus(status), status).toBe(false);
  });
});

describe('row schemas', () => {
  it('a worker: instants as epoch microseconds, NULL heartbeat, jsonb metadata given as text parsed', () => {
    const w = WorkerRow.parse({ id: 'gpu-1', created_at: '2025-10-17 12:00:00.5+00', last_heartbeat: null, status: 'active', metadata: '{"ram_tier": 24}' });
    expect(w).toEqual({ id: 'gpu-1', instance_type: null, created_at: at('12:00:00') + 500_000, last_heartbeat: null, status: 'active', metadata: { ram_tier: 24 } });
    expect(WorkerRow.safeParse({ id: 'gpu-1', created_at: '2025-10-17T12:00:00Z', status: 'active', metadata: '[1]' }).success).toBe(false);
  });

  it('a task: Completed read as Complete, anything outside the enum refused', () => {
    expect(TaskRow.parse({ id: 't', task_type: 'x', status: 'Completed', created_at: '2025-10-17T12:00:00Z' }).status).toBe('Complete');
    expect(TaskRow.safeParse({ id: 't', task_type: 'x', status: 'Done', created_at: '2025-10-17T12:00:00Z' }).success).toBe(false);
  });

  it('a log line: level upper-cased; a missing timestamp refused', () => {
    expect(SystemLogRow.parse({ id: 'l', timestamp: '2025-10-17T13:00:00Z', source_type: 'worker', log_level: 'warning', message: 'm' }).log_level).toBe('WARNING');
    expect(SystemLogRow.safeParse({ id: 'l', source_type: 'worker', log_level: 'INFO', message: 'm' }).success).toBe(false);
  });

  it('each read selects exactly the columns its schema has', () => {
    expect([...SELECTED_COLUMNS.workers].sort()).toEqual(Object.keys(WorkerRow.shape).sort());
    expect([...SELECTED_COLUMNS.tasks].sort()).toEqual(Object.keys(TaskRow.shape).sort());
    expect([...SELECTED_COLUMNS.system_logs].sort()).toEqual(Object.keys(SystemLogRow.shape).sort());
  });
});

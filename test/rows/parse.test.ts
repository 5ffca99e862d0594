import { describe, expect, it } from 'vitest';
import { formatRowProblem, parseRows } from '../../src/rows/parse.js';
import { gpuType, ramTier } from '../../src/rows/worker-metadata.js';

const goodLog = (id: string, timestamp = '2025-10-17T13:00:00.5+00:00') => ({
  id,
  timestamp,
  source_type: 'worker',
  log_level: 'info',
  message: 'hello',
  worker_id: 'gpu-1',
});

describe('parseRows', () => {
  it('skips malformed rows with table, id and field, and keeps every good row', () => {
    const raw = [
      goodLog('a'),
      goodLog('b', 'not a time'),
      { ...goodLog('c'), id: undefined },
      { ...goodLog('d'), message: 42 },
      goodLog('e'),
      'not even an object',
    ];
    const { rows, problems } = parseRows('system_logs', raw);
    expect(rows.map((r) => r.id)).toEqual(['a', 'e']);
    expect(problems.map(formatRowProblem)).toEqual([
      'system_logs[id=b].timestamp: expected an ISO-8601 instant',
      'system_logs[id=#2].id: missing id',
      'system_logs[id=d].message: expected a text message',
      'system_logs[id=#5].(row): expected an object',
    ]);
  });

  it('never repeats the offending value (it may be log text or a secret)', () => {
    const { problems } = parseRows('system_logs', [goodLog('x', 'eyJhbGciOiJIUzI1NiJ9.secret')]);
    expect(JSON.stringify(problems)).not.toContain('eyJ');
  });

  it('reads Complete and Completed as one state, and rejects statuses outside the enum', () => {
    const base = { task_type: 't', created_at: '2025-10-17T13:00:00+00:00' };
    const { rows, problems } = parseRows('tasks', [
      { ...base, id: '1', status: 'Complete' },
      { ...base, id: '2', status: 'Completed' },
      { ...base, id: '3', status: 'Done' },
    ]);
    expect(rows.map((r) => r.status)).toEqual(['Complete', 'Complete']);
    expect(problems[0]?.rowId).toBe('3');
    expect(problems[0]?.field).toBe('status');
  });

  it('takes NULL metadata, {} and missing keys; NULL last_heartbeat; unselected columns as null', () => {
    const { rows, problems } = parseRows('workers', [
      { id: 'w1', created_at: '2025-10-17 12:00:00+00', status: 'spawning', metadata: null, last_heartbeat: null },
      { id: 'w2', created_at: '2025-10-17T12:00:00Z', status: 'active', metadata: {} },
      { id: 'w3', created_at: '2025-10-17T12:00:00Z', status: 'active', metadata: '{"ram_tier": "48", "pod_details": {"gpu_type_id": "NVIDIA L40S"}}' },
    ]);
    expect(problems).toEqual([]);
    expect(rows.map((w) => [ramTier(w), gpuType(w), w.last_heartbeat, w.instance_type])).toEqual([
      [null, null, null, null],
      [null, null, null, null],
      [48, 'NVIDIA L40S', null, null],
    ]);
  });

  it('upper-cases log levels', () => {
    expect(parseRows('system_logs', [goodLog('a')]).rows[0]?.log_level).toBe('INFO');
  });
});

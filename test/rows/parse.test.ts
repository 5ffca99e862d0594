import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRowProblem, parseRows } from '../../src/rows/parse.js';
import { SystemLogRow } from '../../src/rows/schemas.js';
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

describe('the fast path for system_logs rows', () => {
  // Values of every kind a column might hold, valid or not.
  const anyValue = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string(),
    fc.constantFrom('', 'gpu-1', 'worker', 'info', 'WARNING', '2025-10-17T13:00:00.5+00:00', '2025-10-17 13:00:00+00', '2025-13-01T00:00:00Z', 'nope'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant({}),
    fc.date({ noInvalidDate: false }),
  );
  const KEYS = ['id', 'timestamp', 'source_type', 'source_id', 'log_level', 'message', 'task_id', 'worker_id', 'cycle_number', 'extra'] as const;
  // A valid row with a few of its fields replaced by anything (or removed): most rows are then
  // one field away from valid, where a fast path and the schema could disagree.
  const validLog = fc.record({
    id: fc.string({ minLength: 1 }),
    timestamp: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    source_type: fc.constantFrom('worker', 'orchestrator_gpu'),
    source_id: fc.option(fc.string(), { nil: null }),
    log_level: fc.constantFrom('info', 'WARNING', 'Error'),
    message: fc.string(),
    task_id: fc.option(fc.uuid(), { nil: null }),
    worker_id: fc.option(fc.string(), { nil: null }),
    cycle_number: fc.option(fc.integer(), { nil: null }),
  });
  const rawLog = fc
    .tuple(validLog, fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 3 }), fc.subarray([...KEYS], { maxLength: 2 }))
    .map(([row, overrides, removed]) => {
      const raw: Record<string, unknown> = { ...row, ...overrides };
      for (const key of removed) delete raw[key];
      return raw;
    });

  it('returns exactly what the zod schema returns, for any row (property)', () => {
    fc.assert(
      fc.property(rawLog, (raw) => {
        const zod = SystemLogRow.safeParse(raw);
        const { rows, problems } = parseRows('system_logs', [raw]);
        if (zod.success) {
          expect(problems).toEqual([]);
          expect(rows).toEqual([zod.data]);
          expect(Object.keys(rows[0]!)).toEqual(Object.keys(zod.data));
        } else {
          expect(rows).toEqual([]);
          expect(problems).toHaveLength(1);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

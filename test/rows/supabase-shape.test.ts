/** Normalised rows back to the JSON Supabase returns, for snapshots: read back, the very same rows. */
import { describe, expect, it } from 'vitest';
import { parseRows } from '../../src/rows/parse.js';
import { logToSupabase, taskToSupabase, workerToSupabase } from '../../src/rows/supabase-shape.js';
import { after, at, log, task, worker } from '../support/rows.js';

describe('rows as Supabase returns them', () => {
  it('a worker: instants as PostgREST prints them, NULL heartbeat and NULL metadata kept', () => {
    const w = worker({ id: 'gpu-1', created: after('12:00:00', 0.1234), heartbeat: null, metadata: null });
    expect(workerToSupabase(w)).toEqual({
      id: 'gpu-1',
      instance_type: 'runpod',
      created_at: '2025-10-17T12:00:00.1234+00:00',
      last_heartbeat: null,
      status: 'active',
      metadata: null,
    });
    expect(parseRows('workers', [workerToSupabase(w)]).rows).toEqual([w]);
  });

  it('a task: every instant column, the canonical status (Completed is written back as Complete)', () => {
    const t = task({ id: 't1', status: 'Completed', created: '12:10:00', started: after('12:10:05', 0.000001), processed: '12:11:00', error: null });
    const raw = taskToSupabase(t);
    expect(raw).toMatchObject({
      status: 'Complete',
      created_at: '2025-10-17T12:10:00+00:00',
      generation_started_at: '2025-10-17T12:10:05.000001+00:00',
      generation_processed_at: '2025-10-17T12:11:00+00:00',
      updated_at: null,
    });
    expect(parseRows('tasks', [raw]).rows).toEqual([t]);
  });

  it('a log line, with and without a worker and a task', () => {
    for (const l of [log('13:00:00', '🔄 MODEL SWITCH: a -> b'), log(after('13:00:00', 0.5), 'Spawning', { worker: null, source: 'orchestrator_api', task: '7a5c0000-0000-4000-8000-000000000001' })]) {
      const raw = logToSupabase(l);
      expect(raw['timestamp']).toMatch(/\+00:00$/);
      expect(parseRows('system_logs', [raw]).rows).toEqual([l]);
    }
    expect(logToSupabase(log('13:00:00', 'x'))['timestamp']).toBe('2025-10-17T13:00:00+00:00');
    expect(at('13:00:00')).toBe(parseRows('system_logs', [logToSupabase(log('13:00:00', 'x'))]).rows[0]?.timestamp);
  });
});

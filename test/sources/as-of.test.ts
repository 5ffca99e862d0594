/**
 * The as-of view with `updated_at` bounds (issue 11, `health` and `errors`): a task finished after
 * the as-of had not finished then, so a window ending at the as-of leaves it out even when the
 * database's current row says Complete; one finished before stays in.
 */
import { describe, expect, it } from 'vitest';
import { asOfView } from '../../src/sources/as-of.js';
import { MemorySource } from '../../src/sources/memory.js';
import { parseInstant } from '../../src/rows/time.js';

const at = (time: string) => parseInstant(`2025-10-17T${time}Z`)!;
const row = (id: string, status: string, updated: string | null) => ({
  id,
  task_type: 'travel_segment',
  status,
  worker_id: 'gpu-20251017_120000-aaaaaaaa',
  attempts: 1,
  error_message: status === 'Failed' ? 'boom' : null,
  created_at: '2025-10-17T12:00:00Z',
  updated_at: updated === null ? null : `2025-10-17T${updated}Z`,
  generation_started_at: '2025-10-17T12:00:10Z',
  generation_processed_at: status === 'Complete' && updated !== null ? `2025-10-17T${updated}Z` : null,
});
const source = new MemorySource(
  {
    workers: [],
    tasks: [
      row('11111111-1111-4111-8111-111111111111', 'Complete', '13:10:00'),
      row('22222222-2222-4222-8222-222222222222', 'Failed', '13:20:00'),
      row('33333333-3333-4333-8333-333333333333', 'Complete', '13:40:00'), // after the as-of below
      row('44444444-4444-4444-8444-444444444444', 'In Progress', null),
    ],
    system_logs: [],
  },
  { kind: 'snapshot', label: 'test', frozenAt: at('14:00:00') },
);

describe('asOfView: updated_at bounds', () => {
  const query = { statuses: ['Complete', 'Failed'] as const, updatedFrom: at('13:00:00'), updatedTo: at('13:30:00') };

  it('at the data instant: the rows as they are', async () => {
    const rows = (await asOfView(source, at('14:00:00'), at('14:00:00')).tasks({ ...query, statuses: [...query.statuses] })).rows;
    expect(rows.map((t) => t.id[0])).toEqual(['1', '2']);
  });

  it('replaying 13:30: the task finished at 13:40 was In Progress then, outside any updated_at bound', async () => {
    const view = asOfView(source, at('13:30:00'), at('14:00:00'));
    expect((await view.tasks({ ...query, statuses: [...query.statuses] })).rows.map((t) => t.id[0])).toEqual(['1', '2']);
    expect((await view.tasks({ updatedFrom: at('13:00:00') })).rows.map((t) => t.id[0])).toEqual(['1', '2']);
    expect((await view.tasks({ statuses: ['In Progress'] })).rows.map((t) => t.id[0])).toEqual(['3', '4']);
  });
});

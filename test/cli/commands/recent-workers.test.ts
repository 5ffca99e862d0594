/** `recent` (§8): its printer over fixed results made from hand-built worker rows. */
import { describe, expect, it } from 'vitest';
import { recentWorkers } from '../../../src/analyses/recent-workers.js';
import { printRecent } from '../../../src/cli/commands/recent-workers.js';
import type { Worker } from '../../../src/rows/schemas.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { at, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const recentOf = (workers: Worker[]) => ({ as_of: AS_OF, ...recentWorkers(workers, hoursWindow(AS_OF, 6), AS_OF) });

describe('printRecent', () => {
  it('newest first, with band, age, RAM tier and GPU; unknown RAM and GPU marked', async () => {
    const text = printRecent(
      recentOf([
        worker({ id: 'gpu-20251017_090000-00000001', created: '09:00:00', status: 'terminated', heartbeat: '11:00:00' }),
        worker({ id: 'gpu-20251017_133000-00000002', created: '13:30:00', heartbeat: '13:59:50', metadata: { ram_tier: 48, pod_details: { gpu_type_id: 'NVIDIA L40S' } } }),
        worker({ id: 'gpu-20251017_135500-00000003', created: '13:55:00', heartbeat: null, metadata: null }),
        worker({ id: 'gpu-20251017_060000-00000004', created: '06:00:00', heartbeat: '07:00:00' }),
      ]),
    );
    await expect(text.join('\n')).toMatchFileSnapshot('./output/recent-window.txt');
    expect(text[0]).toBe('WORKERS CREATED 2025-10-17T08:00:00.000Z – 2025-10-17T14:00:00.000Z: 3');
  });

  it('no worker in the window', async () => {
    expect(printRecent(recentOf([]))).toEqual(['WORKERS CREATED 2025-10-17T08:00:00.000Z – 2025-10-17T14:00:00.000Z: 0', '  (none)']);
  });
});

/** `active` (§7): its printer over fixed results made from hand-built worker rows. */
import { describe, expect, it } from 'vitest';
import { activeWorkers } from '../../../src/analyses/active-workers.js';
import { printActive } from '../../../src/cli/commands/active-workers.js';
import type { Worker } from '../../../src/rows/schemas.js';
import { at, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const activeOf = (workers: Worker[]) => ({ as_of: AS_OF, ...activeWorkers(workers, AS_OF) });

describe('printActive', () => {
  it('one worker per band, worst first, every band counted', async () => {
    const text = printActive(
      activeOf([
        worker({ id: 'gpu-20251017_120000-00000001', heartbeat: '13:59:50' }),
        worker({ id: 'gpu-20251017_120000-00000002', heartbeat: '13:58:00' }),
        worker({ id: 'gpu-20251017_120000-00000003', heartbeat: '13:03:00' }),
        worker({ id: 'gpu-20251017_135500-00000004', created: '13:55:00', heartbeat: null }),
        worker({ id: 'gpu-20251017_110000-00000005', status: 'terminated', heartbeat: '11:30:00' }),
      ]),
    );
    await expect(text.join('\n')).toMatchFileSnapshot('./output/active-bands.txt');
    expect(text[0]).toBe('ACTIVE WORKERS: 4 (1 alive, 1 aging, 1 dead, 1 never)');
  });

  it('no active worker: the zeros are said, the table is empty', async () => {
    const text = printActive(activeOf([]));
    expect(text).toEqual(['ACTIVE WORKERS: 0 (0 alive, 0 aging, 0 dead, 0 never)', '  (none)']);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/active-none.txt');
  });
});

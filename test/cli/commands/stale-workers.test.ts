/** `stale` (§9): its printer over fixed results made from hand-built worker rows. */
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../../src/config/thresholds.js';
import { staleWorkers } from '../../../src/analyses/stale-workers.js';
import { printStale } from '../../../src/cli/commands/stale-workers.js';
import type { Worker } from '../../../src/rows/schemas.js';
import { at, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const staleOf = (workers: Worker[], thresholdS?: number) => ({ as_of: AS_OF, ...staleWorkers(workers, AS_OF, thresholdS) });

describe('printStale', () => {
  const fleet = [
    worker({ id: 'gpu-20251017_120000-00000001', heartbeat: '13:59:50' }),
    worker({ id: 'gpu-20251017_120000-00000002', heartbeat: '13:57:00' }),
    worker({ id: 'gpu-20251017_120000-00000003', heartbeat: '13:03:00' }),
    worker({ id: 'gpu-20251017_135000-00000004', created: '13:50:00', heartbeat: null }),
  ];

  it('stale workers, the one past the orchestrator’s own limit noted; then the ones that never beat', async () => {
    const text = printStale(staleOf(fleet));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/stale-default.txt');
    expect(text[0]).toBe('WORKERS WITH STALE HEARTBEATS (> 5.0 min): 1');
    const notes = text.filter((l) => l.includes(`past the orchestrator’s ${THRESHOLDS.orchestratorStaleHeartbeatS} s limit`));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('gpu-20251017_120000-00000003');
  });

  it('a shorter threshold (--minutes 2) catches more; none that never beat', async () => {
    const text = printStale(staleOf(fleet.slice(0, 3), 120));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/stale-two-minutes.txt');
    expect(text[0]).toBe('WORKERS WITH STALE HEARTBEATS (> 2.0 min): 2');
    expect(text.slice(-2)).toEqual(['ACTIVE WORKERS THAT NEVER SENT A HEARTBEAT: 0', '  (none)']);
  });
});

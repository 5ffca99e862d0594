/** `status` (§1): its printer over fixed results made from hand-built worker rows. */
import { describe, expect, it } from 'vitest';
import { workerStatus } from '../../../src/analyses/worker-status.js';
import { printStatus } from '../../../src/cli/commands/worker-status.js';
import type { Worker } from '../../../src/rows/schemas.js';
import { at, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const statusOf = (w: Worker) => ({ as_of: AS_OF, ...workerStatus(w, AS_OF) });

describe('printStatus', () => {
  it('a live worker with full metadata: band, lifetime, RAM, GPU, phase and VRAM', async () => {
    const result = statusOf(
      worker({
        id: 'gpu-20251017_120000-aaaaaaaa',
        heartbeat: '13:59:50',
        metadata: { ram_tier: 48, startup_phase: 'ready', vram_used_mb: 20480, vram_total_mb: 46068, pod_details: { gpu_type_id: 'NVIDIA L40S' } },
      }),
    );
    const text = printStatus(result);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/status-alive.txt');
    expect(text.find((l) => l.includes('Heartbeat band'))).toMatch(/✅ alive$/);
  });

  it('a worker that never beat, with NULL metadata: every unknown spelled out', async () => {
    const text = printStatus(statusOf(worker({ id: 'gpu-20251017_135500-bbbbbbbb', created: '13:55:00', heartbeat: null, metadata: null })));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/status-never.txt');
    expect(text.find((l) => l.includes('Last DB heartbeat'))).toMatch(/never$/);
    expect(text.find((l) => l.includes('Lifetime'))).toMatch(/ –$/);
    expect(text.find((l) => l.includes('Metadata'))).toMatch(/NULL$/);
  });

  it('a worker the orchestrator marked error: the dead band and its error code and reason', async () => {
    const result = statusOf(
      worker({
        id: 'gpu-20251017_120000-cccccccc',
        status: 'error',
        heartbeat: '13:03:00',
        metadata: { ram_tier: 32, error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'heartbeat stale for 605s', vram_used_mb: 23000 },
      }),
    );
    const text = printStatus(result);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/status-error.txt');
    expect(text.find((l) => l.includes('Heartbeat band'))).toMatch(/❌ dead$/);
  });
});

/** §1 Check worker status & heartbeat, on hand-built worker rows. */
import { describe, expect, it } from 'vitest';
import { workerStatus } from '../../src/analyses/worker-status.js';
import { after, at, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');

describe('§1 workerStatus', () => {
  it.each([
    ['13:59:01', 'alive', 59],
    ['13:59:00', 'aging', 60],
    ['13:55:01', 'aging', 299],
    ['13:55:00', 'dead', 300],
  ])('heartbeat at %s is %s', (hb, state, age) => {
    const s = workerStatus(worker({ heartbeat: hb }), AS_OF);
    expect(s.heartbeat_state).toBe(state);
    expect(s.heartbeat_age_s).toBe(age);
  });

  it('handles NULL heartbeat and NULL metadata (the guide crashes on both)', () => {
    const s = workerStatus(worker({ heartbeat: null, metadata: null }), AS_OF);
    expect(s).toMatchObject({ heartbeat_state: 'never', heartbeat_age_s: null, last_heartbeat: null, ram_tier: null, gpu_type: null, has_metadata: false, lifetime_s: null });
  });

  it('reads RAM tier, GPU and the orchestrator error from metadata', () => {
    const s = workerStatus(
      worker({ metadata: { ram_tier: 64, pod_details: { gpu_type_id: 'NVIDIA L40S' }, error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'stale' } }),
      AS_OF,
    );
    expect(s).toMatchObject({ ram_tier: 64, gpu_type: 'NVIDIA L40S', error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'stale' });
  });

  it('the whole record of a worker with every metadata key the schema page lists', () => {
    const w = worker({
      id: 'gpu-20251017_130952-95cd7f4c',
      status: 'active',
      created: '13:09:52',
      heartbeat: after('13:59:30', 0.5),
      metadata: {
        ram_tier: '48',
        pod_details: { gpu_type_id: 'NVIDIA RTX A6000' },
        startup_phase: 'ready',
        vram_used_mb: 20480,
        vram_total_mb: '49140',
        runpod_id: 'abc123',
      },
    });
    expect(workerStatus(w, AS_OF)).toEqual({
      id: 'gpu-20251017_130952-95cd7f4c',
      status: 'active',
      instance_type: 'runpod',
      created_at: at('13:09:52'),
      last_heartbeat: at('13:59:30') + 500_000,
      heartbeat_age_s: 29.5,
      heartbeat_state: 'alive',
      lifetime_s: 50 * 60 - 21.5,
      ram_tier: 48, // a numeric string is read as a number
      gpu_type: 'NVIDIA RTX A6000',
      startup_phase: 'ready',
      vram_used_mb: 20480,
      vram_total_mb: 49140,
      error_code: null,
      error_reason: null,
      has_metadata: true,
    });
  });

  it('`{}` metadata is present but says nothing; odd values read as unknown', () => {
    expect(workerStatus(worker({ metadata: {} }), AS_OF)).toMatchObject({ has_metadata: true, ram_tier: null, gpu_type: null, startup_phase: null, vram_used_mb: null, error_code: null });
    const odd = workerStatus(worker({ metadata: { ram_tier: 'lots', pod_details: 'NVIDIA L4', startup_phase: '' } }), AS_OF);
    expect(odd).toMatchObject({ ram_tier: null, gpu_type: null, startup_phase: null });
  });

  it('lifetime is creation to the last DB heartbeat (not to as-of), and status is kept as written', () => {
    const s = workerStatus(worker({ status: 'crashed', created: '12:00:00', heartbeat: '12:30:00' }), AS_OF);
    expect(s).toMatchObject({ status: 'crashed', lifetime_s: 1800, heartbeat_age_s: 5400, heartbeat_state: 'dead' });
  });
});

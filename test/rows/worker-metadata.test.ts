/**
 * Readers of `workers.metadata` (schema page): NULL, `{}`, or any key missing must read as unknown,
 * where the guide's `metadata.get('ram_tier')` would crash on NULL.
 */
import { describe, expect, it } from 'vitest';
import { errorCode, errorReason, gpuType, ramTier, startupPhase, vramTotalMb, vramUsedMb } from '../../src/rows/worker-metadata.js';

const of = (metadata: Record<string, unknown> | null) => ({ metadata });
const READERS = { ramTier, gpuType, errorCode, errorReason, startupPhase, vramTotalMb, vramUsedMb };

describe('worker metadata readers', () => {
  it('every reader gives null on NULL metadata and on `{}`', () => {
    for (const read of Object.values(READERS)) {
      expect(read(of(null))).toBeNull();
      expect(read(of({}))).toBeNull();
    }
  });

  it('the values the schema page lists', () => {
    const m = of({
      ram_tier: 64,
      pod_details: { gpu_type_id: 'NVIDIA GeForce RTX 4090' },
      error_code: 'STALE_HEARTBEAT_ACTIVE_TASK',
      error_reason: 'heartbeat stale for 605s with a task in progress',
      startup_phase: 'worker_starting',
      vram_total_mb: 24564,
      vram_used_mb: 23010.5,
    });
    expect(Object.fromEntries(Object.entries(READERS).map(([name, read]) => [name, read(m)]))).toEqual({
      ramTier: 64,
      gpuType: 'NVIDIA GeForce RTX 4090',
      errorCode: 'STALE_HEARTBEAT_ACTIVE_TASK',
      errorReason: 'heartbeat stale for 605s with a task in progress',
      startupPhase: 'worker_starting',
      vramTotalMb: 24564,
      vramUsedMb: 23010.5,
    });
  });

  it('numbers given as text are read; anything else that is not a finite number is unknown', () => {
    expect(ramTier(of({ ram_tier: '32' }))).toBe(32);
    expect(ramTier(of({ ram_tier: ' 48 ' }))).toBe(48);
    for (const value of ['', ' ', 'lots', null, true, [32], { gb: 32 }]) expect(ramTier(of({ ram_tier: value }))).toBeNull();
    expect(vramUsedMb(of({ vram_used_mb: 'NaN' }))).toBeNull();
    expect(vramTotalMb(of({ vram_total_mb: 'Infinity' }))).toBeNull();
  });

  it('text readers take non-empty text only', () => {
    expect(errorCode(of({ error_code: '' }))).toBeNull();
    expect(errorCode(of({ error_code: 42 }))).toBeNull();
    expect(startupPhase(of({ startup_phase: ['ready'] }))).toBeNull();
    expect(errorReason(of({ error_reason: 'x' }))).toBe('x');
  });

  it('the GPU is read from pod_details only when it is an object with a text gpu_type_id (newer rows have none)', () => {
    for (const pod of [null, 'NVIDIA L4', ['NVIDIA L4'], {}, { gpu_type_id: '' }, { gpu_type_id: 7 }]) expect(gpuType(of({ pod_details: pod }))).toBeNull();
    expect(gpuType(of({ gpu_type_id: 'NVIDIA L4' }))).toBeNull();
  });

  it('keys inherited from Object.prototype are not metadata', () => {
    expect(errorCode(of(Object.create({ error_code: 'INHERITED' }) as Record<string, unknown>))).toBeNull();
  });
});

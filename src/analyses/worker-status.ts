/** §1 Check worker status & heartbeat. */
import type { Worker } from '../rows/schemas.js';
import { errorCode, errorReason, gpuType, ramTier, startupPhase, vramTotalMb, vramUsedMb } from '../rows/worker-metadata.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { heartbeatOf, type HeartbeatState } from './heartbeat.js';

export interface WorkerStatus {
  id: string;
  status: string;
  instance_type: string | null;
  created_at: Instant;
  last_heartbeat: Instant | null;
  heartbeat_age_s: number | null;
  heartbeat_state: HeartbeatState;
  /** From creation to the last DB heartbeat: how long it lived (so far). */
  lifetime_s: number | null;
  ram_tier: number | null;
  gpu_type: string | null;
  startup_phase: string | null;
  vram_used_mb: number | null;
  vram_total_mb: number | null;
  error_code: string | null;
  error_reason: string | null;
  /** False when `metadata` is NULL (the guide's `metadata.get` would crash on it). */
  has_metadata: boolean;
}

export function workerStatus(worker: Worker, asOf: Instant): WorkerStatus {
  const heartbeat = heartbeatOf(worker, asOf);
  return {
    id: worker.id,
    status: worker.status,
    instance_type: worker.instance_type,
    created_at: worker.created_at,
    last_heartbeat: worker.last_heartbeat,
    heartbeat_age_s: heartbeat.age_s,
    heartbeat_state: heartbeat.state,
    lifetime_s: worker.last_heartbeat === null ? null : secondsBetween(worker.created_at, worker.last_heartbeat),
    ram_tier: ramTier(worker),
    gpu_type: gpuType(worker),
    startup_phase: startupPhase(worker),
    vram_used_mb: vramUsedMb(worker),
    vram_total_mb: vramTotalMb(worker),
    error_code: errorCode(worker),
    error_reason: errorReason(worker),
    has_metadata: worker.metadata !== null,
  };
}

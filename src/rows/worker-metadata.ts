/**
 * Readers for `workers.metadata`, which may be NULL, `{}`, or lack any key (schema page): the
 * guide's `metadata.get('ram_tier')` crashes on NULL; these return null instead.
 */
import type { Worker } from './schemas.js';

type Metadata = Record<string, unknown> | null;

function field(metadata: Metadata, key: string): unknown {
  return metadata && Object.prototype.hasOwnProperty.call(metadata, key) ? metadata[key] : undefined;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function asText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** RAM tier in GB. */
export function ramTier(worker: Pick<Worker, 'metadata'>): number | null {
  return asNumber(field(worker.metadata, 'ram_tier'));
}

/** `metadata.pod_details.gpu_type_id`, e.g. `NVIDIA GeForce RTX 4090`. */
export function gpuType(worker: Pick<Worker, 'metadata'>): string | null {
  const pod = field(worker.metadata, 'pod_details');
  if (pod === null || typeof pod !== 'object' || Array.isArray(pod)) return null;
  return asText((pod as Record<string, unknown>)['gpu_type_id']);
}

/** Set by the orchestrator when it gives up on a worker, e.g. `STALE_HEARTBEAT_ACTIVE_TASK`. */
export function errorCode(worker: Pick<Worker, 'metadata'>): string | null {
  return asText(field(worker.metadata, 'error_code'));
}

export function errorReason(worker: Pick<Worker, 'metadata'>): string | null {
  return asText(field(worker.metadata, 'error_reason'));
}

/** `deps_installing`, `deps_verified`, `worker_starting`, `ready`. */
export function startupPhase(worker: Pick<Worker, 'metadata'>): string | null {
  return asText(field(worker.metadata, 'startup_phase'));
}

export function vramTotalMb(worker: Pick<Worker, 'metadata'>): number | null {
  return asNumber(field(worker.metadata, 'vram_total_mb'));
}

export function vramUsedMb(worker: Pick<Worker, 'metadata'>): number | null {
  return asNumber(field(worker.metadata, 'vram_used_mb'));
}

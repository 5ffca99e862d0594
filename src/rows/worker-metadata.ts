/**
 * Readers for `workers.metadata`, which may be NULL, `{}`, or lack any key (schema page): the
 * guide's `metadata.get('ram_tier')` crashes on NULL; these return null instead.
 */
import type { Worker } from './schemas.js';
import { parseInstant, type Instant } from './time.js';

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

/** `error_time`: when the orchestrator recorded its verdict (an ISO-8601 instant, or epoch seconds). */
export function errorTime(worker: Pick<Worker, 'metadata'>): Instant | null {
  const value = field(worker.metadata, 'error_time');
  if (typeof value === 'string') return parseInstant(value);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1_000_000);
  return null;
}

/** `diagnostics`: what the orchestrator saw when it gave up (VRAM, running tasks, pod status, uptime). */
export function diagnostics(worker: Pick<Worker, 'metadata'>): Record<string, unknown> | null {
  const value = field(worker.metadata, 'diagnostics');
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Set by a worker that exited on its own (a clean exit). */
export function selfTerminated(worker: Pick<Worker, 'metadata'>): boolean {
  const value = field(worker.metadata, 'self_terminated');
  return value === true || value === 'true';
}

/** Why a worker was terminated cleanly (scale-down, idle timeout), when recorded. */
export function terminationReason(worker: Pick<Worker, 'metadata'>): string | null {
  return asText(field(worker.metadata, 'termination_reason'));
}

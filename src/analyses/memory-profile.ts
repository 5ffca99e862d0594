/**
 * §14 Memory profile check, and the worker's memory evidence. The guide recognised only "Profile 3"
 * and "Profile 4" in a "Memory Profile" line; the profile number is read here by the vocabulary's
 * `memory_profile` family (`profile` group), whatever the version wrote (later versions set it at
 * start-up by `--wgp-profile N`). The worker's last memory-profile line wins (the one in force when
 * it died). Later versions also log `[RAM] <label>: Process=…MB … | System=…% used, …GB/…GB
 * available` samples (the `ram` family), and the heartbeat merges VRAM figures into `metadata`.
 */
import type { Vocabulary } from '../config/vocabulary.js';
import { isFamilyLine, readFamilyValues } from '../config/vocabulary.js';
import { sortLogs } from '../rows/order.js';
import type { SystemLog, Worker } from '../rows/schemas.js';
import type { EvidenceLine } from '../rows/signals.js';
import type { Instant } from '../rows/time.js';
import { vramTotalMb, vramUsedMb } from '../rows/worker-metadata.js';
import type { Coverage } from './coverage.js';

/** One `[RAM]` sample; a field its line (or a markers file's expression) does not give is null. */
export interface RamSample {
  at: Instant;
  label: string | null;
  process_mb: number | null;
  system_used_pct: number | null;
  available_gb: number | null;
  total_gb: number | null;
}

export interface MemoryProfile {
  worker_id: string;
  memory_profile: number | null;
  line: string | null;
  at: Instant | null;
  /** Every `[RAM]` sample, oldest first. */
  ram_samples: RamSample[];
  /** From the heartbeat's metadata (null when it carries none). */
  vram: { used_mb: number | null; total_mb: number | null } | null;
  coverage: Coverage;
}

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** The profile number a memory-profile line names (null when it names none). */
export function parseMemoryProfile(message: string, vocabulary: Vocabulary): number | null {
  for (const reader of vocabulary.families.memory_profile.readers) {
    const profile = reader.exec(message)?.groups?.['profile'];
    if (profile !== undefined) return numberOrNull(profile);
  }
  return null;
}

/** A `[RAM]` line as a sample (null when the line is not one). */
export function parseRam(line: Pick<EvidenceLine, 'timestamp' | 'message'>, vocabulary: Vocabulary): RamSample | null {
  const values = readFamilyValues(vocabulary, 'ram', line.message);
  if (values === null) return null;
  return {
    at: line.timestamp,
    label: values['label']?.trim() || null,
    process_mb: numberOrNull(values['process_mb']),
    system_used_pct: numberOrNull(values['system_used_pct']),
    available_gb: numberOrNull(values['available_gb']),
    total_gb: numberOrNull(values['total_gb']),
  };
}

/** The worker's `[RAM]` samples up to as-of, oldest first. */
export function ramSamples(logs: readonly SystemLog[], asOf: Instant, vocabulary: Vocabulary): RamSample[] {
  return sortLogs(logs.filter((l) => l.timestamp <= asOf && isFamilyLine(vocabulary, 'ram', l))).flatMap((l) => parseRam(l, vocabulary) ?? []);
}

export function memoryProfile(
  workerId: string,
  logs: readonly SystemLog[],
  asOf: Instant,
  vocabulary: Vocabulary,
  worker: Pick<Worker, 'metadata'> | null = null,
): MemoryProfile {
  const own = sortLogs(logs.filter((l) => l.worker_id === workerId && l.timestamp <= asOf));
  const profileLines = own.filter((l) => isFamilyLine(vocabulary, 'memory_profile', l));
  const line = profileLines.at(-1) ?? null;
  const samples = ramSamples(own, asOf, vocabulary);
  const used = worker ? vramUsedMb(worker) : null;
  const total = worker ? vramTotalMb(worker) : null;
  return {
    worker_id: workerId,
    memory_profile: line ? parseMemoryProfile(line.message, vocabulary) : null,
    line: line?.message ?? null,
    at: line ? line.timestamp : null,
    ram_samples: samples,
    vram: used === null && total === null ? null : { used_mb: used, total_mb: total },
    coverage: { memory_profile: profileLines.length, ram: samples.length },
  };
}

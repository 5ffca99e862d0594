/**
 * §14 Memory profile check. The guide recognised only "Profile 3" and "Profile 4"; any profile
 * number is read here. The worker's last memory-profile line wins (the one in force when it died).
 */
import { iso, type IsoInstant } from './format.js';
import type { EvidenceLine } from '../rows/signals.js';

export interface MemoryProfile {
  worker_id: string;
  memory_profile: number | null;
  line: string | null;
  at: IsoInstant | null;
}

const PROFILE_NUMBER = /profile\s*[#:=]?\s*(\d+)/i;

export function parseMemoryProfile(message: string): number | null {
  const match = PROFILE_NUMBER.exec(message);
  return match ? Number(match[1]) : null;
}

export function memoryProfile(workerId: string, line: EvidenceLine | null): MemoryProfile {
  return {
    worker_id: workerId,
    memory_profile: line ? parseMemoryProfile(line.message) : null,
    line: line?.message ?? null,
    at: line ? iso(line.timestamp) : null,
  };
}

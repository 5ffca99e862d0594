/**
 * §14 Memory profile check. The guide recognised only "Profile 3" and "Profile 4"; any profile
 * number is read here. The worker's last memory-profile line wins (the one in force when it died).
 */
import type { EvidenceLine } from '../rows/signals.js';
import type { Instant } from '../rows/time.js';

export interface MemoryProfile {
  worker_id: string;
  memory_profile: number | null;
  line: string | null;
  at: Instant | null;
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
    at: line ? line.timestamp : null,
  };
}

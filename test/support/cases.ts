/** Hand-built WorkerCases for the fleet analyses (§12 and the crash-timing comparison). */
import type { WorkerCase } from '../../src/analyses/cases.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { SystemLog } from '../../src/rows/schemas.js';
import type { Instant } from '../../src/rows/time.js';
import { after, at, heartbeatLine, log, task, worker } from './rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

/** A worker id of a hand-built fleet, distinct per `n`. */
export const fleetId = (n: number) => `gpu-20251017_1${String(n).padStart(5, '0')}-0000000${n % 10}`;

/**
 * A worker that switched models at 13:00:00 (`🔄 MODEL SWITCH: wan -> qwen_image_edit`), logged one
 * heartbeat 20 s later, left a task In Progress, and whose last DB heartbeat came `afterS` seconds
 * after the switch ('alive': at 13:59:50, still beating at 14:00).
 */
export function switchedCase(n: number, afterS: number | 'alive', gpu: string, profile: number, asOf: Instant = at('14:00:00')): WorkerCase {
  const w = worker({
    id: fleetId(n),
    heartbeat: afterS === 'alive' ? '13:59:50' : after('13:00:00', afterS),
    metadata: { ram_tier: 24, pod_details: { gpu_type_id: gpu } },
  });
  const logs: SystemLog[] = [
    log('12:01:00', `Using Memory Profile ${profile}`, { worker: w.id }),
    log('13:00:00', '🔄 MODEL SWITCH: wan -> qwen_image_edit', { worker: w.id }),
    heartbeatLine('13:00:20', { worker: w.id }),
  ];
  return { worker: w, tasks: [task({ worker: w.id, status: 'In Progress' })], signals: computeSignalsForWorker(w.id, logs, asOf, BUILT_IN_VOCABULARY) };
}

/**
 * Five switching workers around §12's 10-minute edge: deaths 120 s and 240 s after the switch (A100),
 * 599 s (just under: a model-load crash) and 600 s (exactly 10 min: not one, the guide's
 * `time_between < 10`) (H100), and one still alive (H100); memory profiles 3, 4, 4, 4, 3.
 */
export function tenMinuteEdgeFleet(): WorkerCase[] {
  return [
    switchedCase(1, 120, 'A100', 3),
    switchedCase(2, 240, 'A100', 4),
    switchedCase(3, 599, 'H100', 4),
    switchedCase(4, 600, 'H100', 4),
    switchedCase(5, 'alive', 'H100', 3),
  ];
}

/**
 * A small hand-made fleet for tests of fleet results (crash patterns, crash timing, model-load
 * crashes, the checklist): one worker per §5 pattern plus a healthy and a never-started one, each
 * built to the guide's definitions on the test day, judged at 14:00.
 */
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import type { WorkerCase } from '../../src/analyses/cases.js';
import type { SystemLog, Task, Worker } from '../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from './rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

export const FLEET_AS_OF = at('14:00:00');

export interface FleetMember {
  worker: Worker;
  tasks: Task[];
  logs: SystemLog[];
}

const RTX_4090 = { ram_tier: 32, pod_details: { gpu_type_id: 'NVIDIA GeForce RTX 4090' } };
const L40S = { ram_tier: 48, pod_details: { gpu_type_id: 'NVIDIA L40S' } };

/** §5 pattern 1: MODEL SWITCH at 13:00, two heartbeats, last DB heartbeat 13:03 (180 s later), task left In Progress. */
export function oomWorker(id = 'gpu-20251017_120000-00000001'): FleetMember {
  const on = { worker: id };
  return {
    worker: worker({ id, created: '12:00:00', heartbeat: '13:03:00', metadata: RTX_4090 }),
    tasks: [task({ id: '7a5c0001-0000-4000-8000-000000000001', worker: id, status: 'In Progress', created: '12:59:00', started: '12:59:10' })],
    logs: [
      log('12:00:05', 'Worker starting', on),
      log('12:00:06', '🧠 Using Memory Profile 4 (ram_tier=32GB)', on),
      ...heartbeatsEvery('12:00:30', '12:59:30', 30, on),
      log('13:00:00', '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit', on),
      heartbeatLine('13:00:30', on),
      heartbeatLine('13:01:00', on),
      log('13:09:00', `Marking worker ${id} as error: heartbeat stale`, { worker: id, source: 'orchestrator_gpu', level: 'ERROR' }),
    ],
  };
}

/** A second OOM death on the same GPU: switch at 12:20, status error, last DB heartbeat 4 min later. */
export function secondOomWorker(id = 'gpu-20251017_120500-00000006'): FleetMember {
  const on = { worker: id };
  return {
    worker: worker({ id, created: '12:05:00', status: 'error', heartbeat: '12:24:00', metadata: { ...RTX_4090, error_code: 'STALE_HEARTBEAT_ACTIVE_TASK' } }),
    tasks: [task({ id: '7a5c0006-0000-4000-8000-000000000006', worker: id, status: 'In Progress', created: '12:19:00', started: '12:19:30' })],
    logs: [
      log('12:05:05', '🧠 Using Memory Profile 3 (ram_tier=32GB)', on),
      ...heartbeatsEvery('12:05:30', '12:19:30', 30, on),
      log('12:20:00', '🔄 MODEL SWITCH: qwen_image_edit -> wan_2_2_i2v', on),
      heartbeatLine('12:20:30', on),
    ],
  };
}

/** §5 pattern 2: one DB heartbeat 5 s after creation, nothing logged, no task. */
export function initFailureWorker(id = 'gpu-20251017_130000-00000002'): FleetMember {
  return { worker: worker({ id, created: '13:00:00', heartbeat: '13:00:05', metadata: RTX_4090 }), tasks: [], logs: [] };
}

/** §5 pattern 3: "Before VLM loading" at 12:40, then silence until the last DB heartbeat at 13:20. */
export function vlmHangWorker(id = 'gpu-20251017_123000-00000003'): FleetMember {
  const on = { worker: id };
  return {
    worker: worker({ id, created: '12:30:00', heartbeat: '13:20:00', metadata: L40S }),
    tasks: [task({ id: '7a5c0003-0000-4000-8000-000000000003', worker: id, status: 'In Progress', created: '12:39:00', started: '12:39:30' })],
    logs: [...heartbeatsEvery('12:30:30', '12:39:30', 30, on), log('12:40:00', 'Before VLM loading', on)],
  };
}

/** Alive at 14:00 (DB heartbeat 10 s old) after a MODEL SWITCH at 13:39:45; a heartbeat every 30 s throughout. */
export function healthyWorker(id = 'gpu-20251017_133000-00000004'): FleetMember {
  const on = { worker: id };
  return {
    worker: worker({ id, created: '13:30:00', heartbeat: '13:59:50', metadata: L40S }),
    tasks: [task({ id: '7a5c0004-0000-4000-8000-000000000004', worker: id, created: '13:31:00', started: '13:31:10', processed: '13:35:00' })],
    logs: [
      log('13:30:05', '🧠 Using Memory Profile 4 (ram_tier=48GB)', on),
      ...heartbeatsEvery('13:30:30', '13:39:30', 30, on),
      log('13:39:45', '🔄 MODEL SWITCH: wan_2_2_i2v -> flux_dev', on),
      ...heartbeatsEvery('13:40:00', '13:59:30', 30, on),
    ],
  };
}

/** No metadata (GPU, RAM tier unknown), no memory-profile line: MODEL SWITCH at 11:00, last DB heartbeat 5 min later. */
export function unknownGpuWorker(id = 'gpu-20251017_105500-00000007'): FleetMember {
  return {
    worker: worker({ id, created: '10:55:00', heartbeat: '11:05:00', metadata: null }),
    tasks: [],
    logs: [log('11:00:00', '🔄 MODEL SWITCH: flux_dev -> wan_2_2_i2v', { worker: id })],
  };
}

/** Created at 13:55, never sent a heartbeat. */
export function neverStartedWorker(id = 'gpu-20251017_135500-00000005'): FleetMember {
  return { worker: worker({ id, created: '13:55:00', heartbeat: null, metadata: null }), tasks: [], logs: [] };
}

/** A member as the fleet analyses take it: row, tasks and log signals as of `asOf`. */
export function caseOf(member: FleetMember, asOf = FLEET_AS_OF): WorkerCase {
  return { worker: member.worker, tasks: member.tasks, signals: computeSignalsForWorker(member.worker.id, member.logs, asOf, BUILT_IN_VOCABULARY) };
}

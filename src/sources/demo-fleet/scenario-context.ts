/**
 * What every scenario shares: the fleet being written, the orchestrator of this copy of the mix,
 * and the steps of a worker's life that several scenarios take (spawn, die mid-task, be recorded).
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import { GPUS, MIXED_WORK, MODEL_OF, RAM_TIERS, type Hardware, type TaskKind } from './catalog.js';
import type { UploadOutage } from './incidents.js';
import type { Orchestrator } from './orchestrator.js';
import type { Rng } from './random.js';
import type { FleetTables } from './tables.js';
import { GUIDE_ERA, type WorkerVersion } from './versions.js';
import { WorkerLife } from './worker-life.js';

export interface ScenarioContext {
  tables: FleetTables;
  rng: Rng;
  asOf: Instant;
  /** No worker of the mix is older than this. */
  windowStart: Instant;
  orchestrator: Orchestrator;
  /** Workers (or deleted workers' ids) that died with a task In Progress, as they are simulated. */
  orphanedBy: string[];
  /** The storage outage of the last half hour (incidents.ts). */
  uploadOutage: UploadOutage;
}

export const MINUTE_S = 60;
export const HOUR_S = 3600;

export function micros(s: number): number {
  return Math.round(s * MICROS_PER_SECOND);
}

export function ago(ctx: ScenarioContext, s: number): Instant {
  return ctx.asOf - micros(s);
}

/** A live worker's last DB heartbeat: within one guardian cadence of as-of. */
export function freshHeartbeat(ctx: ScenarioContext): Instant {
  return ago(ctx, ctx.rng.between(0.5, THRESHOLDS.dbHeartbeatCadenceS));
}

export function spawn(
  ctx: ScenarioContext,
  createdAt: Instant,
  hardware: Hardware,
  lastHeartbeat: Instant,
  version: WorkerVersion = GUIDE_ERA,
): WorkerLife {
  const id = ctx.tables.newWorkerId(createdAt);
  if (hardware.runpodId !== null) ctx.orchestrator.spawned(id, createdAt, hardware);
  return new WorkerLife(ctx.tables, ctx.rng, id, createdAt, hardware, lastHeartbeat, version, ctx.uploadOutage);
}

export function record(ctx: ScenarioContext, life: WorkerLife, status: string, metadata: Record<string, unknown>): void {
  ctx.tables.addWorker({
    id: life.id,
    instance_type: life.hardware.runpodId === null ? 'external' : 'runpod',
    created_at: life.createdAt,
    last_heartbeat: life.end,
    status,
    metadata,
  });
}

/** A dead worker's row: `error` once the orchestrator's sweep has reached it, else still `active`. */
export function recordDead(ctx: ScenarioContext, life: WorkerLife, taskInProgress: string | null, startupPhase = 'ready'): void {
  if (taskInProgress !== null) ctx.orphanedBy.push(life.id);
  const pod = { hardware: life.hardware, vramUsedMb: life.vramUsedMb };
  const verdict = ctx.orchestrator.markStale(life.id, life.createdAt, life.end, life.hardware.runpodId, taskInProgress, pod);
  const status = verdict === null ? 'active' : 'error';
  record(ctx, life, status, { ...life.metadata(status, startupPhase), ...verdict?.metadata });
}

/** The kind whose model is not the loaded one, so that claiming it logs a MODEL SWITCH. */
export function kindNeedingSwitch(life: WorkerLife): TaskKind {
  return life.loadedModel === MODEL_OF.travel_segment ? 'single_image' : 'travel_segment';
}

/** A kind that needs no MODEL SWITCH (the loaded model, or a first load). */
export function kindKeepingModel(life: WorkerLife): TaskKind {
  return life.loadedModel === MODEL_OF.single_image ? 'single_image' : 'travel_segment';
}

/**
 * Works until `claimAt`, then claims a task whose generation outlives the worker: the task is
 * left In Progress. `switchModel` decides whether that last task starts with a MODEL SWITCH.
 */
export function dieMidTask(life: WorkerLife, claimAt: Instant, switchModel: boolean): string {
  life.work(claimAt - MICROS_PER_SECOND, MIXED_WORK, { mode: 'finish' });
  life.idleUntil(claimAt);
  const kind = switchModel ? kindNeedingSwitch(life) : kindKeepingModel(life);
  const outlives = (life.end - claimAt) / MICROS_PER_SECOND + HOUR_S;
  return life.runTask(kind, claimAt, { workS: outlives })!.id;
}

/** Shifts so that each copy of the mix spreads GPU types and RAM tiers differently. */
export function hardwareShifts(rng: Rng): { gpu: number; tier: number } {
  return { gpu: rng.int(0, GPUS.length - 1), tier: rng.int(0, RAM_TIERS.length - 1) };
}

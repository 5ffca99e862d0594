/**
 * The scenarios in which no worker crashes (healthy, long-running, aging, not started, terminated,
 * failing tasks), the tasks no worker holds, and the mix that puts them together with the crash
 * scenarios of crash-scenarios.ts, the drift cases of drift-scenarios.ts (issue 9) and the
 * lifecycle cases of lifecycle-scenarios.ts (issue 11). One function per scenario, each living its
 * workers forward from start-up to as-of.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND } from '../../rows/time.js';
import {
  GENERATION_TIMEOUT,
  INVALID_FRAME_COUNT,
  GPUS,
  MIXED_WORK,
  RAM_TIERS,
  SIM,
  UNDECODABLE_INPUT,
  cudaOutOfMemory,
  makeHardware,
  paramsFor,
  type Hardware,
  type TaskFailure,
  type TaskKind,
} from './catalog.js';
import type { Rng } from './random.js';
import { initializationFailure, nearMisses, oomDuringModelLoading, orphanedTasks, vlmLoadingHang } from './crash-scenarios.js';
import {
  cleanIdleShutdown,
  idleHeartbeatsOnly,
  initFailureWithStartupLines,
  longSilentStep,
  oomWithoutHeartbeatLines,
  ramClimbBeforeOom,
  stalled,
  startupThenNormalLife,
} from './drift-scenarios.js';
import { falseIdleKill, requeuedAfterCrash } from './lifecycle-scenarios.js';
import { HOUR_S, MINUTE_S, ago, freshHeartbeat, hardwareShifts, micros, record, spawn, type ScenarioContext } from './scenario-context.js';
import { CURRENT, GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA, type WorkerVersion } from './versions.js';

/** One per situation of the guide; the task-status mix is a property of the task rows instead. */
export const DEMO_SCENARIOS = [
  'healthy',
  'long_running',
  'aging',
  'oom_during_model_loading',
  'initialization_failure',
  'vlm_loading_hang',
  'not_started',
  'terminated_cleanly',
  'near_miss',
  'failed_tasks',
  'orphaned_tasks',
  // Issue 9: how real fleets drift from the guide.
  'oom_without_heartbeat_lines',
  'ram_climb_before_oom',
  'init_failure_with_startup_lines',
  'stalled',
  'long_silent_step',
  'idle_heartbeats_only',
  'clean_idle_shutdown',
  'startup_then_normal_life',
  // Issue 11: lifecycles and fleet health.
  'requeued_after_crash',
  'false_idle_kill',
  /** Workers whose task failed in the storage outage of the last half hour (incidents.ts). */
  'failure_burst',
] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

const HEALTHY_WORKERS = 10;
/** Six of the ten on the guide's versions, so that §4A and §14 have data; the others log as later versions do. */
const HEALTHY_VERSIONS: readonly WorkerVersion[] = [
  GUIDE_ERA,
  SENT_HEARTBEAT_ERA,
  GUIDE_ERA,
  NO_HEARTBEAT_LINES,
  GUIDE_ERA,
  CURRENT,
  SENT_HEARTBEAT_ERA,
  NO_HEARTBEAT_LINES,
  GUIDE_ERA,
  CURRENT,
];
const AGING_VERSIONS: readonly WorkerVersion[] = [GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA];
const TERMINATED_VERSIONS: readonly WorkerVersion[] = [GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA, CURRENT, GUIDE_ERA];
const FAILED_TASKS_VERSIONS: readonly WorkerVersion[] = [GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA];
const EXTERNAL_WORKER_INDEX = 3;
const DRAINING_WORKER_INDEX = 7;
const AGING_WORKERS = 3;
const TERMINATED_WORKERS = 5;
const FRESH_QUEUED_TASKS = 4;
/** Short idles make the long-running worker's log exceed PostgREST's 1000-row page a few times over. */
const LONG_RUNNER_IDLE_S = { min: 2, max: 25 };

export function healthy(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  const ids: string[] = [];
  for (let i = 0; i < HEALTHY_WORKERS; i++) {
    const createdAt = ago(ctx, 20 * MINUTE_S + ((i + rng.next()) * 7.2 * HOUR_S) / HEALTHY_WORKERS);
    const external = i === EXTERNAL_WORKER_INDEX;
    const hardware = makeHardware(rng, i + shift.gpu, i * 3 + shift.tier, external);
    const life = spawn(ctx, createdAt, hardware, freshHeartbeat(ctx), HEALTHY_VERSIONS[i]);
    life.startUp();
    if (i === DRAINING_WORKER_INDEX) {
      // Scaled down just now: finishes its last task, takes no more, still heartbeats.
      const drainAt = life.end - rng.micros(3 * MINUTE_S, 8 * MINUTE_S);
      life.work(drainAt, MIXED_WORK, { mode: 'finish' });
      ctx.orchestrator.about(drainAt + rng.micros(1, 3), 'INFO', `Scaling down: draining worker ${life.id} (queue empty)`, life.id);
      life.say(drainAt + rng.micros(4, 8), 'INFO', '🛑 Drain requested by orchestrator: no new tasks, shutting down when idle');
      life.idleUntil(life.end);
      record(ctx, life, 'terminating', life.metadata('terminating'));
    } else {
      life.work(life.end, MIXED_WORK, { mode: 'cut' });
      record(ctx, life, external ? 'external' : 'active', life.metadata(external ? 'external' : 'active'));
    }
    ids.push(life.id);
  }
  return ids;
}

export function longRunning(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const createdAt = ago(ctx, rng.between(7.8, 7.95) * HOUR_S);
  const life = spawn(ctx, createdAt, makeHardware(rng, rng.int(0, GPUS.length - 1), RAM_TIERS.length - 1), freshHeartbeat(ctx), GUIDE_ERA);
  life.startUp();
  life.work(life.end, MIXED_WORK, { mode: 'cut', idleS: LONG_RUNNER_IDLE_S });
  record(ctx, life, 'active', life.metadata('active'));
  return [life.id];
}

export function aging(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  const band = THRESHOLDS.heartbeatDeadS - THRESHOLDS.heartbeatAliveS - 10;
  const ids: string[] = [];
  for (let i = 0; i < AGING_WORKERS; i++) {
    const heartbeatAgeS = THRESHOLDS.heartbeatAliveS + 5 + ((i + rng.next()) * band) / AGING_WORKERS;
    const createdAt = ago(ctx, heartbeatAgeS + rng.between(1, 3) * HOUR_S);
    const life = spawn(ctx, createdAt, makeHardware(rng, i + shift.gpu, i + shift.tier), ago(ctx, heartbeatAgeS), AGING_VERSIONS[i]);
    life.startUp();
    // Idle when the heartbeat stalled: nothing here should look like a hang or a crash yet.
    life.work(life.end, MIXED_WORK, { mode: 'finish' });
    record(ctx, life, 'active', life.metadata('active'));
    ids.push(life.id);
  }
  return ids;
}

/** Rows the orchestrator inserted for pods that have not booted: no heartbeat yet. */
export function notStarted(ctx: ScenarioContext): string[] {
  const { rng, tables } = ctx;
  const ids: string[] = [];
  const rows: { status: string; ageS: number; metadata: Record<string, unknown> | null }[] = [
    { status: 'spawning', ageS: rng.between(1, 8) * MINUTE_S, metadata: null },
    { status: 'spawning', ageS: rng.between(1, 8) * MINUTE_S, metadata: null },
    { status: 'inactive', ageS: rng.between(10, 50), metadata: {} },
  ];
  for (const row of rows) {
    const createdAt = ago(ctx, row.ageS);
    const id = tables.newWorkerId(createdAt);
    ctx.orchestrator.spawned(id, createdAt, null);
    tables.addWorker({
      id,
      instance_type: 'runpod',
      created_at: createdAt,
      last_heartbeat: null,
      status: row.status,
      metadata: row.metadata,
    });
    ids.push(id);
  }
  return ids;
}

/** Scaled down after idling: every task Complete, a clean exit, no error metadata. */
export function terminatedCleanly(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  const ids: string[] = [];
  for (let i = 0; i < TERMINATED_WORKERS; i++) {
    const createdAt = ago(ctx, (3 + ((i + rng.next()) * 4.8) / TERMINATED_WORKERS) * HOUR_S);
    const stopAt = Math.min(createdAt + rng.micros(40 * MINUTE_S, 2.5 * HOUR_S), ago(ctx, 40 * MINUTE_S));
    const requestAt = stopAt + rng.micros(SIM.idleBeforeScaleDownS.min, SIM.idleBeforeScaleDownS.max);
    const shutdownAt = requestAt + rng.micros(2, 20);
    const exitAt = shutdownAt + rng.micros(1, 5);
    const hardware = makeHardware(rng, i + shift.gpu, i * 2 + shift.tier);
    const life = spawn(ctx, createdAt, hardware, exitAt + rng.micros(0.5, 5), TERMINATED_VERSIONS[i]);
    life.startUp();
    life.work(stopAt, MIXED_WORK, { mode: 'finish' });
    const idleS = Math.round((requestAt - life.now) / MICROS_PER_SECOND);
    life.idleUntil(requestAt);
    ctx.orchestrator.about(requestAt, 'INFO', `Scaling down: worker ${life.id} idle for ${idleS}s with an empty queue`, life.id);
    life.say(shutdownAt, 'INFO', '🛑 Shutdown requested by orchestrator');
    life.say(exitAt, 'INFO', `✅ Shutdown complete: worker ${life.id} exiting cleanly after ${life.tasksCompleted} tasks`);
    ctx.orchestrator.terminatePod(life.end + rng.micros(2, 10), life.id, life.hardware.runpodId);
    record(ctx, life, 'terminated', life.metadata('terminated'));
    ids.push(life.id);
  }
  return ids;
}

type Incident = { kind: TaskKind; failure: TaskFailure | 'cancel'; priorAttempts: number };

/** What goes wrong on the `w`-th worker of the failed-tasks scenario, in order. */
function incidentsOf(w: number, rng: Rng, hardware: Hardware): Incident[] {
  switch (w % 3) {
    case 0:
      return [
        { kind: 'travel_segment', failure: cudaOutOfMemory(rng, hardware), priorAttempts: 2 },
        { kind: 'single_image', failure: cudaOutOfMemory(rng, hardware), priorAttempts: 0 },
        { kind: 'travel_segment', failure: 'cancel', priorAttempts: 0 },
      ];
    case 1:
      return [
        { kind: 'travel_segment', failure: GENERATION_TIMEOUT, priorAttempts: 1 },
        { kind: 'single_image', failure: UNDECODABLE_INPUT, priorAttempts: 0 },
        { kind: 'travel_segment', failure: cudaOutOfMemory(rng, hardware), priorAttempts: 2 },
      ];
    default:
      return [
        { kind: 'single_image', failure: UNDECODABLE_INPUT, priorAttempts: 1 },
        { kind: 'travel_segment', failure: 'cancel', priorAttempts: 0 },
        { kind: 'travel_segment', failure: INVALID_FRAME_COUNT, priorAttempts: 0 },
        { kind: 'travel_segment', failure: GENERATION_TIMEOUT, priorAttempts: 2 },
      ];
  }
}

/**
 * Alive workers whose tasks failed (some requeued, some for good) or were cancelled. The failures
 * are of every kind an error summary groups: out of memory (messages that differ only in their
 * figures), timeout, undecodable input, invalid parameters.
 */
export function failedTasks(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const ids: string[] = [];
  FAILED_TASKS_VERSIONS.forEach((version, w) => {
    const hardware = makeHardware(rng, w, w + 1);
    const plan = incidentsOf(w, rng, hardware);
    const life = spawn(ctx, ago(ctx, rng.between(2.5, 5) * HOUR_S), hardware, freshHeartbeat(ctx), version);
    life.startUp();
    const span = life.end - life.createdAt;
    plan.forEach((incident, k) => {
      life.work(life.createdAt + Math.round((span * (k + 1)) / (plan.length + 1)), MIXED_WORK, { mode: 'finish' });
      const claimAt = life.now + rng.micros(1, 20);
      // Failures and cancels come after any model load (at most SIM.modelLoadS.max) has finished.
      const afterLoad = SIM.modelLoadS.max + SIM.taskOverheadS;
      if (incident.failure === 'cancel') {
        life.cancelTask(incident.kind, claimAt, claimAt + rng.micros(afterLoad + 30, afterLoad + 300));
      } else {
        const failAfterS =
          incident.failure === GENERATION_TIMEOUT ? afterLoad + SIM.generationTimeoutS : rng.between(afterLoad + 20, afterLoad + 150);
        life.failTask(incident.kind, claimAt, claimAt + micros(failAfterS), incident.failure, incident.priorAttempts);
      }
    });
    life.work(life.end, MIXED_WORK, { mode: 'cut' });
    record(ctx, life, 'active', life.metadata('active'));
    ids.push(life.id);
  });
  return ids;
}

/** Tasks no worker has touched: waiting in the queue, or cancelled while they waited. */
export function queueOnlyTasks(ctx: ScenarioContext): void {
  const { rng, tables } = ctx;
  const kinds: TaskKind[] = ['travel_segment', 'single_image', 'travel_orchestrator', 'join_clips'];
  for (let i = 0; i < FRESH_QUEUED_TASKS; i++) {
    const createdAt = ago(ctx, rng.between(5, 600));
    const kind = kinds[i % kinds.length]!;
    tables.addTask({
      id: rng.uuid(),
      task_type: kind,
      params: paramsFor(kind, rng),
      status: 'Queued',
      worker_id: null,
      attempts: 0,
      error_message: null,
      result_data: null,
      created_at: createdAt,
      updated_at: createdAt,
      generation_started_at: null,
      generation_processed_at: null,
    });
  }
  const createdAt = ago(ctx, rng.between(1, 4) * HOUR_S);
  tables.addTask({
    id: rng.uuid(),
    task_type: 'single_image',
    params: paramsFor('single_image', rng),
    status: 'Cancelled',
    worker_id: null,
    attempts: 0,
    error_message: null,
    result_data: null,
    created_at: createdAt,
    updated_at: createdAt + rng.micros(60, 900),
    generation_started_at: null,
    generation_processed_at: null,
  });
}

/** The whole mix once: every scenario's workers, the orphans, the queue, the orchestrator's loop. */
export function simulateScenarioMix(ctx: ScenarioContext): Record<DemoScenario, string[]> {
  const found = {
    healthy: healthy(ctx),
    long_running: longRunning(ctx),
    aging: aging(ctx),
    oom_during_model_loading: oomDuringModelLoading(ctx),
    initialization_failure: initializationFailure(ctx),
    vlm_loading_hang: vlmLoadingHang(ctx),
    not_started: notStarted(ctx),
    terminated_cleanly: terminatedCleanly(ctx),
    near_miss: nearMisses(ctx),
    failed_tasks: failedTasks(ctx),
    oom_without_heartbeat_lines: oomWithoutHeartbeatLines(ctx),
    ram_climb_before_oom: ramClimbBeforeOom(ctx),
    init_failure_with_startup_lines: initFailureWithStartupLines(ctx),
    stalled: stalled(ctx),
    long_silent_step: longSilentStep(ctx),
    idle_heartbeats_only: idleHeartbeatsOnly(ctx),
    clean_idle_shutdown: cleanIdleShutdown(ctx),
    startup_then_normal_life: startupThenNormalLife(ctx),
    requeued_after_crash: requeuedAfterCrash(ctx),
    false_idle_kill: falseIdleKill(ctx),
  };
  orphanedTasks(ctx);
  queueOnlyTasks(ctx);
  ctx.orchestrator.runLoops();
  return { ...found, orphaned_tasks: [...ctx.orphanedBy], failure_burst: [...ctx.uploadOutage.failedWorkers] };
}

/**
 * The crash patterns of guide §5, their near misses and the orphaned tasks they leave. Timings that
 * straddle a guide threshold are drawn relative to it (THRESHOLDS), so that the fleet keeps
 * meaning the same thing if a threshold is tuned.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND } from '../../rows/time.js';
import {
  GPUS,
  ILLEGAL_MEMORY_ACCESS,
  MIXED_WORK,
  MODEL_OF,
  RAM_TIERS,
  SIM,
  WAN_ONLY_WORK,
  makeHardware,
  paramsFor,
  type Hardware,
} from './catalog.js';
import {
  HOUR_S,
  MINUTE_S,
  ago,
  dieMidTask,
  freshHeartbeat,
  hardwareShifts,
  kindNeedingSwitch,
  micros,
  record,
  recordDead,
  spawn,
  type ScenarioContext,
} from './scenario-context.js';
import { GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA, type WorkerVersion } from './versions.js';

const OOM_WORKERS = 9;
/** How far each initialisation failure got before it died (one worker per phase). */
const INIT_FAILURE_PHASES = ['deps_installing', 'worker_starting', 'deps_verified'] as const;
const VLM_HANGS = 3;

/** The guide's era, in both of its heartbeat wordings: the guide's patterns hold literally on it. */
function guideEra(i: number): WorkerVersion {
  return i % 2 === 0 ? GUIDE_ERA : SENT_HEARTBEAT_ERA;
}

/**
 * Guide §5 pattern 1: MODEL SWITCH, one or two logged heartbeats, then nothing; the DB heartbeat
 * stops 1.5–5 min after the switch; the task stays In Progress; no error is logged. On the guide's
 * versions (the later ones log no heartbeat line: see drift-scenarios.ts).
 */
export function oomDuringModelLoading(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  const crash = THRESHOLDS.oomCrashWindowS;
  const heartbeats = THRESHOLDS.oomHeartbeatsAfterSwitchS;
  const ids: string[] = [];
  for (let i = 0; i < OOM_WORKERS; i++) {
    // Crash delays spread over the whole window; every third death is too recent for the sweep.
    const crashDelayS = crash.min + 2 + ((i + rng.next()) * (crash.max - crash.min - 4)) / OOM_WORKERS;
    const deathAgeS =
      i % 3 === 1
        ? rng.between(THRESHOLDS.heartbeatDeadS + 20, THRESHOLDS.orchestratorStaleHeartbeatS - SIM.orchestratorPollS)
        : rng.between(15 * MINUTE_S, 6.5 * HOUR_S);
    const lastHeartbeat = ago(ctx, deathAgeS);
    const switchAt = lastHeartbeat - micros(crashDelayS);
    const claimAt = switchAt - rng.micros(0.5, 2.5);
    const createdAt = Math.max(ctx.windowStart + rng.micros(0, 10 * MINUTE_S), claimAt - rng.micros(25 * MINUTE_S, 3 * HOUR_S));
    const life = spawn(ctx, createdAt, makeHardware(rng, i + shift.gpu, i + (i >> 2) + shift.tier), lastHeartbeat, guideEra(i));
    life.startUp();
    // A first model, so that the fatal load is a switch.
    life.runTask('travel_segment', life.now + rng.micros(5, 60));
    life.work(claimAt - MICROS_PER_SECOND, MIXED_WORK, { mode: 'finish' });
    life.idleUntil(claimAt);
    const kind = kindNeedingSwitch(life);
    const task = life.claim(kind, claimAt, 0);
    life.announceModel(switchAt, MODEL_OF[kind]!, task.id);
    // The load runs silently: one or two logged heartbeats, then the OOM killer; nothing else is logged.
    const firstHeartbeat = switchAt + rng.micros(heartbeats.min, heartbeats.min + 35);
    life.heartbeatAt(firstHeartbeat);
    if (i % 2 === 0) {
      life.heartbeatAt(Math.min(firstHeartbeat + rng.micros(15, 40), switchAt + micros(heartbeats.max), lastHeartbeat - MICROS_PER_SECOND));
    }
    life.vramUsedMb = life.vramWith(MODEL_OF[kind]!, true);
    ctx.tables.addTask(task);
    recordDead(ctx, life, task.id);
    ids.push(life.id);
  }
  return ids;
}

/** Guide §5 pattern 2: one DB heartbeat within seconds of creation, then nothing, no task. */
export function initializationFailure(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const ids: string[] = [];
  INIT_FAILURE_PHASES.forEach((startupPhase, i) => {
    // The last one died minutes ago, inside the orchestrator's start-up grace: still `active`.
    const withinGrace = i === INIT_FAILURE_PHASES.length - 1;
    const createdAt = withinGrace ? ago(ctx, rng.between(11, 18) * MINUTE_S) : ago(ctx, rng.between(2, 7) * HOUR_S);
    const lastHeartbeat = createdAt + rng.micros(1, THRESHOLDS.initFailureWindowS - 1);
    const hardware = makeHardware(rng, rng.int(0, GPUS.length - 1), rng.int(0, RAM_TIERS.length - 1));
    const life = spawn(ctx, createdAt, hardware, lastHeartbeat, i === 1 ? GUIDE_ERA : guideEra(i + 1));
    // One logs its single heartbeat; the others die before logging anything.
    if (i === 1) life.heartbeatAt(rng.instant(createdAt + MICROS_PER_SECOND / 2, lastHeartbeat));
    recordDead(ctx, life, null, startupPhase);
    ids.push(life.id);
  });
  return ids;
}

/** Guide §5 pattern 3: `Before VLM loading`, then 6–12 min without a worker line. */
export function vlmLoadingHang(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const ids: string[] = [];
  for (let i = 0; i < VLM_HANGS; i++) {
    // The first hangs right now with its guardian still heartbeating; the others died of it.
    const stillHeartbeating = i === 0;
    const silenceS = rng.between(THRESHOLDS.vlmHangSilenceS + 60, THRESHOLDS.vlmHangSilenceS + 420);
    const hangAt = stillHeartbeating ? ago(ctx, silenceS) : ago(ctx, rng.between(1, 6) * HOUR_S);
    const lastHeartbeat = stillHeartbeating ? freshHeartbeat(ctx) : hangAt + micros(silenceS);
    const claimAt = hangAt - rng.micros(0.5, 2);
    const createdAt = claimAt - rng.micros(30 * MINUTE_S, 1.5 * HOUR_S);
    // The last one runs a version with a memory logger: its marker is a [RAM] sample's label.
    const version = i === VLM_HANGS - 1 ? NO_HEARTBEAT_LINES : guideEra(i);
    const life = spawn(ctx, createdAt, makeHardware(rng, i + 1, i + 2), lastHeartbeat, version);
    life.startUp();
    life.work(claimAt - MICROS_PER_SECOND, MIXED_WORK, { mode: 'finish' });
    life.idleUntil(claimAt);
    const task = life.claim('travel_orchestrator', claimAt, 0);
    // The main process hangs here: it logs nothing more, heartbeats included.
    life.announceVlm(hangAt, task.id);
    ctx.tables.addTask(task);
    if (stillHeartbeating) record(ctx, life, 'active', life.metadata('active'));
    else recordDead(ctx, life, task.id);
    ids.push(life.id);
  }
  return ids;
}

/**
 * Workers that each resemble a crash pattern in one respect and must not be classified as it:
 * (a) alive, MODEL SWITCH hours ago; (b) dead 6–8 min after a switch (outside pattern 1's window,
 * inside §12's); (c) a VLM load of about 4 min, then normal lines; (d) dead without any switch
 * after logging a CUDA error.
 */
export function nearMisses(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  const hardware = (i: number): Hardware => makeHardware(rng, i + shift.gpu, i + shift.tier);

  const oldSwitch = spawn(ctx, ago(ctx, rng.between(3, 5) * HOUR_S), hardware(0), freshHeartbeat(ctx));
  oldSwitch.startUp();
  oldSwitch.runTask('single_image', oldSwitch.now + rng.micros(5, 60));
  oldSwitch.runTask('travel_segment', oldSwitch.now + rng.micros(5, 60));
  oldSwitch.work(oldSwitch.end, WAN_ONLY_WORK, { mode: 'cut' });
  record(ctx, oldSwitch, 'active', oldSwitch.metadata('active'));

  const lateDeath = ago(ctx, rng.between(1, 5) * HOUR_S);
  const lateSwitch = lateDeath - rng.micros(THRESHOLDS.oomCrashWindowS.max + 65, THRESHOLDS.oomCrashWindowS.max + 175);
  const lateClaim = lateSwitch - rng.micros(0.5, 2);
  const lateCrash = spawn(ctx, lateClaim - rng.micros(30 * MINUTE_S, 2 * HOUR_S), hardware(1), lateDeath, SENT_HEARTBEAT_ERA);
  lateCrash.startUp();
  lateCrash.runTask('single_image', lateCrash.now + rng.micros(5, 60));
  const lateTask = dieMidTask(lateCrash, lateClaim, true);
  recordDead(ctx, lateCrash, lateTask);

  const slowVlm = spawn(ctx, ago(ctx, rng.between(2.5, 4) * HOUR_S), hardware(2), freshHeartbeat(ctx));
  slowVlm.startUp();
  slowVlm.work(ago(ctx, rng.between(40 * MINUTE_S, 2 * HOUR_S)), MIXED_WORK, { mode: 'finish' });
  const stallS = rng.between(THRESHOLDS.vlmHangSilenceS - 75, THRESHOLDS.vlmHangSilenceS - 45);
  slowVlm.runTask('travel_orchestrator', slowVlm.now + rng.micros(5, 30), { vlmStallS: stallS });
  slowVlm.work(slowVlm.end, MIXED_WORK, { mode: 'cut' });
  record(ctx, slowVlm, 'active', slowVlm.metadata('active'));

  const crashAt = ago(ctx, rng.between(40 * MINUTE_S, 3 * HOUR_S));
  const crashClaim = crashAt - rng.micros(150, 200);
  const exitAt = crashAt + rng.micros(0.5, 1.5);
  const cudaCrash = spawn(ctx, crashClaim - rng.micros(HOUR_S, 2.5 * HOUR_S), hardware(3), exitAt + rng.micros(1, 8), NO_HEARTBEAT_LINES);
  cudaCrash.startUp();
  cudaCrash.work(crashClaim - MICROS_PER_SECOND, WAN_ONLY_WORK, { mode: 'finish' });
  cudaCrash.idleUntil(crashClaim);
  cudaCrash.failTask('travel_segment', crashClaim, crashAt, ILLEGAL_MEMORY_ACCESS, 0);
  cudaCrash.say(exitAt, 'CRITICAL', '💥 Fatal CUDA error: worker process exiting (status=crashed)');
  const noticedAt = cudaCrash.end + rng.micros(20, 90);
  ctx.orchestrator.about(noticedAt, 'WARNING', `Worker ${cudaCrash.id} reported status crashed`, cudaCrash.id);
  ctx.orchestrator.terminatePod(noticedAt + rng.micros(0.5, 3), cudaCrash.id, cudaCrash.hardware.runpodId);
  record(ctx, cudaCrash, 'crashed', cudaCrash.metadata('crashed'));

  return [oldSwitch.id, lateCrash.id, slowVlm.id, cudaCrash.id];
}

/**
 * Orphans of the two kinds no other scenario makes: a task naming a worker whose row was deleted
 * (its log lines remain), and an In Progress task without a worker. Stale-heartbeat orphans come
 * from the crash scenarios, collected in `ctx.orphanedBy`.
 */
export function orphanedTasks(ctx: ScenarioContext): void {
  const { rng, tables } = ctx;
  const createdAt = ago(ctx, rng.between(6, 7.5) * HOUR_S);
  const diedAt = createdAt + rng.micros(40 * MINUTE_S, 2 * HOUR_S);
  const deleted = spawn(ctx, createdAt, makeHardware(rng, rng.int(0, GPUS.length - 1), 1), diedAt);
  deleted.startUp();
  // Its last task needs no MODEL SWITCH: a deleted worker is not meant to look like an OOM.
  const taskId = dieMidTask(deleted, deleted.end - rng.micros(60, 240), false);
  ctx.orphanedBy.push(deleted.id);
  // The sweep marked it and someone deleted the row since: only its lines and its task remain.
  ctx.orchestrator.markStale(deleted.id, deleted.createdAt, deleted.end, deleted.hardware.runpodId, taskId);

  const queuedAt = ago(ctx, rng.between(1, 3) * HOUR_S);
  const startedAt = queuedAt + rng.micros(5, 60);
  tables.addTask({
    id: rng.uuid(),
    task_type: 'travel_segment',
    params: paramsFor('travel_segment', rng),
    status: 'In Progress',
    worker_id: null,
    attempts: 0,
    error_message: null,
    result_data: null,
    created_at: queuedAt,
    updated_at: startedAt,
    generation_started_at: startedAt,
    generation_processed_at: null,
  });
}

/**
 * The cases of issue 9: fleets that drift from the guide (schema page, "How real fleets drift").
 * Deaths the guide's literal rules miss: an OOM during a model load on versions that log no
 * heartbeat line, memory climbing over the high mark before an OOM, start-ups that logged their
 * first steps before dying (two then marked and terminated by the orchestrator), "zombie" workers
 * whose heartbeat outlives their main loop. And the near misses of the rules that catch them: a
 * long silent step under the stall limit, an idle worker with heartbeat lines only, a clean idle
 * shutdown that ends `terminated`, a start-up followed by a normal life.
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import { GPUS, MIXED_WORK, MODEL_OF, QWEN_ONLY_WORK, RAM_TIERS, SIM, WAN_ONLY_WORK, makeHardware } from './catalog.js';
import {
  HOUR_S,
  MINUTE_S,
  ago,
  freshHeartbeat,
  hardwareShifts,
  kindKeepingModel,
  kindNeedingSwitch,
  micros,
  record,
  recordDead,
  spawn,
  type ScenarioContext,
} from './scenario-context.js';
import { CURRENT, GUIDE_ERA, NO_HEARTBEAT_LINES, SENT_HEARTBEAT_ERA, type WorkerVersion } from './versions.js';
import type { WorkerLife } from './worker-life.js';

/** The RAM tier of the worker whose memory climbs: small enough for a leak to fill it. */
const CLIMB_RAM_TIER_GB = 32;
/** System RAM used after each task of the climb, as offsets from THRESHOLDS.ramHighUsedPct. */
const CLIMB_OFFSETS_PCT = [-16, -10, -5, -1] as const;
/** The climb spans this long before the fatal switch. */
const CLIMB_S = 12 * MINUTE_S;

/** An OOM during a model load, started at `switchAt`: claim, MODEL SWITCH, then a silent load the worker does not survive. */
function dieLoadingModel(ctx: ScenarioContext, life: WorkerLife, claimAt: Instant, switchAt: Instant): void {
  life.idleUntil(claimAt);
  const kind = kindNeedingSwitch(life);
  const model = MODEL_OF[kind]!;
  const task = life.claim(kind, claimAt, 0);
  life.announceModel(switchAt, model, task.id);
  life.vramUsedMb = life.vramWith(model, true);
  ctx.tables.addTask(task);
  recordDead(ctx, life, task.id);
}

/** A crash delay inside guide §5's window, clear of both of its ends. */
function crashDelayS(ctx: ScenarioContext): number {
  const crash = THRESHOLDS.oomCrashWindowS;
  return ctx.rng.between(crash.min + 10, crash.max - 10);
}

/**
 * Guide §5 pattern 1 on the versions that log no heartbeat line (2.1.0 and 2.4.1): MODEL SWITCH,
 * then nothing at all; only the DB heartbeat tells that the worker died 1.5–5 min later. The first
 * died long ago (marked `error`), the second minutes ago (still `active`).
 */
export function oomWithoutHeartbeatLines(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const shift = hardwareShifts(rng);
  return [NO_HEARTBEAT_LINES, CURRENT].map((version, i) => {
    const deathAgeS =
      i === 0
        ? rng.between(20 * MINUTE_S, 5 * HOUR_S)
        : rng.between(THRESHOLDS.heartbeatDeadS + 20, THRESHOLDS.orchestratorStaleHeartbeatS - SIM.orchestratorPollS);
    const lastHeartbeat = ago(ctx, deathAgeS);
    const switchAt = lastHeartbeat - micros(crashDelayS(ctx));
    const claimAt = switchAt - rng.micros(0.5, 2.5);
    const createdAt = Math.max(ctx.windowStart + rng.micros(0, 10 * MINUTE_S), claimAt - rng.micros(40 * MINUTE_S, 3 * HOUR_S));
    const life = spawn(ctx, createdAt, makeHardware(rng, i + shift.gpu, i + shift.tier), lastHeartbeat, version);
    life.startUp();
    life.runTask('travel_segment', life.now + rng.micros(5, 60));
    life.work(claimAt - MICROS_PER_SECOND, MIXED_WORK, { mode: 'finish' });
    dieLoadingModel(ctx, life, claimAt, switchAt);
    return life.id;
  });
}

/**
 * Memory climbing before an OOM (2.1.0, whose `[RAM]` samples follow every generation and precede
 * every switch): a leak raises system RAM used from well under THRESHOLDS.ramHighUsedPct to over
 * it in the 12 minutes before a MODEL SWITCH; the worker dies 1.5–5 min into that load.
 */
export function ramClimbBeforeOom(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const lastHeartbeat = ago(ctx, rng.between(1.2, 4) * HOUR_S);
  const switchAt = lastHeartbeat - micros(crashDelayS(ctx));
  const climbStart = switchAt - micros(CLIMB_S);
  const createdAt = climbStart - rng.micros(40 * MINUTE_S, 2 * HOUR_S);
  const hardware = makeHardware(rng, rng.int(0, GPUS.length - 1), RAM_TIERS.indexOf(CLIMB_RAM_TIER_GB));
  const life = spawn(ctx, createdAt, hardware, lastHeartbeat, NO_HEARTBEAT_LINES);
  life.startUp();
  // qwen_image_edit first and only, so that the fatal task is the first switch.
  life.runTask('single_image', life.now + rng.micros(5, 60));
  life.work(climbStart, QWEN_ONLY_WORK, { mode: 'finish' });
  const step = (CLIMB_S - 60) / CLIMB_OFFSETS_PCT.length;
  CLIMB_OFFSETS_PCT.forEach((offset, k) => {
    life.leakToReach(THRESHOLDS.ramHighUsedPct + offset);
    life.runTask('single_image', climbStart + micros(k * step + rng.between(5, 30)));
  });
  // Over the mark when the switch starts: its `[RAM] Before model switch` sample says so.
  life.leakToReach(THRESHOLDS.ramHighUsedPct + rng.between(2, 5));
  dieLoadingModel(ctx, life, switchAt - rng.micros(0.5, 2.5), switchAt);
  return [life.id];
}

interface StartupFailure {
  version: WorkerVersion;
  /** The last start-up step it logged. */
  lastStep: 'deps_installing' | 'gpu_detected';
  /** `metadata.startup_phase` as the guardian last merged it. */
  phase: string;
  /** An error it logged before dying, or null: it died before its last seconds were shipped. */
  error: string | null;
  /** How long after its last step it died (or logged its error), seconds. */
  diesAfterS: { min: number; max: number };
  /** The pod's output after its last shipped lines, which the orchestrator ships at the kill with them. */
  tail: () => string[];
  /** Still inside the orchestrator's start-up grace: not marked yet. */
  recent: boolean;
}

const STARTUP_FAILURES: readonly StartupFailure[] = [
  {
    version: GUIDE_ERA,
    lastStep: 'deps_installing',
    phase: 'deps_installing',
    error: null,
    diesAfterS: { min: 1, max: 2.5 },
    tail: () => [
      'Collecting torch==2.6.0 (from -r requirements_worker.txt (line 3))',
      'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device',
    ],
    recent: false,
  },
  {
    version: NO_HEARTBEAT_LINES,
    lastStep: 'gpu_detected',
    phase: 'worker_starting',
    error: '❌ Start-up failed: RuntimeError: CUDA error: no kernel image is available for execution on the device',
    diesAfterS: { min: 2, max: 6 },
    tail: () => [
      'Traceback (most recent call last):',
      '  File "/workspace/Headless-Wan2GP/worker.py", line 212, in <module>',
      'RuntimeError: CUDA error: no kernel image is available for execution on the device',
    ],
    recent: false,
  },
  {
    version: CURRENT,
    lastStep: 'deps_installing',
    phase: 'deps_installing',
    error: null,
    diesAfterS: { min: 12, max: 25 },
    tail: () => [],
    recent: true,
  },
];

/**
 * Initialisation failures that logged their first start-up lines (the `🚀 … starting` banner, a
 * dependency step, GPU detection) and died during start-up, never ready, never claiming a task.
 * Two died hours ago: the orchestrator marked them error once its start-up grace had passed
 * (STARTUP_NEVER_READY, with the pod's log tail) and terminated them, so their rows read
 * `terminated`. The third died minutes ago, inside the grace: still `active`. The first lived
 * under THRESHOLDS.initFailureWindowS (the guide's window); the others some tens of seconds.
 */
export function initFailureWithStartupLines(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  return STARTUP_FAILURES.map((failure, i) => {
    const createdAt = failure.recent ? ago(ctx, rng.between(11, 18) * MINUTE_S) : ago(ctx, rng.between(2, 7) * HOUR_S);
    const hardware = makeHardware(rng, rng.int(0, GPUS.length - 1), i + 1);
    // Its end is known once the start-up is lived: the last DB heartbeat, just after the last shipped line.
    const life = spawn(ctx, createdAt, hardware, ctx.asOf, failure.version);
    const t = life.startUp(failure.lastStep) + rng.micros(failure.diesAfterS.min, failure.diesAfterS.max);
    if (failure.error !== null) life.say(t, 'ERROR', failure.error);
    life.dieAt(t + rng.micros(0.2, 1.5));
    if (failure.recent) {
      recordDead(ctx, life, null, failure.phase);
      return life.id;
    }
    const markedAt = createdAt + micros(SIM.orchestratorStartupGraceS) + rng.micros(0, SIM.orchestratorPollS);
    const heartbeatAgeS = Math.round((markedAt - life.end) / MICROS_PER_SECOND);
    const kill = ctx.orchestrator.kill(markedAt, life.id, createdAt, { hardware, vramUsedMb: life.vramUsedMb }, {
      code: 'STARTUP_NEVER_READY',
      reason: `never reached ready within ${SIM.orchestratorStartupGraceS}s (startup_phase=${failure.phase})`,
      diagnostics: { startup_phase: failure.phase, heartbeat_age_s: heartbeatAgeS, last_heartbeat: ctx.tables.timestamp(life.end) },
      logTail: [...life.recentLines.slice(-2), ...failure.tail()],
    });
    record(ctx, life, 'terminated', { ...life.metadata('terminated', failure.phase), ...kill });
    return life.id;
  });
}

/**
 * Spawns a worker that works normally, then claims a task (keeping its model: no load) at as-of
 * minus `silenceS` and writes nothing more of its own up to as-of, while its DB heartbeat stays fresh.
 * `workS`: how long the generation really runs (past as-of: the task is In Progress at as-of).
 */
function silentSince(ctx: ScenarioContext, version: WorkerVersion, gpuIndex: number, silenceS: number, workS: number): WorkerLife {
  const { rng } = ctx;
  const claimAt = ago(ctx, silenceS) - rng.micros(1, 2);
  const life = spawn(ctx, claimAt - rng.micros(1.5 * HOUR_S, 4 * HOUR_S), makeHardware(rng, gpuIndex, gpuIndex + 1), freshHeartbeat(ctx), version);
  life.startUp();
  // wan_2_2_i2v only: the silent task is a video generation that needs no load.
  life.runTask('travel_segment', life.now + rng.micros(5, 60));
  life.work(claimAt - MICROS_PER_SECOND, WAN_ONLY_WORK, { mode: 'finish' });
  life.idleUntil(claimAt);
  life.runTask(kindKeepingModel(life), claimAt, { workS });
  record(ctx, life, 'active', life.metadata('active'));
  return life;
}

/**
 * "Zombie" workers (schema page): the main loop died mid-generation while the guardian goes on, so
 * the DB heartbeat is fresh, a task stays In Progress, and the worker writes no line but heartbeat
 * lines for longer than THRESHOLDS.stalledSilenceS (and less than the orchestrator's stuck-task
 * limit, which would have acted). One on 1.7.2, whose guardian keeps logging `[HEARTBEAT] ✅ Sent
 * for worker … with 0 logs` through the silence; one on 2.1.0, which logs nothing at all.
 */
export function stalled(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  return [SENT_HEARTBEAT_ERA, NO_HEARTBEAT_LINES].map((version, i) => {
    const silenceS = rng.between(THRESHOLDS.stalledSilenceS + 60, SIM.orchestratorTaskStuckS - 60);
    // The generation never ends: the loop that would finish it is dead.
    return silentSince(ctx, version, i + 2, silenceS, 10 * HOUR_S).id;
  });
}

/**
 * Near miss of `stalled`: a healthy 2.1.0 worker in a long generation that logs nothing while it
 * runs, silent for 7–9 min at as-of (under THRESHOLDS.stalledSilenceS), due to finish minutes later.
 */
export function longSilentStep(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const silenceS = rng.between(THRESHOLDS.stalledSilenceS - 180, THRESHOLDS.stalledSilenceS - 45);
  return [silentSince(ctx, NO_HEARTBEAT_LINES, 1, silenceS, silenceS + rng.between(60, 240)).id];
}

/**
 * Near miss of `stalled`: a warm spare on the guide's version, ready for over THRESHOLDS.stalledSilenceS
 * without a task, writing heartbeat lines only. Alive and holding nothing, it has not stalled.
 */
export function idleHeartbeatsOnly(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const createdAt = ago(ctx, THRESHOLDS.stalledSilenceS + rng.between(5, 15) * MINUTE_S);
  const life = spawn(ctx, createdAt, makeHardware(rng, rng.int(0, GPUS.length - 1), rng.int(0, RAM_TIERS.length - 1)), freshHeartbeat(ctx), GUIDE_ERA);
  life.startUp();
  life.idleUntil(life.end);
  record(ctx, life, 'active', life.metadata('active'));
  return [life.id];
}

/**
 * Near miss of a crash on a `terminated` row: a 2.1.0 worker that finished its work, idled past
 * its own limit, logged its shutdown and terminated itself (`metadata.self_terminated`,
 * `termination_reason`). Nothing failed; the row reads `terminated` like a killed one.
 */
export function cleanIdleShutdown(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const stopAt = ago(ctx, rng.between(45, 120) * MINUTE_S);
  const life = spawn(ctx, stopAt - rng.micros(1.5 * HOUR_S, 3 * HOUR_S), makeHardware(rng, rng.int(0, GPUS.length - 1), 2), ctx.asOf, NO_HEARTBEAT_LINES);
  life.startUp();
  life.work(stopAt, MIXED_WORK, { mode: 'finish' });
  const limitAt = life.lastFinishedAt! + rng.micros(SIM.idleBeforeScaleDownS.min, SIM.idleBeforeScaleDownS.max);
  const shutdownAt = Math.max(limitAt, life.now + rng.micros(1, 5));
  const idleS = Math.round((shutdownAt - life.lastFinishedAt!) / MICROS_PER_SECOND);
  life.say(shutdownAt, 'INFO', `🛑 No task for ${idleS}s: shutting down (self-terminating pod)`);
  const exitAt = shutdownAt + rng.micros(1, 4);
  life.say(exitAt, 'INFO', `✅ Shutdown complete: worker ${life.id} exiting cleanly after ${life.tasksCompleted} tasks`);
  life.dieAt(exitAt + rng.micros(0.5, 3));
  ctx.orchestrator.about(life.end + rng.micros(20, 60), 'INFO', `Worker ${life.id} self-terminated: idle_timeout`, life.id);
  record(ctx, life, 'terminated', { ...life.metadata('terminated'), self_terminated: true, termination_reason: 'idle_timeout' });
  return [life.id];
}

/**
 * Near miss of an initialisation failure: a young 2.4.1 worker (12–20 min old) whose start-up
 * banner and steps are followed by an ordinary working life.
 */
export function startupThenNormalLife(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const createdAt = ago(ctx, rng.between(12, 20) * MINUTE_S);
  const life = spawn(ctx, createdAt, makeHardware(rng, rng.int(0, GPUS.length - 1), 3), freshHeartbeat(ctx), CURRENT);
  life.startUp();
  life.work(life.end, MIXED_WORK, { mode: 'cut', idleS: { min: 10, max: 90 } });
  record(ctx, life, 'active', life.metadata('active'));
  return [life.id];
}

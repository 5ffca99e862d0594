/**
 * The cases of issue 11, which follow a task across workers and judge the orchestrator: a task
 * requeued after its worker crashed and completed by another, and an orchestrator kill whose
 * claimed idle time is false. (The failure period before as-of is a fleet-wide incident:
 * incidents.ts.)
 */
import { MICROS_PER_SECOND } from '../../rows/time.js';
import { GPUS, MIXED_WORK, RAM_TIERS, WAN_ONLY_WORK, makeHardware } from './catalog.js';
import { HOUR_S, MINUTE_S, ago, freshHeartbeat, micros, record, spawn, type ScenarioContext } from './scenario-context.js';
import { CURRENT, SENT_HEARTBEAT_ERA } from './versions.js';

/** What the orchestrator wrongly believes of the killed worker: idle this long. */
const CLAIMED_IDLE_S = 20 * MINUTE_S;
/** How long the killed worker had really been idle: it finished a task this long before the kill. */
const OBSERVED_IDLE_S = 3 * MINUTE_S;

/**
 * A worker (2.4.1) crashes mid-generation and reports status `crashed`; the heartbeat RPC requeues
 * its task with the trace `Requeued: worker crashed (attempt 1)`, and a second worker (1.7.2)
 * claims it a minute later and completes it. Returns [the crashed worker, the one that finished].
 */
export function requeuedAfterCrash(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const crashAt = ago(ctx, rng.between(1.5, 3.5) * HOUR_S);
  const crashed = spawn(ctx, crashAt - rng.micros(HOUR_S, 2.5 * HOUR_S), makeHardware(rng, rng.int(0, GPUS.length - 1), 2), crashAt + rng.micros(0.5, 3), CURRENT);
  crashed.startUp();
  crashed.runTask('travel_segment', crashed.now + rng.micros(5, 60));
  const claimAt = crashAt - rng.micros(60, 150);
  crashed.work(claimAt - MICROS_PER_SECOND, WAN_ONLY_WORK, { mode: 'finish' });
  crashed.idleUntil(claimAt);
  const task = crashed.beginGeneration('travel_segment', claimAt, 0, crashAt);
  crashed.say(crashAt, 'CRITICAL', '💥 Worker process crashed: Segmentation fault (core dumped) in generate_video (status=crashed)', task.id);
  // The heartbeat RPC that carries status `crashed` sends the task back to the queue, leaving its trace.
  task.status = 'Queued';
  task.worker_id = null;
  task.generation_started_at = null;
  task.attempts = 1;
  task.error_message = `Requeued: worker crashed (attempt ${task.attempts})`;
  task.updated_at = crashed.end;
  const noticedAt = crashed.end + rng.micros(20, 60);
  ctx.orchestrator.about(noticedAt, 'WARNING', `Worker ${crashed.id} reported status crashed`, crashed.id);
  ctx.orchestrator.terminatePod(noticedAt + rng.micros(0.5, 3), crashed.id, crashed.hardware.runpodId);
  record(ctx, crashed, 'crashed', crashed.metadata('crashed'));

  const reclaimAt = crashed.end + rng.micros(30, 90);
  const finisher = spawn(ctx, crashAt - rng.micros(1.5 * HOUR_S, 3 * HOUR_S), makeHardware(rng, rng.int(0, GPUS.length - 1), 3), freshHeartbeat(ctx), SENT_HEARTBEAT_ERA);
  finisher.startUp();
  finisher.work(reclaimAt - MICROS_PER_SECOND, MIXED_WORK, { mode: 'finish' });
  finisher.idleUntil(reclaimAt);
  finisher.runTask('travel_segment', reclaimAt, { requeued: task });
  finisher.work(finisher.end, MIXED_WORK, { mode: 'cut' });
  record(ctx, finisher, 'active', finisher.metadata('active'));
  return [crashed.id, finisher.id];
}

/**
 * The orchestrator kills a 2.4.1 worker as GPU_READY_NOT_CLAIMING, "idle for 20 minutes", three
 * minutes after the worker finished a task: the claimed idle time is false. Its pod is terminated
 * and its row reads `terminated`, with the kill in its metadata.
 */
export function falseIdleKill(ctx: ScenarioContext): string[] {
  const { rng } = ctx;
  const killAt = ago(ctx, rng.between(1, 2.5) * HOUR_S);
  const hardware = makeHardware(rng, rng.int(0, GPUS.length - 1), rng.int(0, RAM_TIERS.length - 1));
  const life = spawn(ctx, killAt - rng.micros(1.5 * HOUR_S, 3 * HOUR_S), hardware, killAt + rng.micros(3, 12), CURRENT);
  life.startUp();
  // The last task: joining clips, which needs no model, ending OBSERVED_IDLE_S before the kill.
  const workS = rng.between(10, 20);
  const claimAt = killAt - micros(OBSERVED_IDLE_S + workS + 3);
  life.work(claimAt - MICROS_PER_SECOND, WAN_ONLY_WORK, { mode: 'finish' });
  life.idleUntil(claimAt);
  life.runTask('join_clips', claimAt, { workS });
  life.idleUntil(life.end);
  const kill = ctx.orchestrator.kill(killAt, life.id, life.createdAt, { hardware, vramUsedMb: life.vramUsedMb }, {
    code: 'GPU_READY_NOT_CLAIMING',
    reason: `GPU ready but not claiming tasks: idle for ${CLAIMED_IDLE_S / MINUTE_S} minutes`,
    diagnostics: { idle_s: CLAIMED_IDLE_S, queued_tasks: rng.int(2, 9) },
    logTail: [],
  });
  record(ctx, life, 'terminated', { ...life.metadata('terminated'), ...kill });
  return [life.id];
}

/**
 * One simulated worker, lived forward in time: start-up, logged heartbeats, tasks, model loads.
 *
 * Every line is written in time order. `end` is the worker's last DB heartbeat: the guardian
 * flushes buffered lines with each heartbeat, so nothing the worker logs after `end` ever reaches
 * `system_logs` (it died, or as-of came first). Lines past `end` are dropped and a task still
 * running at `end` stays In Progress, which is exactly how a crash orphans a task.
 */
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import {
  MODEL_OF,
  MODEL_VRAM_SHARE,
  SIM,
  VLM_NAME,
  paramsFor,
  promptOf,
  type Hardware,
  type Range,
  type TaskFailure,
  type TaskKind,
} from './catalog.js';
import type { Rng } from './random.js';
import type { FleetTables, LogLevel, TaskRecord } from './tables.js';

/** VRAM a worker holds with no model loaded (CUDA context, VAE, text encoder offloaded). */
const IDLE_VRAM_MB = 900;
const PROGRESS_POINTS = [0.25, 0.5, 0.75] as const;

export interface WorkOptions {
  /** `finish`: only tasks that end before `until`; `cut`: the last task may run past it and past `end`. */
  mode: 'finish' | 'cut';
  idleS?: Range;
}

export interface TaskOptions {
  /** The task is not started unless it can end by then. */
  finishBy?: Instant;
  /** Generation time, instead of a draw (a long one makes sure the task is still running at `end`). */
  workS?: number;
  /** A VLM load this slow, during which the main process logs nothing, heartbeats included. */
  vlmStallS?: number;
}

export class WorkerLife {
  loadedModel: string | null = null;
  vramUsedMb = IDLE_VRAM_MB;
  tasksCompleted = 0;
  /** Time of the latest event the worker reached (logged or not). */
  private cursor: Instant;
  private nextHeartbeat = Number.POSITIVE_INFINITY;
  /** One string shared by all of this worker's heartbeat lines (a third of all lines). */
  private readonly heartbeatMessage: string;

  constructor(
    private readonly tables: FleetTables,
    private readonly rng: Rng,
    readonly id: string,
    readonly createdAt: Instant,
    readonly hardware: Hardware,
    readonly end: Instant,
  ) {
    this.cursor = createdAt;
    this.heartbeatMessage = `✅ [HEARTBEAT] Worker ${id} active`;
  }

  get now(): Instant {
    return this.cursor;
  }

  say(at: Instant, level: LogLevel, message: string, taskId: string | null = null, metadata: Record<string, unknown> | null = null): void {
    this.heartbeatsBefore(at);
    if (at > this.cursor) this.cursor = at;
    if (at > this.end) return;
    this.tables.log(at, 'worker', this.id, level, message, taskId, this.id, null, metadata);
  }

  /** A logged heartbeat outside the regular rhythm (the regular ones come by themselves). */
  heartbeatAt(at: Instant): void {
    if (at > this.cursor) this.cursor = at;
    if (at > this.end) return;
    this.tables.log(at, 'worker', this.id, 'INFO', this.heartbeatMessage, null, this.id, null, null);
  }

  /** Time passes with nothing but logged heartbeats. */
  idleUntil(at: Instant): void {
    this.heartbeatsBefore(at);
    if (at > this.cursor) this.cursor = at;
  }

  private pauseHeartbeats(): void {
    this.nextHeartbeat = Number.POSITIVE_INFINITY;
  }

  private resumeHeartbeats(from: Instant): void {
    this.nextHeartbeat = from + this.heartbeatInterval();
  }

  private heartbeatInterval(): number {
    const range = this.rng.chance(SIM.loggedHeartbeatGapChance) ? SIM.loggedHeartbeatLongGapS : SIM.loggedHeartbeatEveryS;
    return this.rng.micros(range.min, range.max);
  }

  private heartbeatsBefore(at: Instant): void {
    while (this.nextHeartbeat < at && this.nextHeartbeat <= this.end) {
      this.heartbeatAt(this.nextHeartbeat);
      this.nextHeartbeat += this.heartbeatInterval();
    }
  }

  private after(at: Instant, lowS: number, highS: number): Instant {
    return at + this.rng.micros(lowS, highS);
  }

  startUp(): void {
    const { hardware, id } = this;
    let t = this.after(this.createdAt, SIM.firstLineAfterCreateS.min, SIM.firstLineAfterCreateS.max);
    this.resumeHeartbeats(t);
    const host = hardware.runpodId === null ? 'external host' : `RunPod pod ${hardware.runpodId}`;
    this.say(t, 'INFO', `🚀 Starting worker ${id} on ${host}`);
    t = this.after(t, 0.2, 1);
    this.say(t, 'DEBUG', 'startup_phase=deps_installing: pip install -r requirements_worker.txt');
    const depsS = this.rng.between(8, 30);
    t += Math.round(depsS * MICROS_PER_SECOND);
    this.say(t, 'INFO', `✅ Dependencies verified in ${depsS.toFixed(1)}s`);
    t = this.after(t, 1, 4);
    this.say(t, 'INFO', `GPU detected: ${hardware.gpu} (${hardware.vramTotalMb} MB VRAM)`);
    t = this.after(t, 0.1, 0.5);
    this.say(t, 'INFO', `🧠 Using Memory Profile ${hardware.memoryProfile} (ram_tier=${hardware.ramTier}GB)`);
    t = this.after(t, 1, 5);
    this.say(t, 'INFO', 'Worker ready (startup_phase=ready), polling for tasks');
  }

  /** Claims and runs tasks drawn from `mix` until `until` (and never past `end`). */
  work(until: Instant, mix: readonly TaskKind[], options: WorkOptions): void {
    const idle = options.idleS ?? SIM.idleBetweenTasksS;
    const finishBy = options.mode === 'finish' ? until : undefined;
    for (;;) {
      const claimAt = this.after(this.cursor, idle.min, idle.max);
      if (claimAt >= until || claimAt > this.end) break;
      if (this.runTask(this.rng.pick(mix), claimAt, { finishBy }) === null) break;
    }
    this.idleUntil(Math.min(until, this.end));
  }

  /** Runs one task to completion (or to `end`). Null, with nothing written, when it cannot end by `finishBy`. */
  runTask(kind: TaskKind, claimAt: Instant, options: TaskOptions = {}): TaskRecord | null {
    const model = MODEL_OF[kind];
    const loadS = model !== null && model !== this.loadedModel ? this.rng.between(SIM.modelLoadS.min, SIM.modelLoadS.max) : 0;
    const vlmS = kind === 'travel_orchestrator' ? (options.vlmStallS ?? this.rng.between(SIM.vlmLoadS.min, SIM.vlmLoadS.max)) : 0;
    const workS = options.workS ?? this.rng.between(SIM.workS[kind].min, SIM.workS[kind].max);
    const latestEnd = claimAt + Math.round((loadS + vlmS + workS + SIM.taskOverheadS) * MICROS_PER_SECOND);
    if (options.finishBy !== undefined && latestEnd > options.finishBy) return null;

    const task = this.claim(kind, claimAt, 0);
    let t = this.after(claimAt, 0.2, 1.2);
    if (model !== null && loadS > 0) t = this.loadModel(t, model, loadS, task.id);
    if (kind === 'travel_orchestrator') t = this.loadVlm(t, vlmS, options.vlmStallS !== undefined, task.id);
    const generationStart = this.startGeneration(kind, t, task);
    const generationEnd = generationStart + Math.round(workS * MICROS_PER_SECOND);
    this.progress(kind, generationStart, workS, generationEnd, task.id);
    this.complete(task, generationEnd, workS);
    return task;
  }

  /** The claim line and the task as it is from then on (In Progress on this worker). */
  claim(kind: TaskKind, claimAt: Instant, priorAttempts: number): TaskRecord {
    const id = this.rng.uuid();
    const params = paramsFor(kind, this.rng);
    const queued = priorAttempts > 0 ? SIM.retriedTaskQueuedS : SIM.queuedBeforeClaimS;
    const queuedS = this.rng.between(queued.min, queued.max);
    const task: TaskRecord = {
      id,
      task_type: kind,
      params,
      status: 'In Progress',
      worker_id: this.id,
      attempts: priorAttempts,
      error_message: null,
      result_data: null,
      created_at: claimAt - Math.round(queuedS * MICROS_PER_SECOND),
      updated_at: claimAt,
      generation_started_at: claimAt,
      generation_processed_at: null,
    };
    this.say(claimAt, 'INFO', `📥 Claimed task ${id} (${kind})`, id, { task_type: kind, attempt: priorAttempts + 1 });
    const prompt = promptOf(params);
    if (prompt !== null) this.say(this.after(claimAt, 0.05, 0.3), 'DEBUG', `Prompt: "${prompt}"`, id);
    return task;
  }

  /** The line that starts a model load: `🔄 MODEL SWITCH` when another model was loaded. */
  announceModel(at: Instant, model: string, taskId: string): void {
    if (this.loadedModel === null) this.say(at, 'INFO', `📦 Loading model ${model} (initial load)`, taskId);
    else this.say(at, 'INFO', `🔄 MODEL SWITCH: ${this.loadedModel} -> ${model}`, taskId);
    this.loadedModel = model;
  }

  /** The VRAM a model holds on this GPU once loaded, MB. */
  vramWith(model: string, fullShare = false): number {
    const share = MODEL_VRAM_SHARE[model] ?? { min: 0.5, max: 0.6 };
    const fraction = fullShare ? this.rng.between(0.95, 0.995) : this.rng.between(share.min, share.max);
    return Math.round(this.hardware.vramTotalMb * fraction);
  }

  private loadModel(at: Instant, model: string, loadS: number, taskId: string): Instant {
    this.announceModel(at, model, taskId);
    const loaded = at + Math.round(loadS * MICROS_PER_SECOND);
    this.vramUsedMb = this.vramWith(model);
    const vram = `${this.vramUsedMb}/${this.hardware.vramTotalMb} MB`;
    this.say(loaded, 'INFO', `Model ${model} loaded in ${loadS.toFixed(1)}s (VRAM ${vram})`, taskId);
    return loaded;
  }

  private loadVlm(at: Instant, loadS: number, stalls: boolean, taskId: string): Instant {
    this.say(at, 'INFO', 'Before VLM loading', taskId);
    const loaded = at + Math.round(loadS * MICROS_PER_SECOND);
    if (stalls) this.pauseHeartbeats();
    this.say(loaded, stalls ? 'WARNING' : 'INFO', `VLM loaded (${VLM_NAME}) in ${loadS.toFixed(1)}s`, taskId);
    if (stalls) this.resumeHeartbeats(loaded);
    return loaded;
  }

  private startGeneration(kind: TaskKind, at: Instant, task: TaskRecord): Instant {
    const t = this.after(at, 0.2, 1);
    switch (kind) {
      case 'travel_segment':
        this.say(t, 'DEBUG', 'Starting generation: 81 frames @ 832x480, 30 steps (wan_2_2_i2v)', task.id);
        break;
      case 'single_image':
        this.say(t, 'DEBUG', 'Editing image with qwen_image_edit, 20 steps', task.id);
        break;
      case 'travel_orchestrator':
        this.say(t, 'DEBUG', `Captioning keyframes for ${String(task.params['num_segments'])} segments`, task.id);
        break;
      case 'join_clips':
        this.say(
          t,
          'INFO',
          `Joining ${String(task.params['clip_count'])} clips: ffmpeg -filter_complex "concat=v=1" -vf "scale=832:480\\,fps=16"`,
          task.id,
        );
        break;
    }
    return t;
  }

  /** Progress lines of a generation, those before `stopAt` only (a failure or a cancel cuts it short). */
  private progress(kind: TaskKind, start: Instant, workS: number, stopAt: Instant, taskId: string): void {
    if (kind !== 'travel_segment' && kind !== 'single_image') return;
    const steps = kind === 'travel_segment' ? 30 : 20;
    for (const point of PROGRESS_POINTS) {
      const at = start + Math.round(workS * point * MICROS_PER_SECOND);
      if (at >= stopAt) return;
      this.say(at, 'DEBUG', `Step ${Math.round(steps * point)}/${steps} (${point * 100}%)`, taskId);
      if (point === 0.5 && this.rng.chance(0.05)) {
        const used = Math.round(this.hardware.vramTotalMb * this.rng.between(0.93, 0.98));
        const percent = Math.round((used / this.hardware.vramTotalMb) * 100);
        this.say(at + 1, 'WARNING', `⚠️ VRAM usage high: ${used}/${this.hardware.vramTotalMb} MB (${percent}%)`, taskId);
      }
    }
  }

  private complete(task: TaskRecord, generationEnd: Instant, workS: number): void {
    const kind = task.task_type as TaskKind;
    if (kind === 'travel_orchestrator') {
      this.say(generationEnd, 'INFO', `Planned ${String(task.params['num_segments'])} travel_segment tasks`, task.id);
    } else {
      const verb = kind === 'join_clips' ? 'Joined clips' : 'Generation complete';
      this.say(generationEnd, 'INFO', `${verb} in ${workS.toFixed(1)}s`, task.id);
    }
    const extension = kind === 'single_image' ? 'png' : kind === 'travel_orchestrator' ? 'json' : 'mp4';
    const uploaded = this.after(generationEnd, 0.5, 3);
    this.say(uploaded, 'DEBUG', `Uploading ${task.id}.${extension} to bucket 'generated_outputs'`, task.id);
    const done = this.after(uploaded, 0.2, 1);
    this.say(done, 'INFO', `✅ Task ${task.id} Complete`, task.id);
    if (done <= this.end) {
      task.status = 'Complete';
      task.updated_at = done;
      task.generation_processed_at = done;
      task.result_data = {
        output_location: `https://storage.example.com/outputs/${task.id}.${extension}`,
        generation_s: Math.round(workS * 10) / 10,
      };
      this.tasksCompleted++;
    }
    this.tables.addTask(task);
  }

  /**
   * A task that fails at `failAt`: the worker logs the error and reports it; the task is requeued
   * (Queued, worker cleared, attempts + 1) while attempts remain and the error is retryable.
   */
  failTask(kind: TaskKind, claimAt: Instant, failAt: Instant, failure: TaskFailure, priorAttempts: number): void {
    const task = this.beginGeneration(kind, claimAt, priorAttempts, failAt);
    const attempts = priorAttempts + 1;
    const errorType = failure.error.includes(':') ? failure.error.slice(0, failure.error.indexOf(':')) : 'TaskError';
    this.say(failAt, 'ERROR', `❌ Task ${task.id} failed (attempt ${attempts}/${SIM.maxAttempts}): ${failure.error}`, task.id, {
      error_type: errorType,
    });
    const requeued = failure.retryable && attempts < SIM.maxAttempts;
    const reported = this.after(failAt, 0.1, 0.8);
    if (requeued) this.say(reported, 'INFO', `↩️ Task ${task.id} returned to the queue (attempts=${attempts})`, task.id);
    else this.say(reported, 'WARNING', `Task ${task.id} marked Failed after ${attempts} attempt(s)`, task.id);
    task.attempts = attempts;
    task.error_message = failure.error;
    task.updated_at = reported;
    if (requeued) {
      task.status = 'Queued';
      task.worker_id = null;
      task.generation_started_at = null;
    } else {
      task.status = 'Failed';
    }
    this.tables.addTask(task);
  }

  /** A task the user cancels while it generates. */
  cancelTask(kind: TaskKind, claimAt: Instant, cancelAt: Instant): void {
    const task = this.beginGeneration(kind, claimAt, 0, cancelAt);
    this.say(cancelAt, 'WARNING', `⚠️ Task ${task.id} cancelled by user; stopping generation`, task.id);
    task.status = 'Cancelled';
    task.updated_at = cancelAt;
    this.tables.addTask(task);
  }

  /** Claim, load what the task needs, start generating, and log progress up to `stopAt`. */
  private beginGeneration(kind: TaskKind, claimAt: Instant, priorAttempts: number, stopAt: Instant): TaskRecord {
    const task = this.claim(kind, claimAt, priorAttempts);
    let t = this.after(claimAt, 0.2, 1.2);
    const model = MODEL_OF[kind];
    if (model !== null && model !== this.loadedModel) {
      t = this.loadModel(t, model, this.rng.between(SIM.modelLoadS.min, SIM.modelLoadS.max), task.id);
    }
    const start = this.startGeneration(kind, t, task);
    this.progress(kind, start, (stopAt - start) / MICROS_PER_SECOND / 0.8, stopAt, task.id);
    return task;
  }

  /** `workers.metadata` as the guardian last merged it (VRAM figures as of the last heartbeat). */
  metadata(orchestratorStatus: string, startupPhase = 'ready'): Record<string, unknown> {
    const metadata: Record<string, unknown> = {
      ram_tier: this.hardware.ramTier,
      pod_details: { gpu_type_id: this.hardware.gpu, gpu_count: 1 },
    };
    if (this.hardware.runpodId !== null) metadata['runpod_id'] = this.hardware.runpodId;
    metadata['orchestrator_status'] = orchestratorStatus;
    metadata['startup_phase'] = startupPhase;
    metadata['vram_total_mb'] = this.hardware.vramTotalMb;
    metadata['vram_used_mb'] = this.vramUsedMb;
    metadata['vram_timestamp'] = this.tables.timestamp(this.end);
    return metadata;
  }
}

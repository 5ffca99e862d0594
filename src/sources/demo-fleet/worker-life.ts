/**
 * One simulated worker, lived forward in time: start-up, logged heartbeats, tasks, model loads.
 *
 * Every line is written in time order and worded by the worker's version (versions.ts). `end` is
 * the worker's last DB heartbeat: the guardian flushes buffered lines with each heartbeat, so
 * nothing the worker logs after `end` ever reaches `system_logs` (it died, or as-of came first).
 * Lines past `end` are dropped and a task still running at `end` stays In Progress, which is
 * exactly how a crash orphans a task. DEBUG lines are dropped too when the version ships none.
 */
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import {
  MODEL_OF,
  MODEL_RAM_MB,
  MODEL_VRAM_SHARE,
  SIM,
  uploadFailed,
  VLM_NAME,
  paramsFor,
  promptOf,
  type Hardware,
  type Range,
  type TaskFailure,
  type TaskKind,
} from './catalog.js';
import type { UploadOutage } from './incidents.js';
import type { Rng } from './random.js';
import type { FleetTables, LogLevel, TaskRecord } from './tables.js';
import { initialLoadLine, ramLine, type WorkerVersion } from './versions.js';

/** VRAM a worker holds with no model loaded (CUDA context, VAE, text encoder offloaded). */
const IDLE_VRAM_MB = 900;
const PROGRESS_POINTS = [0.25, 0.5, 0.75] as const;
/** The worker process's own RAM with no model loaded, MB; and what the rest of the pod uses, GB. */
const PROCESS_BASE_MB: Range = { min: 4200, max: 5600 };
const OTHER_RAM_GB: Range = { min: 2.5, max: 4 };
const MAX_SYSTEM_USED_PCT = 99.5;
const RECENT_LINES_KEPT = 4;
/** The claim's own lines (the claim, the prompt) are written within this long of the claim, s. */
const CLAIM_LINES_S = 0.3;

/** The start-up steps, in order; a start-up may stop after any of them (the worker died there). */
export const STARTUP_STEPS = ['banner', 'deps_installing', 'deps_verified', 'gpu_detected', 'ready'] as const;
export type StartupStep = (typeof STARTUP_STEPS)[number];

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
  /** Claim this task (requeued after another worker's death) instead of a new one. */
  requeued?: TaskRecord;
}

export class WorkerLife {
  loadedModel: string | null = null;
  vramUsedMb = IDLE_VRAM_MB;
  tasksCompleted = 0;
  /** RAM the process holds beyond its base and its model (a leak, when a scenario sets one), MB. */
  ramLeakMb = 0;
  /** When the latest task ended (Complete, Failed or requeued), as the worker reported it. */
  lastFinishedAt: Instant | null = null;
  /** The last few messages that reached the table, oldest first (what a log tail would show). */
  readonly recentLines: string[] = [];
  /** Time of the latest event the worker reached (logged or not). */
  private cursor: Instant;
  private lastHeartbeat: Instant;
  private nextHeartbeat = Number.POSITIVE_INFINITY;
  /** Lines logged since the last logged heartbeat (the `with N logs` of 1.7.2's heartbeat line). */
  private bufferedLines = 0;
  /** Heartbeat lines by buffered count: one string per distinct line (heartbeats are a third of all lines). */
  private readonly heartbeatMessages = new Map<number, string>();
  private readonly processBaseMb: number;
  private readonly otherRamGb: number;
  private modelRamMb = 0;

  constructor(
    private readonly tables: FleetTables,
    private readonly rng: Rng,
    readonly id: string,
    readonly createdAt: Instant,
    readonly hardware: Hardware,
    end: Instant,
    readonly version: WorkerVersion,
    private readonly outage: UploadOutage | null,
  ) {
    this.cursor = createdAt;
    this.lastHeartbeat = end;
    this.processBaseMb = rng.between(PROCESS_BASE_MB.min, PROCESS_BASE_MB.max);
    this.otherRamGb = rng.between(OTHER_RAM_GB.min, OTHER_RAM_GB.max);
  }

  get now(): Instant {
    return this.cursor;
  }

  /** The last DB heartbeat. */
  get end(): Instant {
    return this.lastHeartbeat;
  }

  /** The worker dies at `at` (its last DB heartbeat), for a life whose end is only known once lived. */
  dieAt(at: Instant): void {
    if (at < this.cursor) throw new Error(`demo fleet: ${this.id} cannot die at ${at}, before its last event ${this.cursor}`);
    this.lastHeartbeat = at;
  }

  say(at: Instant, level: LogLevel, message: string, taskId: string | null = null, metadata: Record<string, unknown> | null = null): void {
    this.heartbeatsBefore(at);
    if (at > this.cursor) this.cursor = at;
    if (at > this.lastHeartbeat) return;
    if (level === 'DEBUG' && !this.version.shipsDebug) return;
    this.bufferedLines++;
    this.recentLines.push(message);
    if (this.recentLines.length > RECENT_LINES_KEPT) this.recentLines.shift();
    this.tables.log(at, 'worker', this.id, level, message, taskId, this.id, null, metadata);
  }

  /** A logged heartbeat outside the regular rhythm (the regular ones come by themselves); none on versions that log none. */
  heartbeatAt(at: Instant): void {
    if (at > this.cursor) this.cursor = at;
    const wording = this.version.heartbeatLine;
    if (at > this.lastHeartbeat || wording === null) return;
    let message = this.heartbeatMessages.get(this.bufferedLines);
    if (message === undefined) this.heartbeatMessages.set(this.bufferedLines, (message = wording(this.id, this.bufferedLines)));
    this.bufferedLines = 0;
    this.tables.log(at, 'worker', this.id, this.version.heartbeatLevel, message, null, this.id, null, null);
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
    if (this.version.heartbeatLine !== null) this.nextHeartbeat = from + this.heartbeatInterval();
  }

  private heartbeatInterval(): number {
    const range = this.rng.chance(SIM.loggedHeartbeatGapChance) ? SIM.loggedHeartbeatLongGapS : SIM.loggedHeartbeatEveryS;
    return this.rng.micros(range.min, range.max);
  }

  private heartbeatsBefore(at: Instant): void {
    while (this.nextHeartbeat < at && this.nextHeartbeat <= this.lastHeartbeat) {
      this.heartbeatAt(this.nextHeartbeat);
      this.nextHeartbeat += this.heartbeatInterval();
    }
  }

  private after(at: Instant, lowS: number, highS: number): Instant {
    return at + this.rng.micros(lowS, highS);
  }

  /** System RAM in use, %, with the process at `processMb`. */
  private systemUsedPct(processMb: number): number {
    return Math.min(MAX_SYSTEM_USED_PCT, ((processMb / 1024 + this.otherRamGb) / this.hardware.ramTier) * 100);
  }

  /** A `[RAM]` sample, on versions that log them. */
  sampleRam(at: Instant, label: string, taskId: string | null = null): void {
    if (!this.version.logsRam) return;
    const processMb = (this.processBaseMb + this.modelRamMb + this.ramLeakMb) * this.rng.between(0.995, 1.005);
    this.say(at, 'INFO', ramLine(label, processMb, this.systemUsedPct(processMb), this.hardware.ramTier), taskId);
  }

  /** Sets the leak so that the next `[RAM]` sample reads about `pct` % of system RAM used. */
  leakToReach(pct: number): void {
    const processMb = ((pct / 100) * this.hardware.ramTier - this.otherRamGb) * 1024;
    this.ramLeakMb = Math.max(0, processMb - this.processBaseMb - this.modelRamMb);
  }

  /**
   * The start-up lines, in the version's words, up to and including `lastStep` (a worker that dies
   * during start-up stops early). Returns the instant of the last step.
   */
  startUp(lastStep: StartupStep = 'ready'): Instant {
    const { hardware, id, version } = this;
    const steps = STARTUP_STEPS.slice(0, STARTUP_STEPS.indexOf(lastStep) + 1);
    let t = this.after(this.createdAt, SIM.firstLineAfterCreateS.min, SIM.firstLineAfterCreateS.max);
    this.resumeHeartbeats(t);
    const host = hardware.runpodId === null ? 'external host' : `RunPod pod ${hardware.runpodId}`;
    this.say(t, 'INFO', version.banner(id, host));
    if (version.memoryProfileLine !== null) {
      t = this.after(t, 0.05, 0.3);
      this.say(t, 'INFO', version.memoryProfileLine(hardware.memoryProfile, hardware.ramTier));
    }
    if (steps.includes('deps_installing')) {
      t = this.after(t, 0.2, 1);
      this.say(t, version.shipsDebug ? 'DEBUG' : 'INFO', version.depsInstalling);
    }
    if (steps.includes('deps_verified')) {
      const depsS = this.rng.between(8, 30);
      t += Math.round(depsS * MICROS_PER_SECOND);
      this.say(t, 'INFO', version.depsVerified(depsS));
    }
    if (steps.includes('gpu_detected')) {
      t = this.after(t, 1, 4);
      this.say(t, 'INFO', `GPU detected: ${hardware.gpu} (${hardware.vramTotalMb} MB VRAM)`);
      t = this.after(t, 0.1, 0.5);
      this.sampleRam(t, 'Startup');
    }
    if (steps.includes('ready')) {
      t = this.after(t, 1, 5);
      this.say(t, 'INFO', version.ready(id));
    }
    return t;
  }

  /** Claims and runs tasks drawn from `mix` until `until` (and never past `end`). */
  work(until: Instant, mix: readonly TaskKind[], options: WorkOptions): void {
    const idle = options.idleS ?? SIM.idleBetweenTasksS;
    const finishBy = options.mode === 'finish' ? until : undefined;
    for (;;) {
      const claimAt = this.after(this.cursor, idle.min, idle.max);
      if (claimAt >= until || claimAt > this.lastHeartbeat) break;
      if (this.runTask(this.rng.pick(mix), claimAt, { finishBy }) === null) break;
    }
    this.idleUntil(Math.min(until, this.lastHeartbeat));
  }

  /** Runs one task to completion (or to `end`). Null, with nothing written, when it cannot end by `finishBy`. */
  runTask(kind: TaskKind, claimAt: Instant, options: TaskOptions = {}): TaskRecord | null {
    if (options.requeued) kind = options.requeued.task_type as TaskKind;
    const model = MODEL_OF[kind];
    const loadS = model !== null && model !== this.loadedModel ? this.rng.between(SIM.modelLoadS.min, SIM.modelLoadS.max) : 0;
    const vlmS = kind === 'travel_orchestrator' ? (options.vlmStallS ?? this.rng.between(SIM.vlmLoadS.min, SIM.vlmLoadS.max)) : 0;
    const workS = options.workS ?? this.rng.between(SIM.workS[kind].min, SIM.workS[kind].max);
    const latestEnd = claimAt + Math.round((loadS + vlmS + workS + SIM.taskOverheadS) * MICROS_PER_SECOND);
    if (options.finishBy !== undefined && latestEnd > options.finishBy) return null;

    const task = this.claim(kind, claimAt, 0, options.requeued ?? null);
    let t = this.afterClaim(claimAt);
    if (model !== null && loadS > 0) t = this.loadModel(t, model, loadS, task.id);
    if (kind === 'travel_orchestrator') t = this.loadVlm(t, vlmS, options.vlmStallS !== undefined, task.id);
    const generationStart = this.startGeneration(kind, t, task);
    const generationEnd = generationStart + Math.round(workS * MICROS_PER_SECOND);
    this.progress(kind, generationStart, workS, generationEnd, task.id);
    this.complete(task, generationEnd, workS);
    return task;
  }

  /**
   * The claim line and the task as it is from then on (In Progress on this worker): a new task, or
   * `requeued`, a task another worker's death sent back to the queue (its attempts and trace kept).
   */
  claim(kind: TaskKind, claimAt: Instant, priorAttempts: number, requeued: TaskRecord | null = null): TaskRecord {
    let task: TaskRecord;
    if (requeued !== null) {
      task = requeued;
      task.status = 'In Progress';
      task.worker_id = this.id;
      task.updated_at = claimAt;
      task.generation_started_at = claimAt;
    } else {
      const queued = priorAttempts > 0 ? SIM.retriedTaskQueuedS : SIM.queuedBeforeClaimS;
      const queuedS = this.rng.between(queued.min, queued.max);
      task = {
        id: this.rng.uuid(),
        task_type: kind,
        params: paramsFor(kind, this.rng),
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
    }
    this.say(claimAt, 'INFO', this.version.claim(task.id, kind), task.id, { task_type: kind, attempt: task.attempts + 1 });
    const prompt = promptOf(task.params);
    if (prompt !== null) this.say(this.after(claimAt, 0.05, CLAIM_LINES_S), 'DEBUG', `Prompt: "${prompt}"`, task.id);
    return task;
  }

  /** When the work of a task starts: after the lines of its claim. */
  private afterClaim(claimAt: Instant): Instant {
    return this.after(claimAt, CLAIM_LINES_S + 0.05, 1.2);
  }

  /**
   * The lines that start a model load: the version's MODEL SWITCH line when another model was
   * loaded (after a `[RAM] Before model switch` sample, on versions that log them), else the first load.
   */
  announceModel(at: Instant, model: string, taskId: string): void {
    const from = this.loadedModel;
    this.sampleRam(at - this.rng.micros(0.02, 0.15), from === null ? 'Before model load' : 'Before model switch', taskId);
    this.say(at, 'INFO', from === null ? initialLoadLine(model) : this.version.modelSwitch(from, model), taskId);
    this.loadedModel = model;
  }

  /** The VRAM a model holds on this GPU once loaded, MB. */
  vramWith(model: string, fullShare = false): number {
    const share = MODEL_VRAM_SHARE[model] ?? { min: 0.5, max: 0.6 };
    const fraction = fullShare ? this.rng.between(0.95, 0.995) : this.rng.between(share.min, share.max);
    return Math.round(this.hardware.vramTotalMb * fraction);
  }

  private loadModel(at: Instant, model: string, loadS: number, taskId: string): Instant {
    const from = this.loadedModel;
    this.announceModel(at, model, taskId);
    const loaded = at + Math.round(loadS * MICROS_PER_SECOND);
    this.vramUsedMb = this.vramWith(model);
    const range = MODEL_RAM_MB[model] ?? { min: 5000, max: 7000 };
    this.modelRamMb = this.rng.between(range.min, range.max);
    const vram = `${this.vramUsedMb}/${this.hardware.vramTotalMb} MB`;
    // The load succeeded: said in the version's own words (evidence against an OOM during it).
    this.version.modelLoaded(this.id, from, model, loadS, vram).forEach((line, i) => this.say(loaded + i * 1000, 'INFO', line, taskId));
    this.sampleRam(this.after(loaded, 0.1, 0.4), 'After model load', taskId);
    return loaded;
  }

  /** "Before VLM loading": a line of its own, or the label of a [RAM] sample on versions with a memory logger. */
  announceVlm(at: Instant, taskId: string): void {
    if (this.version.logsRam) this.sampleRam(at, 'Before VLM loading', taskId);
    else this.say(at, 'INFO', 'Before VLM loading', taskId);
  }

  private loadVlm(at: Instant, loadS: number, stalls: boolean, taskId: string): Instant {
    this.announceVlm(at, taskId);
    const loaded = at + Math.round(loadS * MICROS_PER_SECOND);
    if (stalls) this.pauseHeartbeats();
    this.say(loaded, stalls ? 'WARNING' : 'INFO', `VLM loaded (${VLM_NAME}) in ${loadS.toFixed(1)}s`, taskId);
    if (stalls) this.resumeHeartbeats(loaded);
    return loaded;
  }

  /** The first line of a generation, the last one before a long silent generation. */
  startGeneration(kind: TaskKind, at: Instant, task: TaskRecord): Instant {
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
    this.sampleRam(this.after(generationEnd, 0.05, 0.3), 'After generation', task.id);
    const extension = kind === 'single_image' ? 'png' : kind === 'travel_orchestrator' ? 'json' : 'mp4';
    const uploaded = this.after(generationEnd, 0.5, 3);
    this.say(uploaded, 'DEBUG', `Uploading ${task.id}.${extension} to bucket 'generated_outputs'`, task.id);
    // During a storage outage the upload fails after the client's retries, and with it the task.
    const uploadFailedAt = this.after(uploaded, 3, 9);
    const reportedAt = this.after(uploadFailedAt, 0.1, 0.8);
    if (this.outage !== null && reportedAt <= this.lastHeartbeat && this.outage.failsUpload(uploaded, this.id)) {
      this.reportFailure(task, uploadFailedAt, reportedAt, uploadFailed(`generated_outputs/${task.id}.${extension}`));
      return;
    }
    const done = this.after(uploaded, 0.2, 1);
    const finished = this.version.finishedTask;
    this.say(done, 'INFO', finished === null ? `✅ Task ${task.id} Complete` : finished(true), task.id);
    if (done <= this.lastHeartbeat) {
      task.status = 'Complete';
      task.updated_at = done;
      task.generation_processed_at = done;
      task.result_data = {
        output_location: `https://storage.example.com/outputs/${task.id}.${extension}`,
        generation_s: Math.round(workS * 10) / 10,
      };
      this.tasksCompleted++;
      this.lastFinishedAt = done;
    }
    this.tables.addTask(task);
  }

  /**
   * A task that fails at `failAt`: the worker logs the error and reports it; the task is requeued
   * (Queued, worker cleared, attempts + 1) while attempts remain and the error is retryable.
   */
  failTask(kind: TaskKind, claimAt: Instant, failAt: Instant, failure: TaskFailure, priorAttempts: number): void {
    const task = this.beginGeneration(kind, claimAt, priorAttempts, failAt);
    this.reportFailure(task, failAt, this.after(failAt, 0.1, 0.8), failure);
  }

  private reportFailure(task: TaskRecord, failAt: Instant, reportedAt: Instant, failure: TaskFailure): void {
    const attempts = task.attempts + 1;
    const errorType = failure.error.includes(':') ? failure.error.slice(0, failure.error.indexOf(':')) : 'TaskError';
    this.say(failAt, 'ERROR', `❌ Task ${task.id} failed (attempt ${attempts}/${SIM.maxAttempts}): ${failure.error}`, task.id, {
      error_type: errorType,
    });
    const requeued = failure.retryable && attempts < SIM.maxAttempts;
    if (requeued) this.say(reportedAt, 'INFO', `↩️ Task ${task.id} returned to the queue (attempts=${attempts})`, task.id);
    else this.say(reportedAt, 'WARNING', `Task ${task.id} marked Failed after ${attempts} attempt(s)`, task.id);
    const finished = this.version.finishedTask;
    if (finished !== null) this.say(reportedAt + 1000, 'INFO', finished(false), task.id);
    task.attempts = attempts;
    task.error_message = failure.error;
    task.updated_at = reportedAt;
    if (reportedAt <= this.lastHeartbeat) this.lastFinishedAt = reportedAt;
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
  beginGeneration(kind: TaskKind, claimAt: Instant, priorAttempts: number, stopAt: Instant): TaskRecord {
    const task = this.claim(kind, claimAt, priorAttempts);
    let t = this.afterClaim(claimAt);
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
    metadata['worker_version'] = this.version.version;
    metadata['orchestrator_status'] = orchestratorStatus;
    metadata['startup_phase'] = startupPhase;
    metadata['vram_total_mb'] = this.hardware.vramTotalMb;
    metadata['vram_used_mb'] = this.vramUsedMb;
    metadata['vram_timestamp'] = this.tables.timestamp(this.lastHeartbeat);
    return metadata;
  }
}

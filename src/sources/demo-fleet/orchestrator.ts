/**
 * The orchestrator's side of the fleet: its loop lines (no worker_id, a cycle number), the lines it
 * writes about a worker (with that worker's id, source `orchestrator_gpu`), its stale-heartbeat
 * sweep, which marks a silent worker `error` only once its heartbeat is older than
 * THRESHOLDS.orchestratorStaleHeartbeatS: minutes after the death, never at it; and its lifecycle
 * kills (a start-up that never got ready, a worker it believes idle), logged as
 * `WORKER_LIFECYCLE [Worker X] MARKING AS ERROR: …` with the pod's log tail for start-ups.
 * Every kill leaves `error_code`, `error_reason`, `error_time` and `diagnostics` in the worker's
 * metadata (schema page).
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';
import { SIM, type Hardware } from './catalog.js';
import type { Rng } from './random.js';
import type { FleetTables, LogLevel } from './tables.js';

const MICROS_PER_MILLI = 1000;
/** API calls slower than this are logged as warnings. */
const SLOW_API_MS = 170;

/** What the orchestrator knows of the pod when it kills it (its kill diagnostics). */
export interface PodFacts {
  hardware: Hardware;
  vramUsedMb: number;
}

/** A kill for a reason other than a stale heartbeat. */
export interface LifecycleKill {
  code: string;
  /** `metadata.error_reason`. */
  reason: string;
  /** Extra diagnostics the code comes with (e.g. the idle time it saw). */
  diagnostics: Record<string, unknown>;
  /** The pod's last output lines, shipped as `[WORKER_LOG_TAIL]` lines (start-up kills). */
  logTail: readonly string[];
}

export interface StaleVerdict {
  /** The metadata keys the orchestrator merges into the worker row. */
  metadata: Record<string, unknown>;
  markedAt: Instant;
}

export class Orchestrator {
  readonly gpuSourceId: string;
  private readonly apiSourceId: string;
  private readonly firstCycle: number;

  constructor(
    private readonly tables: FleetTables,
    private readonly rng: Rng,
    instance: number,
    private readonly runningSince: Instant,
    private readonly asOf: Instant,
  ) {
    this.gpuSourceId = `gpu-orchestrator-${instance}`;
    this.apiSourceId = `api-orchestrator-${instance}`;
    this.firstCycle = rng.int(10_000, 90_000);
  }

  cycleAt(at: Instant): number {
    return this.firstCycle + Math.floor((at - this.runningSince) / (SIM.orchestratorPollS * MICROS_PER_SECOND));
  }

  /** A line about one worker; lines after as-of have not been written yet. */
  about(
    at: Instant,
    level: LogLevel,
    message: string,
    workerId: string,
    taskId: string | null = null,
    metadata: Record<string, unknown> | null = null,
  ): void {
    if (at > this.asOf) return;
    this.tables.log(at, 'orchestrator_gpu', this.gpuSourceId, level, message, taskId, workerId, this.cycleAt(at), metadata);
  }

  spawned(workerId: string, createdAt: Instant, hardware: Hardware | null): void {
    const what = hardware === null ? 'pod type pending' : `${hardware.gpu}, ram_tier=${hardware.ramTier}GB`;
    this.about(createdAt + this.rng.micros(0.02, 0.6), 'INFO', `🚀 Spawning worker ${workerId}: ${what}`, workerId);
  }

  terminatePod(at: Instant, workerId: string, runpodId: string | null): void {
    if (runpodId !== null) this.about(at, 'INFO', `Terminating RunPod pod ${runpodId}`, workerId);
  }

  /**
   * The sweep that finds a worker silent since `lastHeartbeat`: at its first poll past the limit
   * (and past the start-up grace) it marks the worker `error`, then terminates the pod.
   * Null when as-of comes before that poll: the worker is dead but still says `active`.
   */
  markStale(
    workerId: string,
    createdAt: Instant,
    lastHeartbeat: Instant,
    runpodId: string | null,
    taskInProgress: string | null,
    pod: PodFacts | null = null,
  ): StaleVerdict | null {
    const dueAt = Math.max(
      lastHeartbeat + THRESHOLDS.orchestratorStaleHeartbeatS * MICROS_PER_SECOND,
      createdAt + SIM.orchestratorStartupGraceS * MICROS_PER_SECOND,
    );
    const markedAt = dueAt + this.rng.micros(0, SIM.orchestratorPollS);
    if (markedAt > this.asOf) return null;
    const ageS = Math.round((markedAt - lastHeartbeat) / MICROS_PER_SECOND);
    const errorCode = taskInProgress === null ? 'STALE_HEARTBEAT_TASKS_QUEUED' : 'STALE_HEARTBEAT_ACTIVE_TASK';
    this.about(
      markedAt,
      'WARNING',
      `Worker ${workerId} heartbeat stale for ${ageS}s (limit ${THRESHOLDS.orchestratorStaleHeartbeatS}s)`,
      workerId,
      null,
      { heartbeat_age_s: ageS },
    );
    const markLineAt = markedAt + this.rng.micros(0.05, 0.3);
    this.about(markLineAt, 'ERROR', `Marking worker ${workerId} as error: heartbeat stale for ${ageS}s [${errorCode}]`, workerId, null, {
      error_code: errorCode,
    });
    if (taskInProgress !== null) {
      this.about(markLineAt + 1, 'WARNING', `Task ${taskInProgress} still In Progress on worker ${workerId}`, workerId, taskInProgress);
    }
    this.terminatePod(markLineAt + this.rng.micros(0.5, 4), workerId, runpodId);
    const reason =
      taskInProgress === null
        ? `No heartbeat for ${ageS}s while tasks are queued`
        : `No heartbeat for ${ageS}s with task ${taskInProgress} In Progress`;
    return {
      markedAt,
      metadata: {
        error_reason: reason,
        error_code: errorCode,
        error_time: this.tables.timestamp(markedAt),
        diagnostics: {
          heartbeat_age_s: ageS,
          last_heartbeat: this.tables.timestamp(lastHeartbeat),
          ...this.diagnostics(createdAt, markedAt, pod, taskInProgress === null ? 0 : 1),
        },
      },
    };
  }

  /** The pod as the orchestrator sees it at a kill: VRAM, running tasks, pod status, uptime, cost. */
  private diagnostics(createdAt: Instant, at: Instant, pod: PodFacts | null, runningTasks: number): Record<string, unknown> {
    const uptimeS = Math.round((at - createdAt) / MICROS_PER_SECOND);
    if (pod === null) return { running_tasks: runningTasks, uptime_s: uptimeS };
    return {
      vram_used_mb: pod.vramUsedMb,
      vram_total_mb: pod.hardware.vramTotalMb,
      running_tasks: runningTasks,
      pod_status: 'RUNNING',
      uptime_s: uptimeS,
      cost_per_hr: pod.hardware.costPerHr,
    };
  }

  /**
   * A lifecycle kill at `at`: the MARKING AS ERROR line, the log tail, then the pod's termination.
   * Returns the metadata keys the orchestrator merges into the row (which then reads `terminated`).
   */
  kill(at: Instant, workerId: string, createdAt: Instant, pod: PodFacts, kill: LifecycleKill): Record<string, unknown> {
    this.about(at, 'ERROR', `WORKER_LIFECYCLE [Worker ${workerId}] MARKING AS ERROR: ${kill.code} - ${kill.reason}`, workerId, null, {
      error_code: kill.code,
    });
    let t = at + this.rng.micros(0.1, 0.5);
    for (const line of kill.logTail) {
      this.about(t, 'INFO', `[WORKER_LOG_TAIL] ${line}`, workerId);
      t += this.rng.micros(0.001, 0.01);
    }
    this.terminatePod(t + this.rng.micros(0.5, 4), workerId, pod.hardware.runpodId);
    return {
      orchestrator_status: 'terminated',
      error_reason: kill.reason,
      error_code: kill.code,
      error_time: this.tables.timestamp(at),
      diagnostics: { ...kill.diagnostics, ...this.diagnostics(createdAt, at, pod, 0) },
    };
  }

  /** The loop's own lines, from `runningSince` to as-of: one cycle per poll, queue counts per API poll. */
  runLoops(): void {
    const pollMicros = SIM.orchestratorPollS * MICROS_PER_SECOND;
    let active = this.rng.int(8, 14);
    let queued = this.rng.int(0, 8);
    let at = this.runningSince + this.rng.micros(0, SIM.orchestratorPollS);
    for (; at <= this.asOf; at += pollMicros + this.rng.micros(0, 1.5)) {
      const cycle = this.cycleAt(at);
      active = Math.max(2, active + this.rng.int(-1, 1));
      queued = Math.max(0, queued + this.rng.int(-2, 2));
      const spawning = this.rng.chance(0.1) ? 1 : 0;
      const inProgress = this.rng.int(Math.floor(active / 2), active);
      const summary = `🔁 Cycle ${cycle}: ${active} active, ${spawning} spawning, ${queued} queued, ${inProgress} in progress`;
      this.loopLine(at, 'INFO', summary, cycle, null);
      const tookS = this.rng.between(0.4, 2.5);
      const finishedAt = at + Math.round(tookS * MICROS_PER_SECOND);
      this.loopLine(finishedAt, 'DEBUG', `Cycle ${cycle} finished in ${tookS.toFixed(2)}s`, cycle, {
        duration_ms: Math.round(tookS * 1000),
      });
      if (this.rng.chance(0.02)) {
        this.loopLine(finishedAt + 1, 'WARNING', `RunPod API slow: list_pods took ${(tookS * 3).toFixed(1)}s`, cycle, null);
      }
    }
    // The API runs in Node: its timestamps have millisecond precision only.
    const apiPollMicros = SIM.apiPollS * MICROS_PER_SECOND;
    let apiCycle = this.rng.int(1_000, 9_000);
    for (at = this.runningSince + this.rng.micros(0, SIM.apiPollS); at <= this.asOf; at += apiPollMicros + this.rng.micros(0, 2)) {
      const tookMs = this.rng.int(12, 180);
      const counts = `queued=${this.rng.int(0, 12)}, in_progress=${this.rng.int(2, 14)}`;
      this.tables.log(
        at - (at % MICROS_PER_MILLI),
        'orchestrator_api',
        this.apiSourceId,
        tookMs > SLOW_API_MS ? 'WARNING' : 'INFO',
        `GET /api/tasks/counts 200 in ${tookMs}ms: ${counts}`,
        null,
        null,
        apiCycle++,
        null,
      );
    }
  }

  private loopLine(at: Instant, level: LogLevel, message: string, cycle: number, metadata: Record<string, unknown> | null): void {
    if (at <= this.asOf) this.tables.log(at, 'orchestrator_gpu', this.gpuSourceId, level, message, null, null, cycle, metadata);
  }
}

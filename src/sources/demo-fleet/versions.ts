/**
 * Worker versions and the wording each one logs, after the drift table of the schema page ("How
 * real fleets drift from the guide"). A simulated worker runs one version for its whole life and
 * records it in `metadata.worker_version`; every line that marks an event (start-up step, ready,
 * claim, model switch and its successful end, heartbeat, memory profile, [RAM] sample) is worded by
 * its version, so that one fleet holds the guide's wording and the later ones side by side.
 *
 * - 1.4.0 and 1.7.2, the guide's era: DEBUG lines shipped, logged heartbeats in the guide's
 *   `✅ [HEARTBEAT] Worker … active` (INFO) or the later `[HEARTBEAT] ✅ Sent for worker … with N logs`
 *   (DEBUG, which reaches the table only because these workers ship DEBUG), `🔄 MODEL SWITCH: a -> b`,
 *   `Model loaded: b in 12.3s (VRAM …)` once loaded, `🧠 Using Memory Profile N`.
 * - 2.1.0: no heartbeat line at all and only INFO and up reach the table (`DB_LOG_LEVEL=INFO`);
 *   `🔄 MODEL SWITCH: Switching from a to b using WGP's preload_model_when_switching` before the
 *   load, `<worker> switched model: a → b` and `Model switch completed in 12.3s` after it,
 *   `[CLAIM] Claimed task …`, `Finished task (Success: True)`, `[RAM] …` samples, no memory-profile line.
 * - 2.4.1: as 2.1.0, but `🔄 MODEL SWITCH: Using WGP's generate_video pattern - switching from
 *   (current: a) to b`, the logging helper's `Model switch: a → b (12.3s)` / `Model loaded: b`, and
 *   the profile only as the launch option `--wgp-profile N`.
 */

export interface WorkerVersion {
  /** `metadata.worker_version`. */
  version: string;
  /** DEBUG lines reach `system_logs` only when the worker ships them (`DB_LOG_LEVEL=DEBUG`). */
  shipsDebug: boolean;
  /** The logged heartbeat line, given the lines buffered since the last one; null: none is logged. */
  heartbeatLine: ((workerId: string, bufferedLines: number) => string) | null;
  heartbeatLevel: 'INFO' | 'DEBUG';
  /** The version logs `[RAM]` memory samples (and words "Before VLM loading" as one's label). */
  logsRam: boolean;
  banner(workerId: string, host: string): string;
  /** The start-up line that names the memory profile, or null when the version writes none. */
  memoryProfileLine: ((profile: number, ramTierGb: number) => string) | null;
  depsInstalling: string;
  depsVerified(seconds: number): string;
  ready(workerId: string): string;
  claim(taskId: string, kind: string): string;
  /** Logged before the load: the MODEL SWITCH line. */
  modelSwitch(from: string, to: string): string;
  /** Logged once a load (a switch, or the first load when `from` is null) succeeded. */
  modelLoaded(workerId: string, from: string | null, to: string, seconds: number, vram: string): string[];
  /** Logged when a task ends; null: the version logs `✅ Task … Complete` instead. */
  finishedTask: ((success: boolean) => string) | null;
}

/** The first load of a worker's life is no switch: every version announces it alike. */
export function initialLoadLine(model: string): string {
  return `📦 Loading model ${model} (initial load)`;
}

const GUIDE_ERA_BASE: Omit<WorkerVersion, 'version' | 'heartbeatLine' | 'heartbeatLevel'> = {
  shipsDebug: true,
  logsRam: false,
  banner: (id, host) => `🚀 Starting worker ${id} on ${host}`,
  memoryProfileLine: (profile, ramTierGb) => `🧠 Using Memory Profile ${profile} (ram_tier=${ramTierGb}GB)`,
  depsInstalling: 'startup_phase=deps_installing: pip install -r requirements_worker.txt',
  depsVerified: (s) => `✅ Dependencies verified in ${s.toFixed(1)}s`,
  ready: () => 'Worker ready (startup_phase=ready), polling for tasks',
  claim: (taskId, kind) => `📥 Claimed task ${taskId} (${kind})`,
  modelSwitch: (from, to) => `🔄 MODEL SWITCH: ${from} -> ${to}`,
  modelLoaded: (_id, _from, to, s, vram) => [`Model loaded: ${to} in ${s.toFixed(1)}s (VRAM ${vram})`],
  finishedTask: null,
};

/** The guide's own wording, its heartbeat line informational (INFO). */
export const GUIDE_ERA: WorkerVersion = {
  ...GUIDE_ERA_BASE,
  version: '1.4.0',
  heartbeatLine: (id) => `✅ [HEARTBEAT] Worker ${id} active`,
  heartbeatLevel: 'INFO',
};

/** The guide's era, with the DEBUG heartbeat line the schema page quotes (removed by later versions). */
export const SENT_HEARTBEAT_ERA: WorkerVersion = {
  ...GUIDE_ERA_BASE,
  version: '1.7.2',
  heartbeatLine: (id, buffered) => `[HEARTBEAT] ✅ Sent for worker ${id} with ${buffered} logs`,
  heartbeatLevel: 'DEBUG',
};

const LATER_BASE: Omit<WorkerVersion, 'version' | 'banner' | 'memoryProfileLine' | 'modelSwitch' | 'modelLoaded'> = {
  shipsDebug: false,
  heartbeatLine: null,
  heartbeatLevel: 'DEBUG',
  logsRam: true,
  depsInstalling: 'Installing dependencies (startup_phase=deps_installing)',
  depsVerified: (s) => `✅ Dependencies verified in ${s.toFixed(1)}s`,
  ready: (id) => `Worker ${id} ready to claim tasks (startup_phase=ready)`,
  claim: (taskId) => `[CLAIM] Claimed task ${taskId}`,
  finishedTask: (success) => `Finished task (Success: ${success ? 'True' : 'False'})`,
};

/** No heartbeat lines; the switch announced with WGP's preload, its end by the queue's download step. */
export const NO_HEARTBEAT_LINES: WorkerVersion = {
  ...LATER_BASE,
  version: '2.1.0',
  banner: (id, host) => `🚀 Worker ${id} starting (worker 2.1.0, ${host})`,
  memoryProfileLine: null,
  modelSwitch: (from, to) => `🔄 MODEL SWITCH: Switching from ${from} to ${to} using WGP's preload_model_when_switching`,
  modelLoaded: (id, from, to, s) => [`${id} switched model: ${from ?? 'None'} → ${to}`, `Model switch completed in ${s.toFixed(1)}s`],
};

/** The current worker: generate_video's switch line and the logging helper's finished lines. */
export const CURRENT: WorkerVersion = {
  ...LATER_BASE,
  version: '2.4.1',
  banner: (id, host) => `🚀 Worker ${id} starting (worker 2.4.1, ${host})`,
  memoryProfileLine: (profile) => `Launch options: --wgp-profile ${profile} --db-log-level INFO`,
  modelSwitch: (from, to) => `🔄 MODEL SWITCH: Using WGP's generate_video pattern - switching from (current: ${from}) to ${to}`,
  modelLoaded: (_id, from, to, s) => [from === null ? `Model loaded: ${to}` : `Model switch: ${from} → ${to} (${s.toFixed(1)}s)`],
};

/** A `[RAM]` sample, worded as the worker's memory logger prints it. */
export function ramLine(label: string, processMb: number, systemUsedPct: number, totalGb: number): string {
  // Available RAM from the percentage as printed, so that the printed figures agree with each other.
  const usedPct = systemUsedPct.toFixed(1);
  const availableGb = (totalGb * (100 - Number(usedPct))) / 100;
  return (
    `[RAM] ${label}: Process=${Math.round(processMb)}MB (${(processMb / 1024).toFixed(2)}GB) | ` +
    `System=${usedPct}% used, ${availableGb.toFixed(1)}GB/${totalGb.toFixed(1)}GB available`
  );
}

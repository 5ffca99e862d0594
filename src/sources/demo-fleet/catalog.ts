/**
 * What the simulated fleet is made of: hardware, task kinds, models, prompts, and the behaviour
 * constants of the real system (schema page) that are not analysis thresholds.
 */
import type { Rng } from './random.js';

export interface Hardware {
  gpu: string;
  vramTotalMb: number;
  /** System RAM, GB. */
  ramTier: number;
  memoryProfile: number;
  /** Null for an `external` worker, which runs outside RunPod. */
  runpodId: string | null;
  /** What the pod costs, USD per hour (the orchestrator's kill diagnostics quote it). */
  costPerHr: number;
}

export const GPUS: readonly { gpu: string; vramTotalMb: number; costPerHr: number }[] = [
  { gpu: 'NVIDIA GeForce RTX 4090', vramTotalMb: 24564, costPerHr: 0.69 },
  { gpu: 'NVIDIA RTX A6000', vramTotalMb: 49140, costPerHr: 0.79 },
  { gpu: 'NVIDIA L40S', vramTotalMb: 46068, costPerHr: 1.03 },
  { gpu: 'NVIDIA H100 80GB HBM3', vramTotalMb: 81559, costPerHr: 2.99 },
];

export const RAM_TIERS: readonly number[] = [24, 32, 48, 64];

/** The worker picks the lighter offloading profile when it has the RAM for it. */
const PROFILE_4_MIN_RAM_GB = 48;

export function makeHardware(rng: Rng, gpuIndex: number, tierIndex: number, external = false): Hardware {
  const gpu = GPUS[gpuIndex % GPUS.length]!;
  const ramTier = RAM_TIERS[tierIndex % RAM_TIERS.length]!;
  return {
    gpu: gpu.gpu,
    vramTotalMb: gpu.vramTotalMb,
    ramTier,
    memoryProfile: ramTier >= PROFILE_4_MIN_RAM_GB ? 4 : 3,
    runpodId: external ? null : rng.runpodId(),
    costPerHr: gpu.costPerHr,
  };
}

export type TaskKind = 'travel_segment' | 'single_image' | 'travel_orchestrator' | 'join_clips';

/** The diffusion model a task needs loaded (null: none, the VLM and ffmpeg are separate). */
export const MODEL_OF: Readonly<Record<TaskKind, string | null>> = {
  travel_segment: 'wan_2_2_i2v',
  single_image: 'qwen_image_edit',
  travel_orchestrator: null,
  join_clips: null,
};

/** Share of the GPU's VRAM a loaded model takes. */
export const MODEL_VRAM_SHARE: Readonly<Record<string, { min: number; max: number }>> = {
  wan_2_2_i2v: { min: 0.72, max: 0.86 },
  qwen_image_edit: { min: 0.55, max: 0.7 },
};

/** System RAM the worker process holds for a loaded model (offloaded weights, pinned buffers), MB. */
export const MODEL_RAM_MB: Readonly<Record<string, { min: number; max: number }>> = {
  wan_2_2_i2v: { min: 7000, max: 9000 },
  qwen_image_edit: { min: 5000, max: 6500 },
};

export const VLM_NAME = 'Qwen2.5-VL-7B-Instruct';

/** A mix drawn from uniformly: repeats weight a kind. Model switches come from alternating models. */
export const MIXED_WORK: readonly TaskKind[] = [
  'travel_segment',
  'travel_segment',
  'travel_segment',
  'single_image',
  'single_image',
  'travel_orchestrator',
  'join_clips',
];
/** Never needs a model other than wan_2_2_i2v once that is loaded: no MODEL SWITCH. */
export const WAN_ONLY_WORK: readonly TaskKind[] = ['travel_segment', 'travel_segment', 'travel_orchestrator', 'join_clips'];
/** Never needs a model other than qwen_image_edit once that is loaded. */
export const QWEN_ONLY_WORK: readonly TaskKind[] = ['single_image', 'single_image', 'travel_orchestrator', 'join_clips'];

export interface Range {
  min: number;
  max: number;
}

/** Seconds. */
export const SIM = {
  /** Logged `[HEARTBEAT]` lines: rarer than the guardian's DB heartbeat, irregular. */
  loggedHeartbeatEveryS: { min: 25, max: 35 },
  /** Chance that the next logged heartbeat comes after a long gap instead (main process busy). */
  loggedHeartbeatGapChance: 0.02,
  loggedHeartbeatLongGapS: { min: 45, max: 180 },
  /** From `created_at` to the first start-up line: the pod is up when the row is written. */
  firstLineAfterCreateS: { min: 0.8, max: 3 },
  idleBetweenTasksS: { min: 15, max: 360 },
  modelLoadS: { min: 35, max: 110 },
  vlmLoadS: { min: 15, max: 60 },
  workS: {
    travel_segment: { min: 60, max: 200 },
    single_image: { min: 8, max: 40 },
    travel_orchestrator: { min: 5, max: 20 },
    join_clips: { min: 5, max: 30 },
  } as Readonly<Record<TaskKind, Range>>,
  /** Upper bound of the small steps of a task besides loading and generating (claim, upload, …). */
  taskOverheadS: 10,
  /** How long a task waited in the queue before a worker claimed it. */
  queuedBeforeClaimS: { min: 1, max: 240 },
  /** A task with earlier attempts was created well before, and failed on other workers first. */
  retriedTaskQueuedS: { min: 600, max: 3600 },
  /** Schema page: the orchestrator polls every 30 s. */
  orchestratorPollS: 30,
  /** Schema page: the orchestrator acts on a task In Progress for this long. */
  orchestratorTaskStuckS: 1200,
  /** Schema page: no stale-heartbeat verdict within this long of a worker's creation. */
  orchestratorStartupGraceS: 1200,
  /** The API loop reports queue counts this often. */
  apiPollS: 60,
  /** Idle this long with an empty queue and the orchestrator scales a worker down. */
  idleBeforeScaleDownS: { min: 300, max: 600 },
  /** The worker's own limit on one generation. */
  generationTimeoutS: 1200,
  /** A retried task gives up at this many attempts (schema page). */
  maxAttempts: 3,
} as const;

const PROMPTS: readonly string[] = [
  'slow dolly shot down a rainy neon street, cinematic lighting',
  'cat_astronaut floating past the station window 🚀',
  'zoom to 150% on the lighthouse \\ keep the horizon level',
  'sunrise over misty pine forest, film grain, 35mm',
  'perfume bottle on wet black stone, 100% sharp, studio light',
  'drone flyover of terraced rice fields at golden hour 🌄',
];

export function paramsFor(kind: TaskKind, rng: Rng): Record<string, unknown> {
  switch (kind) {
    case 'travel_segment':
      return {
        prompt: rng.pick(PROMPTS),
        model: MODEL_OF.travel_segment,
        resolution: '832x480',
        num_frames: 81,
        steps: 30,
        seed: rng.int(1, 2 ** 31 - 1),
      };
    case 'single_image':
      return {
        prompt: rng.pick(PROMPTS),
        model: MODEL_OF.single_image,
        image_url: `https://cdn.example.com/inputs/${rng.hex8()}.png`,
        steps: 20,
      };
    case 'travel_orchestrator':
      return { prompts: [rng.pick(PROMPTS), rng.pick(PROMPTS)], num_segments: rng.int(2, 6), vlm: VLM_NAME };
    case 'join_clips':
      return { clip_count: rng.int(2, 6), output_format: 'mp4' };
  }
}

export function promptOf(params: Record<string, unknown>): string | null {
  const prompt = params['prompt'];
  return typeof prompt === 'string' ? prompt : null;
}

/** Errors a task fails with; `retryable` ones are requeued while attempts remain. */
export interface TaskFailure {
  error: string;
  retryable: boolean;
}

const MIB_PER_GIB = 1024;

/** PyTorch's message, whose figures differ from one failure to the next (its template does not). */
export function cudaOutOfMemory(rng: Rng, hardware: Pick<Hardware, 'vramTotalMb'>): TaskFailure {
  const totalGib = hardware.vramTotalMb / MIB_PER_GIB;
  const allocate = rng.between(0.5, 4);
  const allocated = totalGib * rng.between(0.82, 0.9);
  const reserved = allocated + rng.between(0.2, 0.8);
  const free = Math.max(0.01, totalGib - reserved - rng.between(0.1, 0.4));
  const gib = (n: number) => `${n.toFixed(2)} GiB`;
  return {
    error:
      `CUDA out of memory. Tried to allocate ${gib(allocate)} (GPU 0; ${gib(totalGib)} total capacity; ` +
      `${gib(allocated)} already allocated; ${gib(free)} free; ${gib(reserved)} reserved in total by PyTorch)`,
    retryable: true,
  };
}

export const GENERATION_TIMEOUT: TaskFailure = {
  error: `Generation timed out after ${SIM.generationTimeoutS}s`,
  retryable: true,
};

export const UNDECODABLE_INPUT: TaskFailure = {
  error: "ValueError: could not decode input image 'start_frame_01.png'",
  retryable: false,
};

export const INVALID_FRAME_COUNT: TaskFailure = {
  error: 'Validation failed: num_frames=82 is not of the form 4n+1 (travel_segment params)',
  retryable: false,
};

/** The upload of a finished generation, given up after the storage client's retries. */
export function uploadFailed(objectPath: string): TaskFailure {
  return { error: `Upload failed: storage returned HTTP 503 (Service Unavailable) for ${objectPath} after 3 retries`, retryable: false };
}

export const ILLEGAL_MEMORY_ACCESS: TaskFailure = {
  error: 'RuntimeError: CUDA error: an illegal memory access was encountered',
  retryable: true,
};

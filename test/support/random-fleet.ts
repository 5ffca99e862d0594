/**
 * A small seeded generator of raw Supabase-shaped rows, for tests that hold two implementations
 * equal (in-process vs in-database). Unlike the demo fleet it aims at the awkward corners rather
 * than at realism: lines sharing a timestamp, several switch lines in every wording of the drift
 * table, finished loads, `[RAM]` samples, ready and claim lines, shutdowns, VLM lines with equal
 * silences (closed and open-ended, with heartbeat lines inside the silence), orchestrator lines
 * carrying the worker_id and the markers (its MARKING AS ERROR and log-tail lines among them),
 * mixed-case markers and levels, a marker look-alike with a non-ASCII letter, lines after as-of,
 * lines without a worker, `%`, `_` and `\` in messages, NULL and `{}` metadata, and every
 * timestamp shape the server emits. `wording: 'reworded'` writes every marker line in a team's
 * own words instead (REWORDED_MARKERS is the markers file that reads them).
 */
import { TASK_STATUSES, WORKER_STATUSES_SEEN } from '../../src/rows/schemas.js';
import { formatInstant, formatPostgrestInstant, MICROS_PER_SECOND, type Instant } from '../../src/rows/time.js';

export type RawRow = Record<string, unknown>;

export interface RandomFleet {
  asOf: Instant;
  workers: RawRow[];
  tasks: RawRow[];
  system_logs: RawRow[];
}

export interface RandomFleetOptions {
  seed: number;
  /** Randomly drawn workers (one scripted worker with the tie cases is always added). */
  workers?: number;
  /** Upper bound of a drawn worker's own lines. */
  maxLinesPerWorker?: number;
  /**
   * Workers added that die within the model-load window after a MODEL SWITCH (§12), at two shared
   * switch instants and with repeated switch-to-death times, so that crash lists have ties to order
   * (drawn workers rarely crash that way). None by default.
   */
  crashedWorkers?: number;
  /** `reworded`: every marker line in a team's own words (read by REWORDED_MARKERS). */
  wording?: 'built-in' | 'reworded';
}

const S = MICROS_PER_SECOND;
const FLEET_START: Instant = Date.UTC(2025, 9, 17, 8, 0, 0) * 1000;
const FLEET_HOURS = 6;

/** mulberry32: tiny, fast, and the same sequence on every machine. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return out.slice(0, digits);
  }
  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** The shapes timestamps arrive in: PostgREST's, ISO with `Z`, and Postgres's own text. */
const TIMESTAMP_SHAPES: readonly ((instant: Instant) => string)[] = [
  formatPostgrestInstant,
  formatInstant,
  (instant) => formatInstant(instant).replace('T', ' ').replace('Z', '+00'),
  (instant) => formatInstant(instant).replace('Z', '+0000'),
];

function workerStamp(instant: Instant): string {
  const iso = new Date(Math.floor(instant / 1000)).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

interface Wording {
  heartbeat: readonly string[];
  switch: readonly string[];
  loaded: readonly string[];
  vlm: readonly string[];
  memory: readonly string[];
  ram: readonly string[];
  lifecycle: readonly string[];
  orchestrator: readonly string[];
}

/** The guide's and the drift table's wordings, with look-alikes that must not match. */
const BUILT_IN_WORDING: Wording = {
  heartbeat: ['✅ [HEARTBEAT] Worker {id} active', '[heartbeat] worker {id} alive', '[HEARTBEAT] ✅ Sent for worker {id} with 3 logs', 'HeartBeat ok'],
  switch: [
    '🔄 MODEL SWITCH: wan_2_2 -> qwen_image',
    'model switch: qwen_image -> flux',
    "🔄 MODEL SWITCH: Switching from flux to wan_2_2 using WGP's preload_model_when_switching",
    'Model Switch requested by task',
    // Both a switch and a heartbeat: not "after" itself.
    '🔄 MODEL SWITCH forced after [HEARTBEAT] stall',
    // A dotted capital I is not an ASCII I: no switch.
    '🔄 MODEL SWİTCH: flux -> wan_2_2',
  ],
  loaded: ['Model switch: wan_2_2 → qwen_image (12.3s)', 'Model loaded: flux', 'Model switch completed in 8.0s', '{id} switched model: a → b'],
  vlm: ['Before VLM loading', 'before vlm LOADING (qwen2.5-vl)', '[RAM] Before VLM loading: Process=5450MB (5.32GB) | System=45.3% used, 58.2GB/128.0GB available'],
  memory: ['📊 Memory Profile: RAM 41.2 GB / VRAM 22.9 GB', 'MEMORY PROFILE 4 after load', 'started with --wgp-profile 3'],
  ram: [
    '[RAM] After load: Process=9000MB (8.79GB) | System=92.1% used, 10.1GB/128.0GB available',
    '[ram] idle: Process=120MB (0.12GB) | System=12% used, 100GB/128GB available',
  ],
  lifecycle: ['🚀 Worker {id} starting', 'Worker ready (startup_phase=ready), polling for tasks', '[CLAIM] Claimed task 0b7c6d1e-0000-4000-8000-000000000000', 'Shutting down: drain requested'],
  orchestrator: [
    'Marking worker {id} as error: STALE_HEARTBEAT_ACTIVE_TASK',
    'WORKER_LIFECYCLE [Worker {id}] MARKING AS ERROR: stale heartbeat',
    '[WORKER_LOG_TAIL] pip install failed',
    'HEARTBEAT stale for {id}',
    'MODEL SWITCH observed on {id}',
    'Before VLM loading noted for {id}',
    'Memory Profile requested from {id}',
  ],
};

/** A team's own wording of the same events: the built-in vocabulary reads none of it. */
const REWORDED_WORDING: Wording = {
  heartbeat: ['<3 beat {id}', '<3 BEAT ok'],
  switch: ['swap model qwen_image => flux', 'SWAP MODEL a => b'],
  loaded: ['swap done: flux'],
  vlm: ['vision model warmup', 'VISION MODEL WARMUP (qwen2.5-vl)'],
  memory: ['mem-profile=3'],
  ram: ['mem sys=92.1% proc=9000'],
  lifecycle: ['boot: {id}', 'online, waiting for work', 'took job 0b7c6d1e', 'bye: drained'],
  orchestrator: ['ORCH KILL {id}: stale', 'ORCH TAIL: pip install failed', 'beat late for {id}'],
};

/** The markers file that reads REWORDED_WORDING (each family replaced). */
export const REWORDED_MARKERS: Record<string, string[]> = {
  heartbeat: [String.raw`^<3 beat\b`],
  model_switch: [String.raw`^swap model (?<from>\S+) => (?<to>\S+)`],
  model_loaded: [String.raw`^swap done: (?<to>\S+)`],
  vlm_loading: [String.raw`vision model warmup`],
  memory_profile: [String.raw`mem-profile=(?<profile>\d+)`],
  ram: [String.raw`mem sys=(?<system_used_pct>\d+(?:\.\d+)?)% proc=(?<process_mb>\d+)`],
  startup: [String.raw`^boot:`],
  ready: [String.raw`^online\b`],
  task_claim: [String.raw`^took job`],
  shutdown: [String.raw`^bye:`],
  orchestrator_error: [String.raw`^ORCH KILL`],
  log_tail: [String.raw`^ORCH TAIL:`],
};

const PLAIN_MESSAGES = [
  'Processing task segment 3/8',
  'progress 50% done',
  'saved file_name_01.mp4',
  'path C:\\models\\wan\\',
  'upload 100%_complete',
  'Generation step 12',
  // A marker's literals without its expression: the first test (text search) passes, the expression must not.
  'MODEL SWITCH: pending',
  'no dependencies needed',
  'ready: Worker count 3',
];
const ERROR_MESSAGES = ['CUDA out of memory', 'Traceback (most recent call last)', 'torch.OutOfMemoryError: 50%_of VRAM'];

class FleetBuilder {
  readonly workers: RawRow[] = [];
  readonly tasks: RawRow[] = [];
  readonly system_logs: RawRow[] = [];
  private readonly workerIds = new Set<string>();

  constructor(
    private readonly random: Random,
    readonly asOf: Instant,
  ) {}

  stamp(instant: Instant): string {
    return this.random.pick(TIMESTAMP_SHAPES)(instant);
  }

  addWorker(createdAt: Instant): string {
    let id = `gpu-${workerStamp(createdAt)}-${this.random.hex(8)}`;
    while (this.workerIds.has(id)) id = `gpu-${workerStamp(createdAt)}-${this.random.hex(8)}`;
    this.workerIds.add(id);
    const r = this.random;
    const metadataKind = r.int(0, 3);
    const metadata =
      metadataKind === 0
        ? null
        : metadataKind === 1
          ? {}
          : { ram_tier: r.pick([32, 64, 128]), pod_details: { gpu_type_id: r.pick(['NVIDIA GeForce RTX 4090', 'NVIDIA L40S']) }, startup_phase: 'ready' };
    this.workers.push({
      id,
      instance_type: 'runpod',
      created_at: this.stamp(createdAt),
      last_heartbeat: r.chance(0.2) ? null : this.stamp(createdAt + r.int(0, 3 * 3600) * S + r.int(0, S - 1)),
      status: r.pick(WORKER_STATUSES_SEEN),
      metadata,
    });
    return id;
  }

  addLine(line: { at: Instant; workerId: string | null; sourceType: string; level: string; message: string; taskId?: string | null }): void {
    const r = this.random;
    const isWorker = line.sourceType === 'worker';
    this.system_logs.push({
      id: r.uuid(),
      timestamp: this.stamp(line.at),
      source_type: line.sourceType,
      source_id: isWorker ? line.workerId : `orchestrator-${r.int(1, 2)}`,
      log_level: line.level,
      message: line.message.replace('{id}', line.workerId ?? 'unknown'),
      task_id: line.taskId ?? null,
      worker_id: line.workerId,
      cycle_number: isWorker ? null : r.int(1, 5000),
      metadata: r.chance(0.5) ? null : { note: r.pick(['a', 'b']) },
    });
  }

  addTasks(workerId: string | null, from: Instant): string[] {
    const r = this.random;
    const ids: string[] = [];
    for (let i = r.int(0, 3); i > 0; i--) {
      const id = r.uuid();
      ids.push(id);
      const status = r.pick(TASK_STATUSES);
      const created = from + r.int(0, 3600) * S + r.int(0, S - 1);
      const started = status === 'Queued' ? null : created + r.int(1, 600) * S;
      this.tasks.push({
        id,
        task_type: r.pick(['travel_orchestrator', 'travel_segment', 'single_image', 'join_clips']),
        params: { prompt: 'a cat', steps: r.int(4, 40) },
        status,
        worker_id: status === 'Queued' ? null : workerId,
        attempts: r.int(0, 3),
        error_message: status === 'Failed' ? 'Worker died: 100%_lost' : null,
        result_data: status === 'Complete' ? { url: 'https://example.invalid/out.mp4' } : null,
        created_at: this.stamp(created),
        updated_at: this.stamp(created + r.int(0, 1200) * S),
        generation_started_at: started === null ? null : this.stamp(started),
        generation_processed_at: status === 'Complete' && started !== null ? this.stamp(started + r.int(10, 900) * S) : null,
      });
    }
    return ids;
  }
}

/** A worker's own life: a random walk over the line kinds, with steps that make ties and gaps. */
function addDrawnWorker(b: FleetBuilder, random: Random, createdAt: Instant, maxLines: number, words: Wording): void {
  const id = b.addWorker(createdAt);
  const taskIds = b.addTasks(id, createdAt);
  const shape = random.int(0, 9);
  if (shape === 0) return; // a worker without any line
  if (shape === 1) {
    // Only the orchestrator wrote about it (with the markers in its text): no worker line counts.
    for (let i = random.int(1, 4); i > 0; i--) {
      b.addLine({ at: createdAt + random.int(0, 1800) * S, workerId: id, sourceType: 'orchestrator_gpu', level: 'WARNING', message: random.pick(words.orchestrator) });
    }
    return;
  }
  // Some workers start late, so that their lines run past as-of.
  let at = random.chance(0.2) ? b.asOf - random.int(60, 900) * S : createdAt + random.int(0, 30) * S;
  for (let n = random.int(1, maxLines); n > 0; n--) {
    const kind = random.int(0, 24);
    const taskId = taskIds.length > 0 && random.chance(0.5) ? random.pick(taskIds) : null;
    let sourceType = 'worker';
    let level = random.pick(['INFO', 'DEBUG', 'info', 'WARNING']);
    let message: string;
    if (kind <= 5) message = random.pick(words.heartbeat);
    else if (kind <= 7) {
      message = random.pick(words.switch);
      if (random.chance(0.2)) level = 'ERROR'; // a switch that is an error line too
    } else if (kind === 8) message = random.pick(words.loaded);
    else if (kind <= 10) message = random.pick(words.vlm);
    else if (kind === 11) message = random.pick(words.memory);
    else if (kind === 12) message = random.pick(words.ram);
    else if (kind <= 14) message = random.pick(words.lifecycle);
    else if (kind <= 16) {
      message = random.pick(ERROR_MESSAGES);
      level = random.pick(['ERROR', 'CRITICAL', 'error', 'Critical']);
    } else if (kind <= 18) {
      sourceType = random.pick(['orchestrator_gpu', 'orchestrator_api']);
      message = random.pick(words.orchestrator);
      level = random.pick(['INFO', 'ERROR']);
    } else message = random.pick(PLAIN_MESSAGES);
    b.addLine({ at, workerId: id, sourceType, level, message, taskId });
    at += nextStep(random, message);
  }
}

/** Steps between lines: same instant (ties), microseconds, seconds, gaps past 40 s, VLM-length silences. */
function nextStep(random: Random, message: string): number {
  const afterVlm = /before vlm loading|vision model warmup/i.test(message);
  const roll = random.next();
  if (afterVlm && roll < 0.6) return random.pick([300, 360]) * S; // equal silences, so ties decide
  if (roll < 0.15) return 0;
  if (roll < 0.2) return random.int(1, 999);
  if (roll < 0.7) return random.int(1, 20) * S + random.pick([0, random.int(0, S - 1)]);
  if (roll < 0.9) return random.int(40, 120) * S + random.pick([0, 1, random.int(0, S - 1)]);
  return random.pick([300, 360]) * S;
}

/**
 * One worker that has every tie the definitions settle: a MODEL SWITCH and heartbeats at one
 * instant (their ids decide what is "after"), two switches at one instant, and two VLM lines
 * whose silences are equal, the later one open-ended (the earlier must win), with a line after
 * as-of that must not close it.
 */
function addScriptedWorker(b: FleetBuilder): void {
  const start = b.asOf - 2 * 3600 * S;
  const id = b.addWorker(start - 5 * S);
  const worker = (at: Instant, message: string, level = 'INFO') => b.addLine({ at, workerId: id, sourceType: 'worker', level, message });
  worker(start, '✅ [HEARTBEAT] Worker {id} active');
  worker(start + 10 * S, 'Before VLM loading');
  worker(start + 310 * S, 'VLM loaded');
  const tie = start + 400 * S + 123_456;
  worker(tie, '🔄 MODEL SWITCH: a -> b');
  worker(tie, '🔄 model switch: b -> c');
  worker(tie, '✅ [HEARTBEAT] Worker {id} active');
  worker(tie, 'CUDA error', 'ERROR');
  b.addLine({ at: tie, workerId: id, sourceType: 'orchestrator_gpu', level: 'WARNING', message: 'MODEL SWITCH seen; HEARTBEAT late' });
  worker(start + 450 * S + 1, '✅ [HEARTBEAT] Worker {id} active');
  worker(start + 490 * S + 1, '✅ [HEARTBEAT] Worker {id} active'); // exactly 40 s: not a gap
  worker(start + 530 * S + 2, '✅ [HEARTBEAT] Worker {id} active'); // 40.000001 s: a gap
  worker(b.asOf - 300 * S, 'before VLM loading');
  worker(b.asOf + 5 * S, 'after as-of: must not count');
}

/** A worker whose last lines straddle as-of: the one exactly at as-of counts, the next microsecond's does not. */
function addBoundaryWorker(b: FleetBuilder): void {
  const id = b.addWorker(b.asOf - 600 * S);
  b.addLine({ at: b.asOf - 60 * S, workerId: id, sourceType: 'worker', level: 'INFO', message: 'Before VLM loading' });
  b.addLine({ at: b.asOf, workerId: id, sourceType: 'worker', level: 'ERROR', message: '✅ [HEARTBEAT] at as-of' });
  b.addLine({ at: b.asOf + 1, workerId: id, sourceType: 'worker', level: 'CRITICAL', message: '🔄 MODEL SWITCH after as-of' });
}

/** A worker that switched models at `switchAt`, logged a heartbeat, and died 0–10 min later with a task In Progress. */
function addCrashedWorker(b: FleetBuilder, random: Random, switchAt: Instant): void {
  const id = b.addWorker(switchAt - random.int(600, 3600) * S);
  const row = b.workers[b.workers.length - 1]!;
  const diedAfter = random.chance(0.5) ? random.pick([120, 240]) * S : random.int(0, 599) * S + random.int(0, S - 1);
  row['last_heartbeat'] = b.stamp(switchAt + diedAfter);
  row['status'] = random.pick(['active', 'error', 'crashed', 'terminated']);
  b.addLine({ at: switchAt, workerId: id, sourceType: 'worker', level: 'INFO', message: random.pick(BUILT_IN_WORDING.switch.slice(0, 2)) });
  b.addLine({ at: switchAt + 20 * S, workerId: id, sourceType: 'worker', level: 'INFO', message: BUILT_IN_WORDING.heartbeat[0]! });
  const created = switchAt - 60 * S;
  b.tasks.push({
    id: random.uuid(),
    task_type: 'travel_segment',
    status: 'In Progress',
    worker_id: id,
    attempts: 1,
    error_message: null,
    created_at: b.stamp(created),
    updated_at: null,
    generation_started_at: b.stamp(created + 5 * S),
    generation_processed_at: null,
  });
}

export function randomFleet(options: RandomFleetOptions): RandomFleet {
  const random = new Random(options.seed);
  const asOf = FLEET_START + FLEET_HOURS * 3600 * S + random.int(0, S - 1);
  const b = new FleetBuilder(random, asOf);
  const words = options.wording === 'reworded' ? REWORDED_WORDING : BUILT_IN_WORDING;
  let createdAt = FLEET_START;
  for (let i = options.workers ?? 40; i > 0; i--) {
    // Sometimes two workers share a creation instant: their order is then by id.
    if (!random.chance(0.1)) createdAt = FLEET_START + random.int(0, (FLEET_HOURS - 1) * 3600) * S + random.pick([0, random.int(0, S - 1)]);
    addDrawnWorker(b, random, createdAt, options.maxLinesPerWorker ?? 60, words);
  }
  addScriptedWorker(b);
  addBoundaryWorker(b);
  // Lines about no worker at all, and tasks naming a worker row that does not exist.
  for (let i = 0; i < 5; i++) {
    b.addLine({ at: FLEET_START + random.int(0, FLEET_HOURS * 3600) * S, workerId: null, sourceType: 'orchestrator_api', level: 'INFO', message: 'cycle 50% done' });
  }
  b.addTasks('gpu-20251017_000000-deadbeef', FLEET_START);
  // Drawn last, so that a fleet without them is the same as before they existed.
  const switchInstants = [asOf - 3 * 3600 * S + random.int(0, S - 1), asOf - 2 * 3600 * S];
  for (let i = options.crashedWorkers ?? 0; i > 0; i--) addCrashedWorker(b, random, random.pick(switchInstants));
  return { asOf, workers: b.workers, tasks: b.tasks, system_logs: b.system_logs };
}

import { describe, expect, it } from 'vitest';
import { ERROR_LEVELS, LOG_LEVELS, MARKERS, containsMarker } from '../../src/config/markers.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { UsageError } from '../../src/errors.js';
import { parseRows } from '../../src/rows/parse.js';
import { TASK_STATUSES, type SystemLog, type Task, type Worker } from '../../src/rows/schemas.js';
import { DEFAULT_DEMO_SEED, DEMO_AS_OF, DEMO_SCENARIOS, simulateFleet, type DemoFleet } from '../../src/sources/demo-fleet.js';
import { formatPostgrestInstant, parseInstant, secondsBetween, type Instant } from '../../src/rows/time.js';

const fleet = simulateFleet();
const asOf = fleet.asOf;

const workers = parseRows('workers', fleet.workers);
const tasks = parseRows('tasks', fleet.tasks);
const logs = parseRows('system_logs', fleet.system_logs);

const workerById = new Map(workers.rows.map((w) => [w.id, w]));
const tasksByWorker = new Map<string, Task[]>();
for (const task of tasks.rows) {
  if (task.worker_id === null) continue;
  tasksByWorker.set(task.worker_id, [...(tasksByWorker.get(task.worker_id) ?? []), task]);
}
const linesByWorker = new Map<string, SystemLog[]>();
for (const line of [...logs.rows].sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1))) {
  if (line.worker_id === null) continue;
  let lines = linesByWorker.get(line.worker_id);
  if (!lines) linesByWorker.set(line.worker_id, (lines = []));
  lines.push(line);
}

function worker(id: string): Worker {
  const found = workerById.get(id);
  if (!found) throw new Error(`no worker row ${id}`);
  return found;
}
function tasksOf(id: string): Task[] {
  return tasksByWorker.get(id) ?? [];
}
function allLinesOf(id: string): SystemLog[] {
  return linesByWorker.get(id) ?? [];
}
/** Lines the worker wrote itself, in time order. */
function workerLinesOf(id: string): SystemLog[] {
  return allLinesOf(id).filter((l) => l.source_type === 'worker');
}
function isHeartbeat(line: SystemLog): boolean {
  return containsMarker(line.message, MARKERS.loggedHeartbeat);
}
function lastSwitchOf(id: string): SystemLog | undefined {
  return workerLinesOf(id).findLast((l) => containsMarker(l.message, MARKERS.modelSwitch));
}
function heartbeatAgeS(w: Worker): number {
  if (w.last_heartbeat === null) throw new Error(`${w.id} has no heartbeat`);
  return secondsBetween(w.last_heartbeat, asOf);
}
function isAlive(w: Worker): boolean {
  return heartbeatAgeS(w) < THRESHOLDS.heartbeatAliveS;
}
function isDead(w: Worker): boolean {
  return heartbeatAgeS(w) > THRESHOLDS.heartbeatDeadS;
}
function memoryProfileOf(id: string): number | null {
  const line = workerLinesOf(id).find((l) => containsMarker(l.message, MARKERS.memoryProfile));
  const match = line ? /Profile (\d)/.exec(line.message) : null;
  return match ? Number(match[1]) : null;
}
function gpuOf(w: Worker): unknown {
  return (w.metadata?.['pod_details'] as Record<string, unknown> | undefined)?.['gpu_type_id'];
}
/** Silence after each `Before VLM loading` worker line: to the next worker line, or to as-of. */
function vlmSilencesS(id: string): number[] {
  const lines = workerLinesOf(id);
  const silences: number[] = [];
  lines.forEach((line, i) => {
    if (!containsMarker(line.message, MARKERS.vlmLoading)) return;
    const next = lines[i + 1];
    silences.push(secondsBetween(line.timestamp, next ? next.timestamp : asOf));
  });
  return silences;
}
function distinct<T>(values: readonly T[]): number {
  return new Set(values).size;
}

describe('simulateFleet: determinism and options', () => {
  it('gives the same rows for the same seed and other rows for another seed', () => {
    const again = simulateFleet({ seed: DEFAULT_DEMO_SEED });
    expect(JSON.stringify(again) === JSON.stringify(fleet)).toBe(true);
    const other = simulateFleet({ seed: DEFAULT_DEMO_SEED + 1 });
    expect(other.workers.map((w) => w['id'])).not.toEqual(fleet.workers.map((w) => w['id']));
    expect(other.system_logs.length).not.toBe(fleet.system_logs.length);
  });

  it('describes DEMO_AS_OF, 2025-10-17T14:00:00Z', () => {
    expect(asOf).toBe(DEMO_AS_OF);
    expect(formatPostgrestInstant(DEMO_AS_OF)).toBe('2025-10-17T14:00:00+00:00');
  });

  it('refuses a scale or seed that is not a whole number', () => {
    expect(() => simulateFleet({ scale: 0 })).toThrow(UsageError);
    expect(() => simulateFleet({ scale: 1.5 })).toThrow(UsageError);
    expect(() => simulateFleet({ seed: Number.NaN })).toThrow(UsageError);
  });
});

describe('simulateFleet: rows shaped as PostgREST returns them', () => {
  it('parses every row with zero problems', () => {
    expect(workers.problems).toEqual([]);
    expect(tasks.problems).toEqual([]);
    expect(logs.problems).toEqual([]);
    expect(workers.rows).toHaveLength(fleet.workers.length);
    expect(tasks.rows).toHaveLength(fleet.tasks.length);
    expect(logs.rows).toHaveLength(fleet.system_logs.length);
  });

  it('has the default demo size: 40–70 workers, 10–30 thousand log lines', () => {
    expect(fleet.workers.length).toBeGreaterThanOrEqual(40);
    expect(fleet.workers.length).toBeLessThanOrEqual(70);
    expect(fleet.system_logs.length).toBeGreaterThanOrEqual(10_000);
    expect(fleet.system_logs.length).toBeLessThanOrEqual(30_000);
  });

  it('has exactly the columns of the schema page', () => {
    const columns = {
      workers: 'created_at id instance_type last_heartbeat metadata status',
      tasks: [
        'attempts created_at error_message generation_processed_at generation_started_at id params',
        'result_data status task_type updated_at worker_id',
      ].join(' '),
      system_logs: 'cycle_number id log_level message metadata source_id source_type task_id timestamp worker_id',
    };
    for (const table of ['workers', 'tasks', 'system_logs'] as const) {
      const shapes = new Set(fleet[table].map((row) => Object.keys(row).sort().join(' ')));
      expect([...shapes]).toEqual([columns[table]]);
    }
  });

  it('prints every timestamp as formatPostgrestInstant does, some with fewer than six fraction digits, none after as-of', () => {
    const stamps: string[] = [];
    for (const w of fleet.workers) {
      stamps.push(w['created_at'] as string);
      if (w['last_heartbeat'] !== null) stamps.push(w['last_heartbeat'] as string);
    }
    for (const t of fleet.tasks) {
      for (const column of ['created_at', 'updated_at', 'generation_started_at', 'generation_processed_at']) {
        if (t[column] !== null) stamps.push(t[column] as string);
      }
    }
    for (const l of fleet.system_logs) stamps.push(l['timestamp'] as string);
    const misprinted = stamps.filter((s) => {
      const instant = parseInstant(s);
      return instant === null || formatPostgrestInstant(instant) !== s;
    });
    expect(misprinted).toEqual([]);
    expect(stamps.every((s) => parseInstant(s)! <= asOf)).toBe(true);
    const fractionDigits = new Set(stamps.map((s) => /\.(\d+)\+/.exec(s)?.[1]?.length ?? 0));
    expect(fractionDigits.has(6)).toBe(true);
    expect([...fractionDigits].some((digits) => digits < 6)).toBe(true);
  });

  it('names workers gpu-<created stamp>-<8 hex> and tasks and log lines with unique v4 UUIDs', () => {
    for (const w of workers.rows) {
      expect(w.id).toMatch(/^gpu-\d{8}_\d{6}-[0-9a-f]{8}$/);
      const iso = new Date(Math.floor(w.created_at / 1000)).toISOString();
      const stamp = iso.slice(0, 19).replace(/-/g, '').replace(/:/g, '').replace('T', '_');
      expect(w.id.slice(4, 19)).toBe(stamp);
    }
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(tasks.rows.every((t) => uuid.test(t.id))).toBe(true);
    expect(logs.rows.every((l) => uuid.test(l.id))).toBe(true);
    expect(distinct(workers.rows.map((w) => w.id))).toBe(workers.rows.length);
    expect(distinct(tasks.rows.map((t) => t.id))).toBe(tasks.rows.length);
    expect(distinct(logs.rows.map((l) => l.id))).toBe(logs.rows.length);
  });

  it('keeps jsonb columns as objects or null, with a NULL-metadata worker and a `{}` one', () => {
    const isObjectOrNull = (v: unknown) => v === null || (typeof v === 'object' && !Array.isArray(v));
    expect(fleet.workers.every((w) => isObjectOrNull(w['metadata']))).toBe(true);
    expect(fleet.tasks.every((t) => isObjectOrNull(t['params']) && t['params'] !== null && isObjectOrNull(t['result_data']))).toBe(true);
    expect(fleet.system_logs.every((l) => isObjectOrNull(l['metadata']))).toBe(true);
    expect(fleet.workers.some((w) => w['metadata'] === null)).toBe(true);
    expect(fleet.workers.some((w) => w['metadata'] !== null && Object.keys(w['metadata'] as object).length === 0)).toBe(true);
  });

  it('uses every task status of the real enum and never `Completed`', () => {
    const statuses = new Set(fleet.tasks.map((t) => t['status']));
    expect([...statuses].sort()).toEqual([...TASK_STATUSES].sort());
    expect(statuses.has('Completed')).toBe(false);
  });

  it('uses all five log levels and messages with %, _, backslashes and emoji', () => {
    expect(new Set(logs.rows.map((l) => l.log_level))).toEqual(new Set(LOG_LEVELS));
    const messages = logs.rows.map((l) => l.message);
    expect(messages.some((m) => m.includes('%'))).toBe(true);
    expect(messages.some((m) => m.includes('_'))).toBe(true);
    expect(messages.some((m) => m.includes('\\'))).toBe(true);
    expect(messages.some((m) => /\p{Extended_Pictographic}/u.test(m))).toBe(true);
  });

  it('has orchestrator loop lines without a worker and with a cycle number, from both orchestrator sources', () => {
    const loopLines = logs.rows.filter((l) => l.worker_id === null);
    expect(new Set(loopLines.map((l) => l.source_type))).toEqual(new Set(['orchestrator_gpu', 'orchestrator_api']));
    expect(loopLines.every((l) => l.cycle_number !== null)).toBe(true);
  });

  it('never has a worker line after that worker’s last heartbeat (the guardian flushes lines with heartbeats)', () => {
    const late = workers.rows.filter((w) => workerLinesOf(w.id).some((l) => w.last_heartbeat === null || l.timestamp > w.last_heartbeat));
    expect(late.map((w) => w.id)).toEqual([]);
  });

  it('marks a worker `error` only after 600 s of silence, with the orchestrator’s metadata and lines written after the death', () => {
    const errored = workers.rows.filter((w) => w.status === 'error');
    expect(errored.length).toBeGreaterThan(0);
    for (const w of errored) {
      const metadata = w.metadata!;
      const hasTaskInProgress = tasksOf(w.id).some((t) => t.status === 'In Progress');
      expect(metadata['error_code']).toBe(hasTaskInProgress ? 'STALE_HEARTBEAT_ACTIVE_TASK' : 'STALE_HEARTBEAT_TASKS_QUEUED');
      expect(typeof metadata['error_reason']).toBe('string');
      const errorTime = parseInstant(metadata['error_time']);
      expect(secondsBetween(w.last_heartbeat!, errorTime!)).toBeGreaterThanOrEqual(THRESHOLDS.orchestratorStaleHeartbeatS);
      const afterDeath = allLinesOf(w.id).filter((l) => l.source_type === 'orchestrator_gpu' && l.timestamp > w.last_heartbeat!);
      expect(afterDeath.some((l) => l.message.startsWith(`Marking worker ${w.id} as error: heartbeat stale for`))).toBe(true);
      expect(afterDeath.some((l) => l.message.startsWith('Terminating RunPod pod '))).toBe(true);
    }
  });

  it('leaves dead workers `active` while their heartbeat is younger than the orchestrator’s limit', () => {
    const deadButActive = workers.rows.filter((w) => w.status === 'active' && w.last_heartbeat !== null && isDead(w));
    expect(deadButActive.length).toBeGreaterThan(0);
    for (const w of deadButActive) expect(w.metadata?.['error_code']).toBeUndefined();
  });

  it('has logged-heartbeat gaps longer than 40 s among healthy workers', () => {
    const gaps = fleet.scenarios.healthy.flatMap((id) => {
      const beats = workerLinesOf(id).filter(isHeartbeat);
      return beats.slice(1).map((b, i) => secondsBetween(beats[i]!.timestamp, b.timestamp));
    });
    expect(gaps.filter((g) => g > THRESHOLDS.loggedHeartbeatGapS).length).toBeGreaterThan(3);
  });
});

describe('simulateFleet: scenarios, judged from the rows', () => {
  it('has every scenario, each non-empty', () => {
    expect(Object.keys(fleet.scenarios).sort()).toEqual([...DEMO_SCENARIOS].sort());
    for (const name of DEMO_SCENARIOS) expect(fleet.scenarios[name].length, name).toBeGreaterThan(0);
  });

  it('healthy: alive, varied GPUs, RAM tiers and memory profiles 3 and 4, completed tasks', () => {
    const healthy = fleet.scenarios.healthy.map(worker);
    expect(healthy.every(isAlive)).toBe(true);
    expect(distinct(healthy.map(gpuOf))).toBeGreaterThanOrEqual(3);
    expect(distinct(healthy.map((w) => w.metadata?.['ram_tier']))).toBeGreaterThanOrEqual(3);
    expect(new Set(healthy.map((w) => memoryProfileOf(w.id)))).toEqual(new Set([3, 4]));
    expect(healthy.every((w) => tasksOf(w.id).some((t) => t.status === 'Complete'))).toBe(true);
  });

  it('long_running: one alive worker with more lines than a PostgREST page', () => {
    const [id] = fleet.scenarios.long_running;
    expect(isAlive(worker(id!))).toBe(true);
    expect(allLinesOf(id!).length).toBeGreaterThan(1000);
    expect(workerLinesOf(id!).length).toBeGreaterThan(1000);
  });

  it('aging: status active, last heartbeat 60 s – 5 min old', () => {
    for (const w of fleet.scenarios.aging.map(worker)) {
      expect(w.status).toBe('active');
      expect(heartbeatAgeS(w)).toBeGreaterThanOrEqual(THRESHOLDS.heartbeatAliveS);
      expect(heartbeatAgeS(w)).toBeLessThan(THRESHOLDS.heartbeatDeadS);
    }
  });

  it('OOM during model loading: switch, 1–2 heartbeats within 5–90 s, silence, death 1.5–5 min after, task In Progress, no error', () => {
    const ids = fleet.scenarios.oom_during_model_loading;
    expect(ids.length).toBeGreaterThanOrEqual(8);
    const crashDelays: number[] = [];
    for (const id of ids) {
      const w = worker(id);
      const lines = workerLinesOf(id);
      const switchLine = lastSwitchOf(id)!;
      expect(switchLine.message).toMatch(/^🔄 MODEL SWITCH: \w+ -> \w+$/);
      const crashDelay = secondsBetween(switchLine.timestamp, w.last_heartbeat!);
      crashDelays.push(crashDelay);
      expect(crashDelay).toBeGreaterThanOrEqual(THRESHOLDS.oomCrashWindowS.min);
      expect(crashDelay).toBeLessThanOrEqual(THRESHOLDS.oomCrashWindowS.max);
      const after = lines.filter((l) => l.timestamp > switchLine.timestamp);
      expect(after.every(isHeartbeat)).toBe(true);
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after.length).toBeLessThanOrEqual(THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch);
      for (const beat of after) {
        const offset = secondsBetween(switchLine.timestamp, beat.timestamp);
        expect(offset).toBeGreaterThanOrEqual(THRESHOLDS.oomHeartbeatsAfterSwitchS.min);
        expect(offset).toBeLessThanOrEqual(THRESHOLDS.oomHeartbeatsAfterSwitchS.max);
      }
      expect(lines.some((l) => ERROR_LEVELS.has(l.log_level))).toBe(false);
      const inProgress = tasksOf(id).filter((t) => t.status === 'In Progress');
      expect(inProgress).toHaveLength(1);
      expect(inProgress[0]!.generation_started_at).not.toBeNull();
      expect(isDead(w)).toBe(true);
    }
    expect(Math.max(...crashDelays) - Math.min(...crashDelays)).toBeGreaterThan(120);
    const oom = ids.map(worker);
    expect(distinct(oom.map(gpuOf))).toBeGreaterThanOrEqual(3);
    expect(distinct(oom.map((w) => w.metadata?.['ram_tier']))).toBeGreaterThanOrEqual(3);
    expect(new Set(ids.map(memoryProfileOf))).toEqual(new Set([3, 4]));
    expect(new Set(oom.map((w) => w.status))).toEqual(new Set(['active', 'error']));
  });

  it('initialisation failure: last heartbeat within 10 s of creation, at most one heartbeat line, no task, dead', () => {
    const ids = fleet.scenarios.initialization_failure;
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      const w = worker(id);
      expect(secondsBetween(w.created_at, w.last_heartbeat!)).toBeLessThanOrEqual(THRESHOLDS.initFailureWindowS);
      const lines = workerLinesOf(id);
      expect(lines.length).toBeLessThanOrEqual(1);
      expect(lines.every(isHeartbeat)).toBe(true);
      expect(tasksOf(id)).toEqual([]);
      expect(isDead(w)).toBe(true);
    }
  });

  it('VLM loading hang: ≥ 5 min without a worker line after `Before VLM loading`, one still heartbeating, one dead of it', () => {
    const ids = fleet.scenarios.vlm_loading_hang;
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      expect(Math.max(...vlmSilencesS(id))).toBeGreaterThanOrEqual(THRESHOLDS.vlmHangSilenceS);
      const hung = tasksOf(id).filter((t) => t.status === 'In Progress');
      expect(hung.map((t) => t.task_type)).toEqual(['travel_orchestrator']);
    }
    const hangs = ids.map(worker);
    expect(hangs.some(isAlive)).toBe(true);
    const died = hangs.filter(isDead);
    expect(died.length).toBeGreaterThan(0);
    for (const w of died) {
      const vlm = workerLinesOf(w.id).findLast((l) => containsMarker(l.message, MARKERS.vlmLoading))!;
      expect(secondsBetween(vlm.timestamp, w.last_heartbeat!)).toBeGreaterThanOrEqual(THRESHOLDS.vlmHangSilenceS);
    }
  });

  it('not started: spawning, no heartbeat, NULL metadata', () => {
    const notStarted = fleet.scenarios.not_started.map(worker);
    expect(notStarted.some((w) => w.status === 'spawning' && w.last_heartbeat === null && w.metadata === null)).toBe(true);
    expect(notStarted.every((w) => w.last_heartbeat === null && workerLinesOf(w.id).length === 0)).toBe(true);
  });

  it('terminated cleanly: status terminated, every task Complete, long silent, no error metadata', () => {
    for (const w of fleet.scenarios.terminated_cleanly.map(worker)) {
      expect(w.status).toBe('terminated');
      expect(tasksOf(w.id).length).toBeGreaterThan(0);
      expect(tasksOf(w.id).every((t) => t.status === 'Complete')).toBe(true);
      expect(isDead(w)).toBe(true);
      expect(w.metadata?.['error_code']).toBeUndefined();
      expect(w.metadata?.['error_reason']).toBeUndefined();
    }
  });

  it('near misses: old switch alive, death 6–8 min after a switch, a 4-minute VLM load, an ERROR without a switch', () => {
    const nearMisses = fleet.scenarios.near_miss.map(worker);
    const hoursS = 3600;
    const oldSwitch = nearMisses.filter((w) => isAlive(w) && secondsBetween(lastSwitchOf(w.id)?.timestamp ?? asOf, asOf) > 2 * hoursS);
    const lateDeath = nearMisses.filter((w) => {
      const switchLine = lastSwitchOf(w.id);
      if (!isDead(w) || !switchLine) return false;
      const delay = secondsBetween(switchLine.timestamp, w.last_heartbeat!);
      return delay >= 6 * 60 && delay <= 8 * 60;
    });
    const slowVlm = nearMisses.filter((w) => {
      const longest = Math.max(0, ...vlmSilencesS(w.id));
      return isAlive(w) && longest > 3 * 60 && longest < THRESHOLDS.vlmHangSilenceS;
    });
    const errorNoSwitch = nearMisses.filter(
      (w) => isDead(w) && lastSwitchOf(w.id) === undefined && workerLinesOf(w.id).some((l) => l.log_level === 'ERROR'),
    );
    expect([oldSwitch.length, lateDeath.length, slowVlm.length, errorNoSwitch.length]).toEqual([1, 1, 1, 1]);
    const cudaError = 'RuntimeError: CUDA error: an illegal memory access was encountered';
    expect(workerLinesOf(errorNoSwitch[0]!.id).some((l) => l.message.includes(cudaError))).toBe(true);
  });

  it('failed tasks: error messages, attempts 1–3, some requeued (Queued, attempts 1–2), some Cancelled', () => {
    const failed = tasks.rows.filter((t) => t.status === 'Failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((t) => t.error_message !== null && t.attempts! >= 1 && t.attempts! <= 3)).toBe(true);
    expect(new Set(failed.map((t) => t.attempts)).size).toBeGreaterThan(1);
    expect(failed.some((t) => t.error_message!.startsWith('CUDA out of memory. Tried to allocate'))).toBe(true);
    expect(failed.some((t) => t.error_message!.startsWith('Generation timed out after'))).toBe(true);
    const requeued = tasks.rows.filter((t) => t.status === 'Queued' && t.error_message !== null);
    expect(requeued.length).toBeGreaterThan(0);
    expect(requeued.every((t) => t.attempts! >= 1 && t.attempts! <= 2 && t.worker_id === null)).toBe(true);
    expect(tasks.rows.some((t) => t.status === 'Cancelled')).toBe(true);
    for (const id of fleet.scenarios.failed_tasks) {
      const own = tasksOf(id).filter((t) => t.status === 'Failed');
      expect(own.length).toBeGreaterThan(0);
      for (const t of own) expect(workerLinesOf(id).some((l) => l.log_level === 'ERROR' && l.task_id === t.id)).toBe(true);
    }
  });

  it('orphaned tasks: In Progress on a stale worker, on a deleted worker (whose lines remain), and with no worker', () => {
    const inProgress = tasks.rows.filter((t) => t.status === 'In Progress');
    expect(inProgress.some((t) => t.worker_id === null)).toBe(true);
    const deleted = inProgress.filter((t) => t.worker_id !== null && !workerById.has(t.worker_id));
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((t) => workerLinesOf(t.worker_id!).length > 0)).toBe(true);
    expect(inProgress.some((t) => t.worker_id !== null && workerById.has(t.worker_id) && isDead(worker(t.worker_id)))).toBe(true);

    const orphaners = fleet.scenarios.orphaned_tasks;
    expect(orphaners.some((id) => !workerById.has(id))).toBe(true);
    for (const id of orphaners) {
      expect(tasksOf(id).some((t) => t.status === 'In Progress')).toBe(true);
      const row = workerById.get(id);
      if (row) expect(isDead(row)).toBe(true);
    }
  });
});

describe('simulateFleet: no worker fits a crash pattern by accident', () => {
  function fitsOomDuringModelLoading(w: Worker): boolean {
    const switchLine = lastSwitchOf(w.id);
    if (!switchLine || w.last_heartbeat === null || !isDead(w)) return false;
    const delay = secondsBetween(switchLine.timestamp, w.last_heartbeat);
    const errorsAfter = workerLinesOf(w.id).filter((l) => l.timestamp > switchLine.timestamp && ERROR_LEVELS.has(l.log_level));
    return delay >= THRESHOLDS.oomCrashWindowS.min && delay <= THRESHOLDS.oomCrashWindowS.max && errorsAfter.length === 0;
  }
  const ids = (predicate: (w: Worker) => boolean): string[] => workers.rows.filter(predicate).map((w) => w.id).sort();

  it('pattern 1 fits exactly the OOM scenario', () => {
    expect(ids(fitsOomDuringModelLoading)).toEqual([...fleet.scenarios.oom_during_model_loading].sort());
  });

  it('pattern 2 fits exactly the initialisation failures', () => {
    const fits = (w: Worker) =>
      w.last_heartbeat !== null && isDead(w) && secondsBetween(w.created_at, w.last_heartbeat) <= THRESHOLDS.initFailureWindowS;
    expect(ids(fits)).toEqual([...fleet.scenarios.initialization_failure].sort());
  });

  it('pattern 3 fits exactly the VLM hangs', () => {
    const fits = (w: Worker) => vlmSilencesS(w.id).some((s) => s >= THRESHOLDS.vlmHangSilenceS);
    expect(ids(fits)).toEqual([...fleet.scenarios.vlm_loading_hang].sort());
  });
});

describe('simulateFleet: scale', () => {
  const k = 2;
  const scaled: DemoFleet = simulateFleet({ scale: k });

  it('repeats the scenario mix k times with distinct ids', () => {
    for (const name of DEMO_SCENARIOS) expect(scaled.scenarios[name], name).toHaveLength(k * fleet.scenarios[name].length);
    expect(scaled.workers).toHaveLength(k * fleet.workers.length);
    expect(scaled.system_logs.length).toBeGreaterThan(1.8 * fleet.system_logs.length);
    expect(scaled.system_logs.length).toBeLessThan(2.2 * fleet.system_logs.length);
    for (const table of ['workers', 'tasks', 'system_logs'] as const) {
      expect(distinct(scaled[table].map((row) => row['id']))).toBe(scaled[table].length);
    }
  });

  it('keeps as-of and creates every worker of every copy within the 8 hours before it', () => {
    expect(scaled.asOf).toBe(DEMO_AS_OF);
    const created: Instant[] = scaled.workers.map((w) => parseInstant(w['created_at'])!);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(DEMO_AS_OF - 8 * 3600 * 1_000_000);
    expect(Math.max(...created)).toBeLessThanOrEqual(DEMO_AS_OF);
  });
});

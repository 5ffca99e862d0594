import { describe, expect, it } from 'vitest';
import { ERROR_LEVELS, LOG_LEVELS, MARKER_FAMILIES, type MarkerFamily } from '../../src/config/markers.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { BUILT_IN_VOCABULARY, isFamilyLine, readFamilyValues } from '../../src/config/vocabulary.js';
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
/** The line is one of the family's, by the built-in vocabulary (every wording the schema page lists). */
function isOf(family: MarkerFamily, line: SystemLog): boolean {
  return isFamilyLine(BUILT_IN_VOCABULARY, family, line);
}
function isHeartbeat(line: SystemLog): boolean {
  return isOf('heartbeat', line);
}
function lastSwitchOf(id: string): SystemLog | undefined {
  return workerLinesOf(id).findLast((l) => isOf('model_switch', l));
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
  const line = workerLinesOf(id).find((l) => isOf('memory_profile', l));
  const profile = line ? readFamilyValues(BUILT_IN_VOCABULARY, 'memory_profile', line.message)?.['profile'] : undefined;
  return profile === undefined ? null : Number(profile);
}
function gpuOf(w: Worker): unknown {
  return (w.metadata?.['pod_details'] as Record<string, unknown> | undefined)?.['gpu_type_id'];
}
/** Silence after each `Before VLM loading` worker line: to the next worker line, or to as-of. */
function vlmSilencesS(id: string): number[] {
  const lines = workerLinesOf(id);
  const silences: number[] = [];
  lines.forEach((line, i) => {
    if (!isOf('vlm_loading', line)) return;
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

  it('marks a silent worker `error` only after 600 s, with the orchestrator’s metadata and lines written after the death', () => {
    const swept = workers.rows.filter((w) => String(w.metadata?.['error_code'] ?? '').startsWith('STALE_HEARTBEAT_'));
    expect(swept.length).toBeGreaterThan(0);
    // Every `error` row is the stale-heartbeat sweep's; the other kills end `terminated` (below).
    expect(workers.rows.filter((w) => w.status === 'error').every((w) => swept.includes(w))).toBe(true);
    for (const w of swept) {
      expect(w.status).toBe('error');
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
    // 2.1.0 names no memory profile (schema page): §14 finds none on those.
    const profiles = healthy.map((w) => memoryProfileOf(w.id));
    expect(new Set(profiles.filter((p) => p !== null))).toEqual(new Set([3, 4]));
    expect(profiles.filter((p) => p === null).length).toBeLessThan(healthy.length / 2);
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
      expect(after.some((l) => ERROR_LEVELS.has(l.log_level))).toBe(false);
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
      const vlm = workerLinesOf(w.id).findLast((l) => isOf('vlm_loading', l))!;
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

/** Worker versions and their wording, from the schema page's drift table ("How real fleets drift"). */
const GUIDE_ERA_VERSIONS = ['1.4.0', '1.7.2'];
const LATER_VERSIONS = ['2.1.0', '2.4.1'];
const WORKER_ID = String.raw`gpu-\d{8}_\d{6}-[0-9a-f]{8}`;

/**
 * Every wording of an event the simulator writes, with the families that must match it: the
 * guide's and the schema page's wordings. A line that matches none of these must match no family.
 */
const EVENT_WORDINGS: { wording: RegExp; families: MarkerFamily[] }[] = [
  { wording: new RegExp(`^✅ \\[HEARTBEAT\\] Worker ${WORKER_ID} active$`), families: ['heartbeat'] },
  { wording: new RegExp(`^\\[HEARTBEAT\\] ✅ Sent for worker ${WORKER_ID} with \\d+ logs$`), families: ['heartbeat'] },
  { wording: /^🔄 MODEL SWITCH: \w+ -> \w+$/, families: ['model_switch'] },
  { wording: /^🔄 MODEL SWITCH: Switching from \w+ to \w+ using WGP's preload_model_when_switching$/, families: ['model_switch'] },
  { wording: /^🔄 MODEL SWITCH: Using WGP's generate_video pattern - switching from \(current: \w+\) to \w+$/, families: ['model_switch'] },
  { wording: /^Model loaded: \w+ in \d+\.\ds \(VRAM \d+\/\d+ MB\)$/, families: ['model_loaded'] },
  { wording: /^Model loaded: \w+$/, families: ['model_loaded'] },
  { wording: new RegExp(`^${WORKER_ID} switched model: \\w+ → \\w+$`), families: ['model_loaded'] },
  { wording: /^Model switch completed in \d+\.\ds$/, families: ['model_loaded'] },
  { wording: /^Model switch: \w+ → \w+ \(\d+\.\ds\)$/, families: ['model_loaded'] },
  { wording: /^\[RAM\] Before VLM loading: Process=/, families: ['ram', 'vlm_loading'] },
  { wording: /^\[RAM\] [A-Za-z ]+: Process=\d+MB \(\d+\.\d\dGB\) \| System=\d+\.\d% used, \d+\.\dGB\/\d+\.\dGB available$/, families: ['ram'] },
  { wording: /^Before VLM loading$/, families: ['vlm_loading'] },
  { wording: /^🧠 Using Memory Profile \d \(ram_tier=\d+GB\)$/, families: ['memory_profile'] },
  { wording: /^Launch options: --wgp-profile \d --db-log-level INFO$/, families: ['memory_profile'] },
  { wording: new RegExp(`^🚀 Starting worker ${WORKER_ID} on `), families: ['startup'] },
  { wording: new RegExp(`^🚀 Worker ${WORKER_ID} starting \\(worker \\d+\\.\\d+\\.\\d+, `), families: ['startup'] },
  { wording: /^startup_phase=deps_installing: pip install /, families: ['startup'] },
  { wording: /^Installing dependencies \(startup_phase=deps_installing\)$/, families: ['startup'] },
  { wording: /^✅ Dependencies verified in \d+\.\ds$/, families: ['startup'] },
  { wording: /^GPU detected: /, families: ['startup'] },
  { wording: /^Worker ready \(startup_phase=ready\), polling for tasks$/, families: ['ready'] },
  { wording: new RegExp(`^Worker ${WORKER_ID} ready to claim tasks \\(startup_phase=ready\\)$`), families: ['ready'] },
  { wording: /^📥 Claimed task [0-9a-f-]{36} \(\w+\)$/, families: ['task_claim'] },
  { wording: /^\[CLAIM\] Claimed task [0-9a-f-]{36}$/, families: ['task_claim'] },
  { wording: /^🛑 (Shutdown requested by orchestrator$|Drain requested by orchestrator: |No task for \d+s: shutting down \(self-terminating pod\)$)/, families: ['shutdown'] },
  { wording: new RegExp(`^✅ Shutdown complete: worker ${WORKER_ID} exiting cleanly after \\d+ tasks$`), families: ['shutdown'] },
  { wording: new RegExp(`^Marking worker ${WORKER_ID} as error: `), families: ['orchestrator_error'] },
  { wording: new RegExp(`^WORKER_LIFECYCLE \\[Worker ${WORKER_ID}\\] MARKING AS ERROR: `), families: ['orchestrator_error'] },
  { wording: /^\[WORKER_LOG_TAIL\] /, families: ['log_tail'] },
];

function versionOf(id: string): string | undefined {
  const version = workerById.get(id)?.metadata?.['worker_version'];
  return typeof version === 'string' ? version : undefined;
}
function familyValues(family: MarkerFamily, line: SystemLog): Record<string, string> {
  const values = readFamilyValues(BUILT_IN_VOCABULARY, family, line.message);
  if (values === null) throw new Error(`not a ${family} line: ${line.message}`);
  return values;
}
/** `[RAM]` samples of a worker, oldest first. */
function ramSamplesOf(id: string): { at: Instant; label: string; usedPct: number; line: SystemLog }[] {
  return workerLinesOf(id)
    .filter((l) => isOf('ram', l))
    .map((line) => {
      const v = familyValues('ram', line);
      return { at: line.timestamp, label: v['label']!, usedPct: Number(v['system_used_pct']), line };
    });
}
/** The last line the worker wrote that is not a heartbeat line. */
function lastOwnNonHeartbeat(id: string): SystemLog | undefined {
  return workerLinesOf(id).findLast((l) => !isHeartbeat(l));
}
function scenario(name: (typeof DEMO_SCENARIOS)[number]): Worker[] {
  return fleet.scenarios[name].map(worker);
}
/** Schema page: the orchestrator's start-up grace. */
const ORCHESTRATOR_STARTUP_GRACE_S = 1200;
const SCHEMA_ERROR_CODES = [
  'GPU_READY_NOT_CLAIMING',
  'GPU_NOT_DETECTED',
  'STARTUP_NEVER_READY',
  'STALE_HEARTBEAT_ACTIVE_TASK',
  'STALE_HEARTBEAT_TASKS_QUEUED',
  'SPAWNING_TIMEOUT',
  'SCRIPT_RUNNING_TIMEOUT',
  'STALE_ROUTE_CONTRACT',
  'task_failure_loop',
];

describe('simulateFleet: worker versions and their wording (schema page, "How real fleets drift")', () => {
  const versioned = workers.rows.filter((w) => w.last_heartbeat !== null);

  it('every worker that ever heartbeated names its version; the guide’s versions run a good share of the fleet', () => {
    const versions = versioned.map((w) => versionOf(w.id));
    expect(versions.every((v) => v !== undefined && [...GUIDE_ERA_VERSIONS, ...LATER_VERSIONS].includes(v))).toBe(true);
    expect(new Set(versions)).toEqual(new Set([...GUIDE_ERA_VERSIONS, ...LATER_VERSIONS]));
    expect(versions.filter((v) => GUIDE_ERA_VERSIONS.includes(v!)).length).toBeGreaterThan(versioned.length / 2);
    const healthy = fleet.scenarios.healthy.map((id) => versionOf(id));
    expect(healthy.filter((v) => GUIDE_ERA_VERSIONS.includes(v!)).length).toBeGreaterThan(healthy.length / 2);
  });

  it('the guide’s versions ship DEBUG and log heartbeat lines (1.7.2’s at DEBUG); later versions log no heartbeat line and no DEBUG line', () => {
    for (const w of versioned) {
      const lines = workerLinesOf(w.id);
      if (LATER_VERSIONS.includes(versionOf(w.id)!)) {
        expect(lines.filter(isHeartbeat), w.id).toEqual([]);
        expect(lines.filter((l) => l.log_level === 'DEBUG'), w.id).toEqual([]);
      } else {
        const sent = lines.filter((l) => isHeartbeat(l) && l.message.includes('Sent for worker'));
        expect(sent.every((l) => l.log_level === 'DEBUG'), w.id).toBe(true);
        if (tasksOf(w.id).length > 0) expect(lines.some((l) => l.log_level === 'DEBUG'), w.id).toBe(true);
        // Logged heartbeats come every 25–35 s at most once the worker runs.
        if (secondsBetween(w.created_at, w.last_heartbeat!) > 3 * 60) expect(lines.filter(isHeartbeat).length, w.id).toBeGreaterThan(0);
      }
    }
  });

  it('matches each event line with exactly its family, and no other line with any family', () => {
    const used = new Set<number>();
    const wrong: string[] = [];
    for (const line of logs.rows) {
      if (line.worker_id === null) continue;
      const index = EVENT_WORDINGS.findIndex((e) => e.wording.test(line.message));
      if (index >= 0) used.add(index);
      const expected = index >= 0 ? [...EVENT_WORDINGS[index]!.families].sort() : [];
      const actual = MARKER_FAMILIES.filter((f) => isOf(f, line)).sort();
      if (actual.join() !== expected.join()) wrong.push(`${line.source_type}: ${line.message} → [${actual.join()}], expected [${expected.join()}]`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // Every wording of the table occurs in the fleet.
    expect(EVENT_WORDINGS.filter((_, i) => !used.has(i)).map((e) => e.wording.source)).toEqual([]);
  });

  it('words switches, claims and memory lines by version', () => {
    const switchWording: Record<string, RegExp> = {
      '1.4.0': /^🔄 MODEL SWITCH: \w+ -> \w+$/,
      '1.7.2': /^🔄 MODEL SWITCH: \w+ -> \w+$/,
      '2.1.0': /^🔄 MODEL SWITCH: Switching from \w+ to \w+ using WGP's preload_model_when_switching$/,
      '2.4.1': /^🔄 MODEL SWITCH: Using WGP's generate_video pattern/,
    };
    for (const w of versioned) {
      const version = versionOf(w.id)!;
      const lines = workerLinesOf(w.id);
      const later = LATER_VERSIONS.includes(version);
      expect(lines.filter((l) => isOf('model_switch', l)).every((l) => switchWording[version]!.test(l.message)), w.id).toBe(true);
      expect(lines.filter((l) => isOf('task_claim', l)).every((l) => l.message.startsWith(later ? '[CLAIM] ' : '📥 ')), w.id).toBe(true);
      if (!later) expect(lines.filter((l) => isOf('ram', l)), w.id).toEqual([]);
      const profile = lines.filter((l) => isOf('memory_profile', l));
      if (version === '2.1.0') expect(profile, w.id).toEqual([]);
    }
    const ramWorkers = versioned.filter((w) => ramSamplesOf(w.id).length > 0);
    expect(ramWorkers.length).toBeGreaterThan(5);
    expect(ramWorkers.every((w) => LATER_VERSIONS.includes(versionOf(w.id)!))).toBe(true);
  });

  it('logs the successful end of every model load that did not kill the worker, in its version’s words, for the same model', () => {
    let checked = 0;
    for (const w of versioned) {
      const lines = workerLinesOf(w.id);
      lines.forEach((start, i) => {
        const initial = /^📦 Loading model (\w+) \(initial load\)$/.exec(start.message);
        if (!initial && !isOf('model_switch', start)) return;
        const to = initial ? initial[1] : familyValues('model_switch', start)['to'];
        const later = lines.slice(i + 1).filter((l) => l.task_id === start.task_id && !isHeartbeat(l));
        // A load the worker did not survive (an OOM) leaves no line after it: nothing to prove.
        if (later.length === 0) return;
        const loaded = later.filter((l) => isOf('model_loaded', l));
        expect(loaded.length, `${w.id}: ${start.message}`).toBeGreaterThan(0);
        expect(loaded.every((l) => familyValues('model_loaded', l)['to'] === undefined || familyValues('model_loaded', l)['to'] === to)).toBe(true);
        // The end of the load comes before the generation (only memory samples may precede it).
        const firstOther = later.find((l) => !isOf('ram', l))!;
        expect(isOf('model_loaded', firstOther), `${w.id}: ${firstOther.message}`).toBe(true);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('writes [RAM] samples whose figures agree with each other and with the worker’s RAM tier', () => {
    let samples = 0;
    for (const w of versioned) {
      for (const { line } of ramSamplesOf(w.id)) {
        const v = familyValues('ram', line);
        const total = Number(v['total_gb']);
        expect(total).toBe(w.metadata?.['ram_tier']);
        // Each figure is printed to its 0.1's: they agree to that precision.
        expect(Math.abs(Number(v['available_gb']) - (total * (100 - Number(v['system_used_pct']))) / 100)).toBeLessThanOrEqual(0.051);
        expect(Number(v['system_used_pct'])).toBeLessThan(100);
        samples++;
      }
    }
    expect(samples).toBeGreaterThan(200);
  });
});

describe('simulateFleet: issue 9 cases, judged from the rows', () => {
  it('OOM without heartbeat lines: a later version, switch then total silence, death 1.5–5 min after it, task In Progress', () => {
    const ids = fleet.scenarios.oom_without_heartbeat_lines;
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      const w = worker(id);
      expect(LATER_VERSIONS).toContain(versionOf(id));
      expect(workerLinesOf(id).filter(isHeartbeat)).toEqual([]);
      const switchLine = lastSwitchOf(id)!;
      const delay = secondsBetween(switchLine.timestamp, w.last_heartbeat!);
      expect(delay).toBeGreaterThanOrEqual(THRESHOLDS.oomCrashWindowS.min);
      expect(delay).toBeLessThanOrEqual(THRESHOLDS.oomCrashWindowS.max);
      // Nothing after the switch: no heartbeat line, no "switch completed", no error.
      expect(workerLinesOf(id).filter((l) => l.timestamp > switchLine.timestamp)).toEqual([]);
      expect(tasksOf(id).filter((t) => t.status === 'In Progress').map((t) => t.id)).toEqual([switchLine.task_id]);
      expect(isDead(w)).toBe(true);
    }
    expect(new Set(ids.map(versionOf))).toEqual(new Set(LATER_VERSIONS));
    expect(new Set(ids.map((id) => worker(id).status))).toEqual(new Set(['active', 'error']));
  });

  it('RAM climbing before an OOM: system RAM used rises to over the high mark in the minutes before the switch', () => {
    for (const id of fleet.scenarios.ram_climb_before_oom) {
      const w = worker(id);
      const switchLine = lastSwitchOf(id)!;
      const delay = secondsBetween(switchLine.timestamp, w.last_heartbeat!);
      expect(delay).toBeGreaterThanOrEqual(THRESHOLDS.oomCrashWindowS.min);
      expect(delay).toBeLessThanOrEqual(THRESHOLDS.oomCrashWindowS.max);
      // The last five samples before the switch, all from its last quarter hour.
      const before = ramSamplesOf(id).filter((s) => s.at < switchLine.timestamp).slice(-5);
      expect(before.length).toBe(5);
      expect(before.every((s) => secondsBetween(s.at, switchLine.timestamp) <= 15 * 60)).toBe(true);
      const used = before.map((s) => s.usedPct);
      for (let i = 1; i < used.length; i++) expect(used[i]!).toBeGreaterThan(used[i - 1]!);
      expect(used[0]!).toBeLessThan(THRESHOLDS.ramHighUsedPct - 10);
      expect(used.at(-1)!).toBeGreaterThan(THRESHOLDS.ramHighUsedPct);
      expect(before.at(-1)!.label).toBe('Before model switch');
      // Earlier in its life, memory was well under the mark.
      const earlier = ramSamplesOf(id).filter((s) => s.at < before[0]!.at);
      expect(earlier.length).toBeGreaterThan(0);
      expect(earlier.every((s) => s.usedPct < THRESHOLDS.ramHighUsedPct - 20)).toBe(true);
      expect(tasksOf(id).some((t) => t.status === 'In Progress' && t.id === switchLine.task_id)).toBe(true);
    }
  });

  it('init failures with start-up lines: banner and start-up steps, never ready nor claiming, dead within minutes; two later terminated by the orchestrator', () => {
    const failures = scenario('init_failure_with_startup_lines');
    expect(failures.length).toBe(3);
    for (const w of failures) {
      const lines = workerLinesOf(w.id);
      expect(lines.filter((l) => isOf('startup', l)).length, w.id).toBeGreaterThanOrEqual(2);
      expect(/^🚀 .*start/i.test(lines[0]!.message)).toBe(true);
      expect(lines.filter((l) => isOf('ready', l) || isOf('task_claim', l) || isHeartbeat(l))).toEqual([]);
      expect(tasksOf(w.id)).toEqual([]);
      expect(isDead(w)).toBe(true);
      expect(secondsBetween(w.created_at, w.last_heartbeat!)).toBeLessThan(2 * 60);
      expect(w.metadata?.['startup_phase']).not.toBe('ready');
    }
    expect(secondsBetween(failures[0]!.created_at, failures[0]!.last_heartbeat!)).toBeLessThanOrEqual(THRESHOLDS.initFailureWindowS);
    expect(failures.slice(1).every((w) => secondsBetween(w.created_at, w.last_heartbeat!) > THRESHOLDS.initFailureWindowS)).toBe(true);
    const terminated = failures.filter((w) => w.status === 'terminated');
    expect(terminated.length).toBe(2);
    for (const w of terminated) {
      const m = w.metadata!;
      expect(m['error_code']).toBe('STARTUP_NEVER_READY');
      expect(typeof m['error_reason']).toBe('string');
      const killedAt = parseInstant(m['error_time'])!;
      expect(secondsBetween(w.created_at, killedAt)).toBeGreaterThanOrEqual(ORCHESTRATOR_STARTUP_GRACE_S);
      const orchestrator = allLinesOf(w.id).filter((l) => l.source_type !== 'worker');
      const mark = orchestrator.find((l) => isOf('orchestrator_error', l))!;
      expect(mark.message).toContain('MARKING AS ERROR');
      expect(Math.abs(secondsBetween(mark.timestamp, killedAt))).toBeLessThan(1);
      const tail = orchestrator.filter((l) => isOf('log_tail', l));
      expect(tail.length).toBeGreaterThanOrEqual(3);
      expect(tail.every((l) => l.timestamp >= mark.timestamp)).toBe(true);
      // The tail ends with what the worker's own shipping lost or last shipped: its error.
      expect(tail.at(-1)!.message).toMatch(/ERROR|Error/);
    }
    expect(failures.filter((w) => w.status === 'active').length).toBe(1);
    // Versions: the guide's and a later one among them.
    expect(new Set(failures.map((w) => GUIDE_ERA_VERSIONS.includes(versionOf(w.id)!)))).toEqual(new Set([true, false]));
  });

  it('stalled ("zombie") workers: fresh DB heartbeat, a task In Progress, no own line but heartbeats for over the stall limit', () => {
    const stalled = scenario('stalled');
    expect(stalled.length).toBe(2);
    for (const w of stalled) {
      expect(isAlive(w)).toBe(true);
      const held = tasksOf(w.id).filter((t) => t.status === 'In Progress');
      expect(held.length).toBe(1);
      const last = lastOwnNonHeartbeat(w.id)!;
      expect(secondsBetween(last.timestamp, asOf)).toBeGreaterThan(THRESHOLDS.stalledSilenceS);
      expect(last.task_id).toBe(held[0]!.id);
      expect(workerLinesOf(w.id).some((l) => isOf('vlm_loading', l) && l.timestamp >= held[0]!.generation_started_at!)).toBe(false);
    }
    const beatsDuringSilence = stalled.map((w) => workerLinesOf(w.id).filter((l) => isHeartbeat(l) && l.timestamp > lastOwnNonHeartbeat(w.id)!.timestamp).length);
    // One keeps logging heartbeat lines through the silence; the other never logs one at all.
    expect(beatsDuringSilence.some((n) => n >= 10)).toBe(true);
    expect(stalled.some((w) => workerLinesOf(w.id).filter(isHeartbeat).length === 0)).toBe(true);
  });

  it('near miss: a long silent step on a healthy worker, silent for under the stall limit', () => {
    for (const w of scenario('long_silent_step')) {
      expect(isAlive(w)).toBe(true);
      expect(tasksOf(w.id).filter((t) => t.status === 'In Progress').length).toBe(1);
      const silenceS = secondsBetween(lastOwnNonHeartbeat(w.id)!.timestamp, asOf);
      expect(silenceS).toBeGreaterThan(THRESHOLDS.stalledSilenceS - 4 * 60);
      expect(silenceS).toBeLessThan(THRESHOLDS.stalledSilenceS);
    }
  });

  it('near miss: an idle worker with no task, writing only heartbeat lines for over the stall limit', () => {
    for (const w of scenario('idle_heartbeats_only')) {
      expect(isAlive(w)).toBe(true);
      expect(tasksOf(w.id)).toEqual([]);
      const last = lastOwnNonHeartbeat(w.id)!;
      expect(isOf('ready', last)).toBe(true);
      expect(secondsBetween(last.timestamp, asOf)).toBeGreaterThan(THRESHOLDS.stalledSilenceS);
      expect(workerLinesOf(w.id).filter((l) => isHeartbeat(l) && l.timestamp > last.timestamp).length).toBeGreaterThan(10);
    }
  });

  it('near miss: a clean idle shutdown with status terminated, a shutdown line and self-termination in its metadata', () => {
    for (const w of scenario('clean_idle_shutdown')) {
      expect(w.status).toBe('terminated');
      expect(w.metadata?.['self_terminated']).toBe(true);
      expect(typeof w.metadata?.['termination_reason']).toBe('string');
      expect(w.metadata?.['error_code']).toBeUndefined();
      const lines = workerLinesOf(w.id);
      expect(lines.filter((l) => isOf('shutdown', l)).length).toBeGreaterThan(0);
      expect(isOf('shutdown', lines.at(-1)!)).toBe(true);
      expect(tasksOf(w.id).length).toBeGreaterThan(0);
      expect(tasksOf(w.id).every((t) => t.status === 'Complete')).toBe(true);
      expect(lines.some((l) => ERROR_LEVELS.has(l.log_level))).toBe(false);
    }
  });

  it('near miss: a start-up banner followed by a normal working life', () => {
    for (const w of scenario('startup_then_normal_life')) {
      expect(isAlive(w)).toBe(true);
      expect(secondsBetween(w.created_at, asOf)).toBeLessThan(30 * 60);
      const lines = workerLinesOf(w.id);
      expect(isOf('startup', lines[0]!)).toBe(true);
      const ready = lines.findIndex((l) => isOf('ready', l));
      expect(ready).toBeGreaterThan(0);
      expect(lines.slice(ready).filter((l) => isOf('task_claim', l)).length).toBeGreaterThan(1);
      expect(tasksOf(w.id).filter((t) => t.status === 'Complete' || t.status === 'Failed').length).toBeGreaterThan(0);
    }
  });

  it('orchestrator kills carry error_code, error_reason, error_time and diagnostics, at the time of the kill line', () => {
    const killed = workers.rows.filter((w) => allLinesOf(w.id).some((l) => isOf('orchestrator_error', l)));
    expect(killed.length).toBeGreaterThan(5);
    expect(new Set(killed.map((w) => w.status))).toEqual(new Set(['error', 'terminated']));
    for (const w of killed) {
      const m = w.metadata!;
      expect(SCHEMA_ERROR_CODES).toContain(m['error_code']);
      expect(typeof m['error_reason']).toBe('string');
      const mark = allLinesOf(w.id).find((l) => isOf('orchestrator_error', l))!;
      expect(Math.abs(secondsBetween(mark.timestamp, parseInstant(m['error_time'])!))).toBeLessThan(1);
      const diagnostics = m['diagnostics'] as Record<string, unknown>;
      expect(typeof diagnostics['uptime_s']).toBe('number');
      expect(typeof diagnostics['running_tasks']).toBe('number');
      expect(diagnostics['pod_status']).toBe('RUNNING');
      expect(typeof diagnostics['cost_per_hr']).toBe('number');
    }
  });
});

describe('simulateFleet: issue 11 cases, judged from the rows', () => {
  it('a task requeued after its worker crashed, with the trace and attempts, completed by another worker', () => {
    const [crashedId, finisherId] = fleet.scenarios.requeued_after_crash;
    const crashed = worker(crashedId!);
    const traced = tasks.rows.filter((t) => /^Requeued: worker crashed \(attempt \d+\)$/.test(t.error_message ?? ''));
    expect(traced.length).toBe(1);
    const task = traced[0]!;
    expect(task.attempts).toBe(Number(/attempt (\d+)/.exec(task.error_message!)![1]));
    expect(task.status).toBe('Complete');
    expect(task.worker_id).toBe(finisherId);
    expect(crashed.status).toBe('crashed');
    const crashedLines = workerLinesOf(crashedId!).filter((l) => l.task_id === task.id);
    expect(crashedLines.some((l) => isOf('task_claim', l))).toBe(true);
    expect(ERROR_LEVELS.has(workerLinesOf(crashedId!).at(-1)!.log_level)).toBe(true);
    expect(workerLinesOf(crashedId!).at(-1)!.task_id).toBe(task.id);
    // Claimed again after the death, by the worker that finished it.
    expect(task.generation_started_at!).toBeGreaterThan(crashed.last_heartbeat!);
    expect(workerLinesOf(finisherId!).some((l) => isOf('task_claim', l) && l.task_id === task.id && l.timestamp === task.generation_started_at)).toBe(true);
    expect(task.created_at).toBeLessThan(crashedLines[0]!.timestamp);
  });

  it('an orchestrator kill whose claimed idle time is false: "idle for 20 minutes" three minutes after a finished task', () => {
    for (const w of scenario('false_idle_kill')) {
      const m = w.metadata!;
      expect(m['error_code']).toBe('GPU_READY_NOT_CLAIMING');
      const claimedIdleS = Number(/idle for (\d+) minutes/.exec(String(m['error_reason']))![1]) * 60;
      const killedAt = parseInstant(m['error_time'])!;
      const lastFinished = Math.max(...tasksOf(w.id).filter((t) => t.status === 'Complete').map((t) => t.updated_at!));
      const observedIdleS = secondsBetween(lastFinished, killedAt);
      expect(observedIdleS).toBeGreaterThan(2 * 60);
      expect(observedIdleS).toBeLessThan(4 * 60);
      expect(claimedIdleS).toBeGreaterThan(1.5 * observedIdleS);
      expect(w.status).toBe('terminated');
      expect(secondsBetween(killedAt, w.last_heartbeat!)).toBeGreaterThanOrEqual(0);
      expect(secondsBetween(killedAt, w.last_heartbeat!)).toBeLessThan(60);
    }
  });

  it('a failure period in the last 30 min: the failure rate among finished tasks says WARNING, not BLOCKED', () => {
    const windowStart = asOf - THRESHOLDS.healthWindowS * 1_000_000;
    const finishedAt = (t: Task) => (t.status === 'Complete' || t.status === 'Failed' ? t.updated_at! : null);
    const finished = tasks.rows.filter((t) => finishedAt(t) !== null && finishedAt(t)! >= windowStart && finishedAt(t)! <= asOf);
    const failed = finished.filter((t) => t.status === 'Failed');
    const rate = failed.length / finished.length;
    expect(rate).toBeGreaterThan(THRESHOLDS.healthWarningFailureRate);
    expect(rate <= THRESHOLDS.healthBlockedFailureRate || finished.length < THRESHOLDS.healthBlockedMinFinished).toBe(true);
    // An hour before it, the fleet was healthy.
    const hourBefore = (t: Task) => finishedAt(t) !== null && finishedAt(t)! < windowStart - 10 * 60 * 1_000_000 && finishedAt(t)! >= windowStart - 70 * 60 * 1_000_000;
    const before = tasks.rows.filter(hourBefore);
    expect(before.filter((t) => t.status === 'Failed').length / before.length).toBeLessThan(0.2);
    for (const id of fleet.scenarios.failure_burst) {
      expect(tasksOf(id).some((t) => t.status === 'Failed' && t.updated_at! >= windowStart - 5 * 60 * 1_000_000)).toBe(true);
    }
  });

  it('failed tasks: messages that differ only in their numbers, and timeout, upload and validation failures', () => {
    const messages = tasks.rows.filter((t) => t.status === 'Failed').map((t) => t.error_message!);
    const oom = [...new Set(messages.filter((m) => m.startsWith('CUDA out of memory.')))];
    expect(oom.length).toBeGreaterThanOrEqual(2);
    expect(new Set(oom.map((m) => m.replace(/\d+(\.\d+)?/g, '#'))).size).toBe(1);
    for (const kind of [/timed out/, /^Upload failed/, /^Validation failed/, /could not decode/]) expect(messages.some((m) => kind.test(m)), String(kind)).toBe(true);
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

  it('pattern 1 fits exactly the OOM scenarios (the guide’s, and those on versions without heartbeat lines)', () => {
    const expected = [...fleet.scenarios.oom_during_model_loading, ...fleet.scenarios.oom_without_heartbeat_lines, ...fleet.scenarios.ram_climb_before_oom];
    expect(ids(fitsOomDuringModelLoading)).toEqual(expected.sort());
  });

  it('pattern 2 fits exactly the initialisation failures (the guide’s, and the start-up failure that died within its window)', () => {
    const fits = (w: Worker) =>
      w.last_heartbeat !== null && isDead(w) && secondsBetween(w.created_at, w.last_heartbeat) <= THRESHOLDS.initFailureWindowS;
    const [quickStartupFailure] = fleet.scenarios.init_failure_with_startup_lines;
    expect(ids(fits)).toEqual([...fleet.scenarios.initialization_failure, quickStartupFailure!].sort());
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
    for (const name of DEMO_SCENARIOS) {
      // Which workers the outage strikes is drawn per copy: only its worker list varies in length.
      if (name === 'failure_burst') expect(scaled.scenarios[name].length, name).toBeGreaterThan(fleet.scenarios[name].length);
      else expect(scaled.scenarios[name], name).toHaveLength(k * fleet.scenarios[name].length);
    }
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

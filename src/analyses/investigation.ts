/**
 * §15 Investigation checklist: every item of the guide's list for one worker, each with a verdict
 * code (ok, warn, bad, info) and the facts it was judged on, and the crash classification that
 * closes it. present/investigation.ts words each item; the template notebook shows them one by one.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Vocabulary } from '../config/vocabulary.js';
import { ERROR_LEVELS, WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { SystemLog, Task, TaskStatus, Worker } from '../rows/schemas.js';
import type { Instant } from '../rows/time.js';
import { classifyWorker, type Classification } from './crash-patterns.js';
import { placeCrashTiming, type CrashTiming, type TimingPlacement } from './crash-timing.js';
import { heartbeatGaps, type HeartbeatGaps } from './heartbeat-gaps.js';
import { sortLogs } from '../rows/order.js';
import { memoryProfile, type MemoryProfile, type RamSample } from './memory-profile.js';
import { modelSwitch, type ModelSwitch } from './model-switch.js';
import { orphanedTasks, type OrphanedTask } from './orphaned-tasks.js';
import { computeSignalsForWorker } from './worker-signals.js';
import { toLogLine, workerLogs, type LastWorkerLog, type LogLine, type WorkerLogs } from './worker-logs.js';
import { workerStatus, type WorkerStatus } from './worker-status.js';
import { workerTasks, type WorkerTasks } from './worker-tasks.js';

export type Verdict = 'ok' | 'warn' | 'bad' | 'info';

/**
 * The guide's §15 checklist, in its order (present/investigation.ts holds the guide's words), with
 * one line of ours after the memory profile: the last memory sample before death.
 */
export const CHECKLIST_KEYS = [
  'heartbeat',
  'logs',
  'last_log',
  'model_switch',
  'switch_to_crash',
  'heartbeat_gaps',
  'errors',
  'tasks',
  'memory_profile',
  'ram_before_death',
  'crash_timing',
] as const;
export type ChecklistKey = (typeof CHECKLIST_KEYS)[number];

interface Item<K extends ChecklistKey, F> {
  key: K;
  verdict: Verdict;
  facts: F;
}

export type ChecklistItem =
  | Item<'heartbeat', Pick<WorkerStatus, 'status' | 'last_heartbeat' | 'heartbeat_age_s' | 'heartbeat_state'>>
  | Item<'logs', { total: number; by_level: Record<string, number>; by_source_type: Record<string, number> }>
  | Item<
      'last_log',
      { last_worker_log: LastWorkerLog | null; silence_s: number | null; silence_before_death_s: number | null; orchestrator_lines_after: number }
    >
  | Item<'model_switch', Pick<ModelSwitch, 'switches_total' | 'switch_at' | 'switch_message'>>
  | Item<'switch_to_crash', Pick<ModelSwitch, 'switch_at' | 'crashed' | 'crash_after_s' | 'in_oom_window' | 'in_model_load_window'>>
  | Item<
      'heartbeat_gaps',
      { logged_heartbeats: number; gaps: number; threshold_s: number; longest_gap_s: number | null; db_after_last_logged_s: number | null; db_last_heartbeat: Instant | null }
    >
  | Item<'errors', { errors: number; from_worker: number; last_error: string | null }>
  | Item<'tasks', { total: number; by_status: Record<TaskStatus, number>; orphaned: number }>
  | Item<'memory_profile', Pick<MemoryProfile, 'memory_profile' | 'line'> & { profile_lines: number }>
  | Item<'ram_before_death', { sample: RamSample | null; ram_lines: number; died_at: Instant | null; high_pct: number }>
  | Item<'crash_timing', { fleet_loaded: boolean; placement: TimingPlacement | null; model_load_window_s: number }>;

export interface Investigation {
  worker_id: string;
  as_of: Instant;
  status: WorkerStatus;
  logs: Omit<WorkerLogs, 'logs'>;
  heartbeats: HeartbeatGaps;
  model_switch: ModelSwitch;
  errors: LogLine[];
  tasks: WorkerTasks;
  orphaned_tasks: OrphanedTask[];
  memory_profile: MemoryProfile;
  crash_timing: (TimingPlacement & { fleet_crashes: number }) | null;
  classification: Classification;
  checklist: ChecklistItem[];
}

const HEARTBEAT_VERDICTS: Readonly<Record<WorkerStatus['heartbeat_state'], Verdict>> = { alive: 'ok', aging: 'warn', dead: 'bad', never: 'bad' };

// One builder per checklist item, from that section's own result: the section notebooks show the
// same verdict line as the investigation template.

export function heartbeatItem(status: WorkerStatus): ChecklistItem {
  const { status: workerStatusText, last_heartbeat, heartbeat_age_s, heartbeat_state } = status;
  return { key: 'heartbeat', verdict: HEARTBEAT_VERDICTS[heartbeat_state], facts: { status: workerStatusText, last_heartbeat, heartbeat_age_s, heartbeat_state } };
}

export function logsItem(logs: Omit<WorkerLogs, 'logs'>): ChecklistItem {
  return {
    key: 'logs',
    verdict: logs.total_unfiltered === 0 ? 'warn' : 'info',
    facts: { total: logs.total_unfiltered, by_level: logs.by_level, by_source_type: logs.by_source_type },
  };
}

/** `silenceBeforeDeathS`: from the last worker line to the last DB heartbeat of a dead worker. */
export function lastLogItem(
  logs: Pick<WorkerLogs, 'last_worker_log' | 'silence_s' | 'orchestrator_lines_after_last_worker_log'>,
  heartbeatState: WorkerStatus['heartbeat_state'], silenceBeforeDeathS: number | null): ChecklistItem {
  const last = logs.last_worker_log;
  const quiet = last !== null && heartbeatState === 'alive' && (logs.silence_s ?? 0) < THRESHOLDS.vlmHangSilenceS;
  return {
    key: 'last_log',
    verdict: quiet ? 'ok' : 'warn',
    facts: {
      last_worker_log: last,
      silence_s: logs.silence_s,
      silence_before_death_s: silenceBeforeDeathS,
      orchestrator_lines_after: logs.orchestrator_lines_after_last_worker_log,
    },
  };
}

export function modelSwitchItem(ms: ModelSwitch): ChecklistItem {
  return { key: 'model_switch', verdict: 'info', facts: { switches_total: ms.switches_total, switch_at: ms.switch_at, switch_message: ms.switch_message } };
}

export function switchToCrashItem(ms: ModelSwitch): ChecklistItem {
  const verdict: Verdict =
    ms.crash_after_s === null ? (ms.crashed ? 'warn' : 'ok') : ms.in_oom_window ? 'bad' : ms.in_model_load_window ? 'warn' : 'info';
  const { switch_at, crashed, crash_after_s, in_oom_window, in_model_load_window } = ms;
  return { key: 'switch_to_crash', verdict, facts: { switch_at, crashed, crash_after_s, in_oom_window, in_model_load_window } };
}

/** No heartbeat line in the worker's whole life: its gaps cannot be judged from lines (info, not ok). */
export function heartbeatGapsItem(gaps: HeartbeatGaps): ChecklistItem {
  return {
    key: 'heartbeat_gaps',
    verdict: gaps.logged_heartbeats === 0 ? 'info' : gaps.gaps.length > 0 ? 'warn' : 'ok',
    facts: {
      logged_heartbeats: gaps.logged_heartbeats,
      gaps: gaps.gaps.length,
      threshold_s: gaps.threshold_s,
      longest_gap_s: gaps.gaps.length > 0 ? Math.max(...gaps.gaps.map((g) => g.gap_s)) : null,
      db_after_last_logged_s: gaps.db_after_last_logged_s,
      db_last_heartbeat: gaps.db_last_heartbeat,
    },
  };
}

/** `errors`: ERROR/CRITICAL lines of any source, in order. */
export function errorsItem(errors: readonly LogLine[]): ChecklistItem {
  const fromWorker = errors.filter((e) => e.source_type === WORKER_SOURCE_TYPE).length;
  return {
    key: 'errors',
    verdict: fromWorker > 0 ? 'bad' : errors.length > 0 ? 'warn' : 'ok',
    facts: { errors: errors.length, from_worker: fromWorker, last_error: errors.at(-1)?.message ?? null },
  };
}

export function tasksItem(tasks: WorkerTasks, orphans: readonly OrphanedTask[]): ChecklistItem {
  return {
    key: 'tasks',
    verdict: orphans.length > 0 ? 'bad' : tasks.by_status.Failed > 0 ? 'warn' : 'ok',
    facts: { total: tasks.total, by_status: tasks.by_status, orphaned: orphans.length },
  };
}

export function memoryProfileItem(profile: MemoryProfile): ChecklistItem {
  return {
    key: 'memory_profile',
    verdict: profile.memory_profile === null ? 'warn' : 'info',
    facts: { memory_profile: profile.memory_profile, line: profile.line, profile_lines: profile.coverage.memory_profile ?? 0 },
  };
}

/** The last `[RAM]` sample at or before death (or as-of while alive): high system memory is a warning. */
export function ramBeforeDeathItem(profile: MemoryProfile, diedAt: Instant | null): ChecklistItem {
  const before = profile.ram_samples.filter((s) => diedAt === null || s.at <= diedAt);
  const sample = before.at(-1) ?? null;
  const high = sample?.system_used_pct != null && sample.system_used_pct >= THRESHOLDS.ramHighUsedPct;
  return {
    key: 'ram_before_death',
    verdict: sample === null ? 'info' : high ? 'warn' : 'ok',
    facts: { sample, ram_lines: profile.ram_samples.length, died_at: diedAt, high_pct: THRESHOLDS.ramHighUsedPct },
  };
}

export function crashTimingItem(placement: TimingPlacement | null, fleetLoaded: boolean): ChecklistItem {
  return { key: 'crash_timing', verdict: 'info', facts: { fleet_loaded: fleetLoaded, placement, model_load_window_s: THRESHOLDS.modelLoadCrashWindowS } };
}

/** ERROR/CRITICAL lines of any source, oldest first. */
export function errorLines(logs: readonly SystemLog[]): LogLine[] {
  return sortLogs(logs.filter((l) => ERROR_LEVELS.has(l.log_level))).map(toLogLine);
}

/**
 * `fleetTiming`: the fleet's crash-timing distribution to place this worker on (null to skip that
 * item, e.g. when the fleet could not be read).
 */
export function investigateWorker(
  worker: Worker,
  tasks: readonly Task[],
  logs: readonly SystemLog[],
  asOf: Instant,
  fleetTiming: CrashTiming | null,
  vocabulary: Vocabulary,
): Investigation {
  const ownLogs = logs.filter((l) => l.worker_id === worker.id && l.timestamp <= asOf);
  const ownTasks = tasks.filter((t) => t.worker_id === worker.id);
  const status = workerStatus(worker, asOf);
  const { logs: _lines, ...logSummary } = workerLogs(worker.id, ownLogs, asOf);
  const gaps = heartbeatGaps(worker.id, ownLogs, asOf, vocabulary, worker);
  const switchResult = modelSwitch(worker, ownTasks, ownLogs, asOf, vocabulary);
  const signals = computeSignalsForWorker(worker.id, ownLogs, asOf, vocabulary);
  const classification = classifyWorker({ worker, tasks: ownTasks, signals }, asOf, vocabulary);
  const errors = errorLines(ownLogs);
  const taskSummary = workerTasks(worker.id, ownTasks);
  // A stalled worker's task is lost work, just like an orphan's.
  const stalled = classification.pattern === 'stalled' ? new Set([worker.id]) : new Set<string>();
  const orphans = orphanedTasks(ownTasks, [worker], asOf, stalled).tasks;
  const profile = memoryProfile(worker.id, ownLogs, asOf, vocabulary, worker);
  const placement =
    fleetTiming && switchResult.crash_after_s !== null
      ? { ...placeCrashTiming(fleetTiming, switchResult.crash_after_s), fleet_crashes: fleetTiming.overall.crashed }
      : null;
  const silenceBeforeDeath = classification.figures['silence_before_death_s'];

  return {
    worker_id: worker.id,
    as_of: asOf,
    status,
    logs: logSummary,
    heartbeats: gaps,
    model_switch: switchResult,
    errors,
    tasks: taskSummary,
    orphaned_tasks: orphans,
    memory_profile: profile,
    crash_timing: placement,
    classification,
    checklist: [
      heartbeatItem(status),
      logsItem(logSummary),
      lastLogItem(logSummary, status.heartbeat_state, typeof silenceBeforeDeath === 'number' ? silenceBeforeDeath : null),
      modelSwitchItem(switchResult),
      switchToCrashItem(switchResult),
      heartbeatGapsItem(gaps),
      errorsItem(errors),
      tasksItem(taskSummary, orphans),
      memoryProfileItem(profile),
      ramBeforeDeathItem(profile, classification.died_at),
      crashTimingItem(placement, fleetTiming !== null),
    ],
  };
}

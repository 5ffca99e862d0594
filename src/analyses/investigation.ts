/**
 * §15 Investigation checklist: every item of the guide's list for one worker, each with its
 * finding and a ✅/⚠️/❌ verdict, and a closing verdict (the crash pattern and the evidence it
 * rests on). The investigation template notebook displays this, item by item.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { ERROR_LEVELS, WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { formatDuration } from '../present/format.js';
import { type Instant } from '../rows/time.js';
import { classifyWorker, type Classification, type Evidence } from './crash-patterns.js';
import { placeCrashTiming, type CrashTiming, type TimingPlacement } from './crash-timing.js';
import { iso, type IsoInstant } from './format.js';
import { heartbeatGaps, type HeartbeatGaps } from './heartbeat-gaps.js';
import { sortLogs } from '../rows/order.js';
import { memoryProfile, type MemoryProfile } from './memory-profile.js';
import { modelSwitch, type ModelSwitch } from './model-switch.js';
import { orphanedTasks, type OrphanedTask } from './orphaned-tasks.js';
import { computeSignalsForWorker } from './worker-signals.js';
import { toLogLine, workerLogs, type LogLine, type WorkerLogs } from './worker-logs.js';
import { workerStatus, type WorkerStatus } from './worker-status.js';
import { workerTasks, type WorkerTasks } from './worker-tasks.js';

export type Verdict = 'ok' | 'warn' | 'bad' | 'info';

export const VERDICT_ICONS: Readonly<Record<Verdict, string>> = { ok: '✅', warn: '⚠️', bad: '❌', info: 'ℹ️' };

/** The guide's §15 checklist, in its order and words. */
export const CHECKLIST = [
  { key: 'heartbeat', title: 'Check last heartbeat age (workers table)' },
  { key: 'logs', title: 'Get all logs for the worker' },
  { key: 'last_log', title: 'Identify the last log before silence' },
  { key: 'model_switch', title: 'Look for MODEL SWITCH log' },
  { key: 'switch_to_crash', title: 'Calculate time between MODEL SWITCH and crash' },
  { key: 'heartbeat_gaps', title: 'Check for heartbeat gaps' },
  { key: 'errors', title: 'Find any error messages' },
  { key: 'tasks', title: 'Check tasks assigned to worker' },
  { key: 'memory_profile', title: 'Verify memory profile being used' },
  { key: 'crash_timing', title: 'Compare crash timing with other failed workers' },
] as const;
export type ChecklistKey = (typeof CHECKLIST)[number]['key'];

export interface ChecklistItem {
  key: ChecklistKey;
  title: string;
  verdict: Verdict;
  icon: string;
  finding: string;
}

export interface Investigation {
  worker_id: string;
  as_of: IsoInstant;
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
  verdict: { pattern: Classification['pattern']; title: string; summary: string; evidence: Evidence[] };
}

function item(key: ChecklistKey, verdict: Verdict, finding: string): ChecklistItem {
  const title = CHECKLIST.find((c) => c.key === key)!.title;
  return { key, title, verdict, icon: VERDICT_ICONS[verdict], finding };
}

const HEARTBEAT_VERDICTS: Readonly<Record<WorkerStatus['heartbeat_state'], Verdict>> = { alive: 'ok', aging: 'warn', dead: 'bad', never: 'bad' };

const listCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

// One builder per checklist item, from that section's own result: the section notebooks show the
// same verdict line as the investigation template.

export function heartbeatItem(status: WorkerStatus): ChecklistItem {
  return item(
    'heartbeat',
    HEARTBEAT_VERDICTS[status.heartbeat_state],
    status.last_heartbeat === null
      ? `No DB heartbeat ever (status ${status.status}).`
      : `Last DB heartbeat ${formatDuration(status.heartbeat_age_s)} before as-of: ${status.heartbeat_state} (status ${status.status}).`,
  );
}

export function logsItem(logs: Omit<WorkerLogs, 'logs'>): ChecklistItem {
  return item(
    'logs',
    logs.total_unfiltered === 0 ? 'warn' : 'info',
    `${logs.total_unfiltered} line(s): ${listCounts(logs.by_level)}; by source ${listCounts(logs.by_source_type)}.`,
  );
}

/** `silenceBeforeDeathS`: from the last worker line to the last DB heartbeat of a dead worker. */
export function lastLogItem(logs: Omit<WorkerLogs, 'logs'>, heartbeatState: WorkerStatus['heartbeat_state'], silenceBeforeDeathS: number | null): ChecklistItem {
  const last = logs.last_worker_log;
  if (last === null) return item('last_log', 'warn', 'The worker never wrote a line of its own.');
  const quiet = heartbeatState === 'alive' && (logs.silence_s ?? 0) < THRESHOLDS.vlmHangSilenceS;
  return item(
    'last_log',
    quiet ? 'ok' : 'warn',
    `"${last.message}" at ${last.timestamp}; silent for ${formatDuration(logs.silence_s)} before as-of` +
      (silenceBeforeDeathS !== null ? `, ${formatDuration(silenceBeforeDeathS)} before its last DB heartbeat` : '') +
      (logs.orchestrator_lines_after_last_worker_log > 0 ? `; ${logs.orchestrator_lines_after_last_worker_log} orchestrator line(s) about it came later` : '') +
      '.',
  );
}

export function modelSwitchItem(ms: ModelSwitch): ChecklistItem {
  return item(
    'model_switch',
    'info',
    ms.switch_at === null ? 'No MODEL SWITCH logged.' : `${ms.switches_total} switch(es); last at ${ms.switch_at}: "${ms.switch_message}".`,
  );
}

export function switchToCrashItem(ms: ModelSwitch): ChecklistItem {
  if (ms.crash_after_s === null) {
    return item('switch_to_crash', ms.crashed ? 'warn' : 'ok', ms.switch_at === null ? 'No switch to time.' : 'Not dead: no crash to time.');
  }
  return item(
    'switch_to_crash',
    ms.in_oom_window ? 'bad' : ms.in_model_load_window ? 'warn' : 'info',
    `Died ${formatDuration(ms.crash_after_s)} after the switch (to the last DB heartbeat)` +
      (ms.in_oom_window ? ': inside the 1.5–5 min OOM window.' : ms.in_model_load_window ? ': within 10 min, outside the 1.5–5 min OOM window.' : ': long after the switch.'),
  );
}

export function heartbeatGapsItem(gaps: HeartbeatGaps): ChecklistItem {
  return item(
    'heartbeat_gaps',
    gaps.gaps.length > 0 ? 'warn' : 'ok',
    `${gaps.logged_heartbeats} logged heartbeat(s); ${gaps.gaps.length} gap(s) over ${gaps.threshold_s} s` +
      (gaps.gaps.length > 0 ? `, longest ${formatDuration(Math.max(...gaps.gaps.map((g) => g.gap_s)))}` : '') +
      (gaps.db_after_last_logged_s !== null ? `; the DB heartbeat went on ${formatDuration(gaps.db_after_last_logged_s)} after the last logged one` : '') +
      '.',
  );
}

/** `errors`: ERROR/CRITICAL lines of any source, in order. */
export function errorsItem(errors: readonly LogLine[]): ChecklistItem {
  const fromWorker = errors.filter((e) => e.source_type === WORKER_SOURCE_TYPE).length;
  return item(
    'errors',
    fromWorker > 0 ? 'bad' : errors.length > 0 ? 'warn' : 'ok',
    errors.length === 0
      ? 'No ERROR or CRITICAL line.'
      : `${errors.length} ERROR/CRITICAL line(s), ${fromWorker} from the worker; last: "${errors[errors.length - 1]!.message}".`,
  );
}

export function tasksItem(tasks: WorkerTasks, orphans: readonly OrphanedTask[]): ChecklistItem {
  return item(
    'tasks',
    orphans.length > 0 ? 'bad' : tasks.by_status.Failed > 0 ? 'warn' : 'ok',
    `${tasks.total} task(s): ${listCounts(tasks.by_status)}` + (orphans.length > 0 ? `; ${orphans.length} orphaned (In Progress on a dead worker).` : '.'),
  );
}

export function memoryProfileItem(profile: MemoryProfile): ChecklistItem {
  return item(
    'memory_profile',
    profile.memory_profile === null ? 'warn' : 'info',
    profile.memory_profile === null ? 'No memory-profile line logged.' : `Memory profile ${profile.memory_profile} ("${profile.line}").`,
  );
}

export function crashTimingItem(placement: TimingPlacement | null, fleetLoaded: boolean): ChecklistItem {
  return item(
    'crash_timing',
    'info',
    placement === null
      ? fleetLoaded
        ? 'This worker has no switch-to-death time to compare.'
        : 'Fleet crash timings not loaded.'
      : placement.crash_after_s < 0 || placement.crash_after_s > THRESHOLDS.modelLoadCrashWindowS
        ? `${formatDuration(placement.crash_after_s)} after the switch: outside the 10 min model-load window, so not one of the fleet's ${placement.n} model-load crash(es) (median ${formatDuration(placement.median_s)}).`
        : `${formatDuration(placement.crash_after_s)} after the switch: at the ${Math.round(placement.percentile * 100)}th percentile of ${placement.n} model-load crash(es) in the fleet (median ${formatDuration(placement.median_s)}).`,
  );
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
): Investigation {
  const ownLogs = logs.filter((l) => l.worker_id === worker.id && l.timestamp <= asOf);
  const ownTasks = tasks.filter((t) => t.worker_id === worker.id);
  const status = workerStatus(worker, asOf);
  const { logs: _lines, ...logSummary } = workerLogs(worker.id, ownLogs, asOf);
  const gaps = heartbeatGaps(worker.id, ownLogs, asOf, worker);
  const switchResult = modelSwitch(worker, ownTasks, ownLogs, asOf);
  const signals = computeSignalsForWorker(worker.id, ownLogs, asOf);
  const classification = classifyWorker({ worker, tasks: ownTasks, signals }, asOf);
  const errors = errorLines(ownLogs);
  const taskSummary = workerTasks(worker.id, ownTasks);
  const orphans = orphanedTasks(ownTasks, [worker], asOf).tasks;
  const profile = memoryProfile(worker.id, signals.memory_profile_line);
  const placement =
    fleetTiming && switchResult.crash_after_s !== null
      ? { ...placeCrashTiming(fleetTiming, switchResult.crash_after_s), fleet_crashes: fleetTiming.overall.crashed }
      : null;
  const silenceBeforeDeath = classification.figures['silence_before_death_s'];

  return {
    worker_id: worker.id,
    as_of: iso(asOf),
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
      crashTimingItem(placement, fleetTiming !== null),
    ],
    verdict: { pattern: classification.pattern, title: classification.title, summary: classification.summary, evidence: classification.evidence },
  };
}

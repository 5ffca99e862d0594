/**
 * §15 Investigation checklist: every item of the guide's list for one worker, each with its
 * finding and a ✅/⚠️/❌ verdict, and a closing verdict (the crash pattern and the evidence it
 * rests on). The investigation template notebook displays this, item by item.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { formatDuration, type Instant } from '../time.js';
import { classifyWorker, type Classification, type Evidence } from './crash-patterns.js';
import { placeCrashTiming, type CrashTiming, type TimingPlacement } from './crash-timing.js';
import { iso, type IsoInstant } from './format.js';
import { heartbeatGaps, type HeartbeatGaps } from './heartbeat-gaps.js';
import { isWorkerError, sortLogs } from './log-order.js';
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
  const { logs: _allLines, ...logSummary } = workerLogs(worker.id, ownLogs, asOf);
  const gaps = heartbeatGaps(worker.id, ownLogs, asOf, worker);
  const switchResult = modelSwitch(worker, ownTasks, ownLogs, asOf);
  const signals = computeSignalsForWorker(worker.id, ownLogs, asOf);
  const classification = classifyWorker({ worker, tasks: ownTasks, signals }, asOf);
  const errors = sortLogs(ownLogs.filter((l) => l.log_level === 'ERROR' || l.log_level === 'CRITICAL')).map(toLogLine);
  const workerErrors = ownLogs.filter(isWorkerError).length;
  const taskSummary = workerTasks(worker.id, ownTasks);
  const orphans = orphanedTasks(ownTasks, [worker], asOf).tasks;
  const profile = memoryProfile(worker.id, signals.memory_profile_line);
  const placement =
    fleetTiming && switchResult.crash_after_s !== null
      ? { ...placeCrashTiming(fleetTiming, switchResult.crash_after_s), fleet_crashes: fleetTiming.overall.crashed }
      : null;

  const checklist: ChecklistItem[] = [];
  const hbVerdict: Verdict = { alive: 'ok', aging: 'warn', dead: 'bad', never: 'bad' }[status.heartbeat_state] as Verdict;
  checklist.push(
    item(
      'heartbeat',
      hbVerdict,
      status.last_heartbeat === null
        ? `No DB heartbeat ever (status ${status.status}).`
        : `Last DB heartbeat ${formatDuration(status.heartbeat_age_s)} before as-of: ${status.heartbeat_state} (status ${status.status}).`,
    ),
  );
  checklist.push(
    item(
      'logs',
      logSummary.total === 0 ? 'warn' : 'info',
      `${logSummary.total} line(s): ${Object.entries(logSummary.by_level)
        .map(([level, n]) => `${n} ${level}`)
        .join(', ') || 'none'}; by source ${Object.entries(logSummary.by_source_type)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'none'}.`,
    ),
  );
  const last = logSummary.last_worker_log;
  const silenceBeforeDeath = classification.figures['silence_before_death_s'];
  checklist.push(
    item(
      'last_log',
      last === null ? 'warn' : status.heartbeat_state === 'alive' && (logSummary.silence_s ?? 0) < THRESHOLDS.vlmHangSilenceS ? 'ok' : 'warn',
      last === null
        ? 'The worker never wrote a line of its own.'
        : `"${last.message}" at ${last.timestamp}; silent for ${formatDuration(logSummary.silence_s)} before as-of` +
            (typeof silenceBeforeDeath === 'number' ? `, ${formatDuration(silenceBeforeDeath)} before its last DB heartbeat` : '') +
            (logSummary.orchestrator_lines_after_last_worker_log > 0
              ? `; ${logSummary.orchestrator_lines_after_last_worker_log} orchestrator line(s) about it came later`
              : '') +
            '.',
    ),
  );
  checklist.push(
    item(
      'model_switch',
      'info',
      switchResult.switch_at === null
        ? 'No MODEL SWITCH logged.'
        : `${switchResult.switches_total} switch(es); last at ${switchResult.switch_at}: "${switchResult.switch_message}".`,
    ),
  );
  checklist.push(
    item(
      'switch_to_crash',
      switchResult.crash_after_s === null ? (switchResult.crashed ? 'warn' : 'ok') : switchResult.in_oom_window ? 'bad' : switchResult.in_model_load_window ? 'warn' : 'info',
      switchResult.crash_after_s === null
        ? switchResult.switch_at === null
          ? 'No switch to time.'
          : 'Not dead: no crash to time.'
        : `Died ${formatDuration(switchResult.crash_after_s)} after the switch (to the last DB heartbeat)` +
            (switchResult.in_oom_window
              ? ': inside the 1.5–5 min OOM window.'
              : switchResult.in_model_load_window
                ? ': within 10 min, outside the 1.5–5 min OOM window.'
                : ': long after the switch.'),
    ),
  );
  checklist.push(
    item(
      'heartbeat_gaps',
      gaps.gaps.length > 0 ? 'warn' : 'ok',
      `${gaps.logged_heartbeats} logged heartbeat(s); ${gaps.gaps.length} gap(s) over ${gaps.threshold_s} s` +
        (gaps.gaps.length > 0 ? `, longest ${formatDuration(Math.max(...gaps.gaps.map((g) => g.gap_s)))}` : '') +
        (gaps.db_after_last_logged_s !== null ? `; the DB heartbeat went on ${formatDuration(gaps.db_after_last_logged_s)} after the last logged one` : '') +
        '.',
    ),
  );
  checklist.push(
    item(
      'errors',
      workerErrors > 0 ? 'bad' : errors.length > 0 ? 'warn' : 'ok',
      errors.length === 0
        ? 'No ERROR or CRITICAL line.'
        : `${errors.length} ERROR/CRITICAL line(s), ${workerErrors} from the worker; last: "${errors[errors.length - 1]!.message}".`,
    ),
  );
  checklist.push(
    item(
      'tasks',
      orphans.length > 0 ? 'bad' : taskSummary.by_status.Failed > 0 ? 'warn' : 'ok',
      `${taskSummary.total} task(s): ${Object.entries(taskSummary.by_status)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ') || 'none'}` + (orphans.length > 0 ? `; ${orphans.length} orphaned (In Progress on a dead worker).` : '.'),
    ),
  );
  checklist.push(
    item(
      'memory_profile',
      profile.memory_profile === null ? 'warn' : 'info',
      profile.memory_profile === null ? 'No memory-profile line logged.' : `Memory profile ${profile.memory_profile} ("${profile.line}").`,
    ),
  );
  checklist.push(
    item(
      'crash_timing',
      'info',
      placement === null
        ? fleetTiming === null
          ? 'Fleet crash timings not loaded.'
          : 'This worker has no switch-to-death time to compare.'
        : `${formatDuration(placement.crash_after_s)} after the switch: at the ${Math.round(placement.percentile * 100)}th percentile of ${placement.n} model-load crash(es) in the fleet (median ${formatDuration(placement.median_s)}).`,
    ),
  );

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
    checklist,
    verdict: { pattern: classification.pattern, title: classification.title, summary: classification.summary, evidence: classification.evidence },
  };
}

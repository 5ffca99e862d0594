/**
 * §5 Common crash patterns, judged by software. Each worker gets exactly one pattern, with the
 * criteria behind it (met or not), the figures and the evidence lines. Rules, from the guide with
 * the schema page's corrections:
 *
 * - not_started: no DB heartbeat ever.
 * - init_failure (pattern 2): dead; its only heartbeat within THRESHOLDS.initFailureWindowS of
 *   creation; the worker logged nothing but at most one heartbeat line; never claimed a task.
 * - oom_model_load (pattern 1): dead; a MODEL SWITCH logged; one or two logged heartbeats after it,
 *   the last 5–90 s after it; death (last DB heartbeat) 1.5–5 min after it; no ERROR/CRITICAL line
 *   after it; a task left In Progress. A dead worker that misses one of these is `unexplained`,
 *   with the criteria it met listed as near misses.
 * - vlm_loading_hang (pattern 3): "Before VLM loading" followed by 5 min or more without a worker
 *   line, whether or not the DB heartbeat goes on.
 * - unexplained: dead with none of the above.
 * - no_crash: alive, aging, or terminated cleanly.
 * Order of precedence: the list above, top to bottom.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { Worker } from '../rows/schemas.js';
import type { WorkerCase } from './cases.js';
import { errorCode } from '../rows/worker-metadata.js';
import { formatDuration } from '../present/format.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { deathOf, type Death } from './death.js';
import { crashAfterSwitchS } from './death.js';
import { iso, type IsoInstant } from './format.js';
import type { HeartbeatState } from './heartbeat.js';
import type { EvidenceLine, VlmHang, WorkerSignals } from '../rows/signals.js';
import { MARKERS, containsMarker } from '../config/markers.js';

export const CRASH_PATTERNS = ['oom_model_load', 'init_failure', 'vlm_loading_hang', 'unexplained', 'not_started', 'no_crash'] as const;
export type CrashPattern = (typeof CRASH_PATTERNS)[number];

export const CRASH_PATTERN_TITLES: Readonly<Record<CrashPattern, string>> = {
  oom_model_load: 'OOM during model loading (§5 pattern 1)',
  init_failure: 'Initialization failure (§5 pattern 2)',
  vlm_loading_hang: 'VLM loading hang (§5 pattern 3)',
  unexplained: 'Dead, no known pattern',
  not_started: 'Never sent a heartbeat',
  no_crash: 'No crash',
};

export interface Criterion {
  name: string;
  met: boolean;
  /** Required for the pattern (false: supporting evidence only). */
  required: boolean;
  detail: string;
}

export interface Evidence {
  timestamp: IsoInstant | null;
  /** Where it was read: a log line (`system_logs:<source_type>`), or `workers`/`tasks`. */
  source: string;
  level: string | null;
  message: string;
}

export interface Classification {
  id: string;
  pattern: CrashPattern;
  title: string;
  status: string;
  heartbeat_state: HeartbeatState;
  heartbeat_age_s: number | null;
  died_at: IsoInstant | null;
  crash_after_switch_s: number | null;
  /** The criteria of the chosen pattern (and of near misses for dead workers). */
  criteria: Criterion[];
  figures: Record<string, number | string | null>;
  evidence: Evidence[];
  summary: string;
}

function lineEvidence(line: EvidenceLine, label?: string): Evidence {
  return {
    timestamp: iso(line.timestamp),
    source: `system_logs:${line.source_type}`,
    level: line.log_level,
    message: label ? `${label}: ${line.message}` : line.message,
  };
}

function fmtS(s: number | null): string {
  return s === null ? 'n/a' : formatDuration(s);
}

export interface VlmSilence extends VlmHang {
  /** No worker line followed: the silence runs to the last DB heartbeat. */
  open_ended: boolean;
}

/**
 * The longest silence after "Before VLM loading": to the next worker line (signals.vlm_hang), or,
 * when the line is the worker's last, to the last instant the worker is known to have existed, its
 * last DB heartbeat (near as-of while the guardian still beats; its death otherwise) — a worker that
 * died a minute after the line did not hang. Ties: the earlier line.
 */
export function longestVlmSilence(signals: Pick<WorkerSignals, 'vlm_hang' | 'last_worker_log'>, worker: Pick<Worker, 'last_heartbeat'>, asOf: Instant): VlmSilence | null {
  const closed: VlmSilence | null = signals.vlm_hang ? { ...signals.vlm_hang, open_ended: false } : null;
  const last = signals.last_worker_log;
  if (!last || !containsMarker(last.message, MARKERS.vlmLoading)) return closed;
  const end = worker.last_heartbeat === null ? asOf : Math.min(asOf, worker.last_heartbeat);
  const open: VlmSilence = { line: last, silence_s: Math.max(0, secondsBetween(last.timestamp, end)), open_ended: true };
  return closed && closed.silence_s >= open.silence_s ? closed : open;
}

interface PatternCheck {
  pattern: CrashPattern;
  criteria: Criterion[];
}

function matches(check: PatternCheck): boolean {
  return check.criteria.every((c) => !c.required || c.met);
}

function initFailureCheck(c: WorkerCase, death: Death, lifetimeS: number): PatternCheck {
  const s = c.signals;
  return {
    pattern: 'init_failure',
    criteria: [
      { name: 'dead', met: death.dead, required: true, detail: `death: ${death.reason ?? 'no'}` },
      {
        name: 'single early heartbeat',
        met: lifetimeS <= THRESHOLDS.initFailureWindowS,
        required: true,
        detail: `last heartbeat ${fmtS(lifetimeS)} after creation (≤ ${THRESHOLDS.initFailureWindowS} s)`,
      },
      {
        name: 'nothing else logged',
        met: s.worker_non_heartbeat_count === 0 && s.logged_heartbeat_count <= 1,
        required: true,
        detail: `${s.worker_log_count} worker line(s), ${s.logged_heartbeat_count} of them heartbeats`,
      },
      { name: 'never claimed a task', met: c.tasks.length === 0, required: true, detail: `${c.tasks.length} task(s)` },
    ],
  };
}

function oomCheck(c: WorkerCase, death: Death, crashAfterS: number | null): PatternCheck {
  const s = c.signals;
  const after = s.after_switch;
  const window = THRESHOLDS.oomCrashWindowS;
  const hbWindow = THRESHOLDS.oomHeartbeatsAfterSwitchS;
  const inProgress = c.tasks.filter((t) => t.status === 'In Progress').length;
  const heartbeatsAfter = after?.logged_heartbeats ?? 0;
  return {
    pattern: 'oom_model_load',
    criteria: [
      { name: 'dead', met: death.dead, required: true, detail: `death: ${death.reason ?? 'no'}` },
      {
        name: 'MODEL SWITCH logged',
        met: s.last_model_switch !== null,
        required: true,
        detail: s.last_model_switch ? `at ${iso(s.last_model_switch.timestamp)}` : 'none',
      },
      {
        name: 'death 1.5–5 min after the switch',
        met: crashAfterS !== null && crashAfterS >= window.min && crashAfterS <= window.max,
        required: true,
        detail: `switch → last DB heartbeat ${fmtS(crashAfterS)} (window ${window.min}–${window.max} s)`,
      },
      {
        name: 'no error logged after the switch',
        met: after !== null && after.errors === 0,
        required: true,
        detail: `${after?.errors ?? 0} ERROR/CRITICAL line(s) after the switch`,
      },
      {
        name: 'one or two heartbeats after the switch',
        met:
          heartbeatsAfter >= 1 &&
          heartbeatsAfter <= THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch &&
          after?.last_heartbeat_after_s !== null &&
          (after?.last_heartbeat_after_s ?? 0) >= hbWindow.min &&
          (after?.last_heartbeat_after_s ?? 0) <= hbWindow.max,
        required: true,
        detail: `${heartbeatsAfter} logged heartbeat(s) after, the last ${fmtS(after?.last_heartbeat_after_s ?? null)} after the switch`,
      },
      { name: 'task left In Progress', met: inProgress > 0, required: true, detail: `${inProgress} task(s) In Progress` },
    ],
  };
}

function vlmCheck(hang: VlmSilence | null): PatternCheck {
  const silence = hang?.silence_s ?? null;
  return {
    pattern: 'vlm_loading_hang',
    criteria: [
      { name: '"Before VLM loading" logged', met: hang !== null, required: true, detail: hang ? `at ${iso(hang.line.timestamp)}` : 'none' },
      {
        name: 'silence of 5 min or more after it',
        met: silence !== null && silence >= THRESHOLDS.vlmHangSilenceS,
        required: true,
        detail: hang
          ? `${fmtS(silence)} without a worker line${hang.open_ended ? ' (none followed; counted to the last DB heartbeat)' : ''}`
          : 'n/a',
      },
    ],
  };
}

export function classifyWorker(c: WorkerCase, asOf: Instant): Classification {
  const { worker, signals } = c;
  const death = deathOf(worker, c.tasks, asOf);
  const lifetimeS = worker.last_heartbeat === null ? null : secondsBetween(worker.created_at, worker.last_heartbeat);
  const crashAfterS = crashAfterSwitchS(c, asOf);

  const evidence: Evidence[] = [
    { timestamp: iso(worker.created_at), source: 'workers', level: null, message: `created (status now ${worker.status})` },
  ];
  if (worker.last_heartbeat !== null) {
    evidence.push({
      timestamp: iso(worker.last_heartbeat),
      source: 'workers',
      level: null,
      message: `last DB heartbeat (${death.heartbeat_state}, ${fmtS(death.heartbeat_age_s)} before as-of)`,
    });
  }
  if (signals.last_model_switch) evidence.push(lineEvidence(signals.last_model_switch, 'last MODEL SWITCH'));
  // A VLM line is evidence only when a hang followed it; otherwise it is ordinary start-up noise.
  const vlmHang = longestVlmSilence(signals, worker, asOf);
  const vlmSilence = vlmHang?.silence_s ?? null;
  if (vlmHang && vlmHang.silence_s >= THRESHOLDS.vlmHangSilenceS) {
    evidence.push(lineEvidence(vlmHang.line, `then ${fmtS(vlmHang.silence_s)} of silence`));
  }
  if (signals.last_error) evidence.push(lineEvidence(signals.last_error, 'last error'));
  if (signals.last_worker_log) evidence.push(lineEvidence(signals.last_worker_log, 'last worker line'));
  const code = errorCode(worker);
  if (code) evidence.push({ timestamp: null, source: 'workers', level: null, message: `metadata.error_code = ${code}` });
  for (const t of c.tasks.filter((t) => t.status === 'In Progress')) {
    evidence.push({ timestamp: iso(t.generation_started_at ?? t.created_at), source: 'tasks', level: null, message: `${t.task_type} ${t.id} still In Progress` });
  }
  evidence.sort((a, b) => (a.timestamp ?? '\uffff').localeCompare(b.timestamp ?? '\uffff'));

  const figures: Classification['figures'] = {
    heartbeat_age_s: death.heartbeat_age_s,
    lifetime_s: lifetimeS,
    worker_log_lines: signals.worker_log_count,
    logged_heartbeats_after_switch: signals.after_switch?.logged_heartbeats ?? null,
    silence_after_vlm_s: vlmSilence,
    silence_before_death_s:
      death.dead && worker.last_heartbeat !== null && signals.last_worker_log
        ? secondsBetween(signals.last_worker_log.timestamp, worker.last_heartbeat)
        : null,
    tasks_in_progress: c.tasks.filter((t) => t.status === 'In Progress').length,
  };

  const result = (pattern: CrashPattern, criteria: Criterion[], summary: string): Classification => ({
    id: worker.id,
    pattern,
    title: CRASH_PATTERN_TITLES[pattern],
    status: worker.status,
    heartbeat_state: death.heartbeat_state,
    heartbeat_age_s: death.heartbeat_age_s,
    died_at: iso(death.died_at),
    crash_after_switch_s: crashAfterS,
    criteria,
    figures,
    evidence,
    summary,
  });

  if (worker.last_heartbeat === null || lifetimeS === null) {
    return result('not_started', [], `No heartbeat ever (status ${worker.status}): the worker process never reported in.`);
  }
  const init = initFailureCheck(c, death, lifetimeS);
  if (matches(init)) {
    return result('init_failure', init.criteria, `One heartbeat ${fmtS(lifetimeS)} after creation, then nothing: it crashed before logging was set up.`);
  }
  const oom = oomCheck(c, death, crashAfterS);
  if (matches(oom)) {
    return result(
      'oom_model_load',
      oom.criteria,
      `Died ${fmtS(crashAfterS)} after MODEL SWITCH with no error logged: out of memory while loading the model.`,
    );
  }
  const vlm = vlmCheck(vlmHang);
  if (matches(vlm)) {
    const hang = vlmHang!;
    return result(
      'vlm_loading_hang',
      vlm.criteria,
      `Silent for ${fmtS(vlmSilence)} after "Before VLM loading"${death.dead ? ', then died' : hang.open_ended ? ', still silent' : ''}: VLM loading hung.`,
    );
  }
  if (death.dead) {
    // Show how close the known patterns came: a near miss is the most useful lead.
    const nearMisses = [oom, vlm, init].flatMap((check) =>
      check.criteria.filter((c) => c.required).map((c) => ({ ...c, name: `${check.pattern}: ${c.name}`, required: false })),
    );
    return result('unexplained', nearMisses, `Dead (${death.reason}) but no known crash pattern fits; read the evidence lines.`);
  }
  const summary = death.terminated_cleanly
    ? 'Terminated cleanly.'
    : `Heartbeat ${death.heartbeat_state} (${fmtS(death.heartbeat_age_s)} old).`;
  return result('no_crash', [], summary);
}

export function classifyWorkers(cases: readonly WorkerCase[], asOf: Instant): Classification[] {
  return cases.map((c) => classifyWorker(c, asOf));
}

export function countByPattern(classifications: readonly Classification[]): Record<CrashPattern, number> {
  const counts = Object.fromEntries(CRASH_PATTERNS.map((p) => [p, 0])) as Record<CrashPattern, number>;
  for (const c of classifications) counts[c.pattern]++;
  return counts;
}

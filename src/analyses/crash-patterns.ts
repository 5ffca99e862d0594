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
import { secondsBetween, type Instant } from '../rows/time.js';
import { crashAfterSwitchS, deathOf, type Death, type DeathReason } from './death.js';
import type { HeartbeatState } from './heartbeat.js';
import type { EvidenceLine, VlmHang, WorkerSignals } from '../rows/signals.js';
import { MARKERS, containsMarker } from '../config/markers.js';

export const CRASH_PATTERNS = ['oom_model_load', 'init_failure', 'vlm_loading_hang', 'unexplained', 'not_started', 'no_crash'] as const;
export type CrashPattern = (typeof CRASH_PATTERNS)[number];

/** Patterns that are deaths worth a postmortem (not `no_crash`, not `not_started`). */
export const DEATH_PATTERNS: ReadonlySet<CrashPattern> = new Set(['oom_model_load', 'init_failure', 'vlm_loading_hang', 'unexplained']);

/** What each criterion checks; present/crash-patterns.ts words them from their facts. */
export type CriterionKey =
  | 'dead'
  | 'single_early_heartbeat'
  | 'nothing_else_logged'
  | 'never_claimed_task'
  | 'model_switch_logged'
  | 'death_in_oom_window'
  | 'no_error_after_switch'
  | 'heartbeats_after_switch'
  | 'task_left_in_progress'
  | 'vlm_line_logged'
  | 'vlm_silence';

export type Facts = Readonly<Record<string, number | string | boolean | null>>;

export interface Criterion {
  /** The pattern whose criterion it is (a near miss names another pattern than the verdict's). */
  pattern: CrashPattern;
  key: CriterionKey;
  met: boolean;
  /** Required for the pattern (false: supporting evidence only). */
  required: boolean;
  /** The figures the criterion was judged on (instants under `*_at` keys). */
  facts: Facts;
}

export type EvidenceKind =
  | 'created'
  | 'last_db_heartbeat'
  | 'model_switch'
  | 'vlm_silence'
  | 'last_error'
  | 'last_worker_line'
  | 'error_code'
  | 'task_in_progress';

export interface Evidence {
  timestamp: Instant | null;
  /** Where it was read: a log line (`system_logs:<source_type>`), or `workers`/`tasks`. */
  source: string;
  level: string | null;
  kind: EvidenceKind;
  /** The log line, or the value read (status, error code, task type and id). */
  text: string;
  facts: Facts;
}

export type SummaryKind = CrashPattern | 'terminated_cleanly';

export interface Classification {
  id: string;
  pattern: CrashPattern;
  status: string;
  heartbeat_state: HeartbeatState;
  heartbeat_age_s: number | null;
  died_at: Instant | null;
  death_reason: DeathReason | null;
  crash_after_switch_s: number | null;
  /** The criteria of the chosen pattern (and of near misses for dead workers). */
  criteria: Criterion[];
  figures: Record<string, number | string | null>;
  evidence: Evidence[];
  /** What the one-line summary says, with its figures (worded by present/crash-patterns.ts). */
  summary_facts: Facts;
}

function lineEvidence(line: EvidenceLine, kind: EvidenceKind, facts: Facts = {}): Evidence {
  return { timestamp: line.timestamp, source: `system_logs:${line.source_type}`, level: line.log_level, kind, text: line.message, facts };
}

/** Evidence in time order; undated evidence (e.g. metadata) last; ties keep their order. */
function compareEvidence(a: Evidence, b: Evidence): number {
  if (a.timestamp === b.timestamp) return 0;
  if (a.timestamp === null) return 1;
  if (b.timestamp === null) return -1;
  return a.timestamp - b.timestamp;
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

function criterion(pattern: CrashPattern, key: CriterionKey, met: boolean, facts: Facts, required = true): Criterion {
  return { pattern, key, met, required, facts };
}

function initFailureCheck(c: WorkerCase, death: Death, lifetimeS: number): PatternCheck {
  const s = c.signals;
  const pattern = 'init_failure';
  return {
    pattern,
    criteria: [
      criterion(pattern, 'dead', death.dead, { death_reason: death.reason }),
      criterion(pattern, 'single_early_heartbeat', lifetimeS <= THRESHOLDS.initFailureWindowS, { lifetime_s: lifetimeS, limit_s: THRESHOLDS.initFailureWindowS }),
      criterion(pattern, 'nothing_else_logged', s.worker_non_heartbeat_count === 0 && s.logged_heartbeat_count <= 1, {
        worker_lines: s.worker_log_count,
        logged_heartbeats: s.logged_heartbeat_count,
      }),
      criterion(pattern, 'never_claimed_task', c.tasks.length === 0, { tasks: c.tasks.length }),
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
  const lastHeartbeatAfterS = after?.last_heartbeat_after_s ?? null;
  const pattern = 'oom_model_load';
  return {
    pattern,
    criteria: [
      criterion(pattern, 'dead', death.dead, { death_reason: death.reason }),
      criterion(pattern, 'model_switch_logged', s.last_model_switch !== null, { switch_at: s.last_model_switch?.timestamp ?? null }),
      criterion(pattern, 'death_in_oom_window', crashAfterS !== null && crashAfterS >= window.min && crashAfterS <= window.max, {
        crash_after_switch_s: crashAfterS,
        window_min_s: window.min,
        window_max_s: window.max,
      }),
      criterion(pattern, 'no_error_after_switch', after !== null && after.errors === 0, { errors_after_switch: after?.errors ?? 0 }),
      criterion(
        pattern,
        'heartbeats_after_switch',
        heartbeatsAfter >= 1 &&
          heartbeatsAfter <= THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch &&
          lastHeartbeatAfterS !== null &&
          lastHeartbeatAfterS >= hbWindow.min &&
          lastHeartbeatAfterS <= hbWindow.max,
        { logged_heartbeats_after_switch: heartbeatsAfter, last_heartbeat_after_switch_s: lastHeartbeatAfterS },
      ),
      criterion(pattern, 'task_left_in_progress', inProgress > 0, { tasks_in_progress: inProgress }),
    ],
  };
}

function vlmCheck(hang: VlmSilence | null): PatternCheck {
  const silence = hang?.silence_s ?? null;
  const pattern = 'vlm_loading_hang';
  return {
    pattern,
    criteria: [
      criterion(pattern, 'vlm_line_logged', hang !== null, { vlm_line_at: hang?.line.timestamp ?? null }),
      criterion(pattern, 'vlm_silence', silence !== null && silence >= THRESHOLDS.vlmHangSilenceS, {
        silence_s: silence,
        open_ended: hang?.open_ended ?? null,
        limit_s: THRESHOLDS.vlmHangSilenceS,
      }),
    ],
  };
}

export function classifyWorker(c: WorkerCase, asOf: Instant): Classification {
  const { worker, signals } = c;
  const death = deathOf(worker, c.tasks, asOf);
  const lifetimeS = worker.last_heartbeat === null ? null : secondsBetween(worker.created_at, worker.last_heartbeat);
  const crashAfterS = crashAfterSwitchS(c, asOf);

  const evidence: Evidence[] = [
    { timestamp: worker.created_at, source: 'workers', level: null, kind: 'created', text: worker.status, facts: { status: worker.status } },
  ];
  if (worker.last_heartbeat !== null) {
    evidence.push({
      timestamp: worker.last_heartbeat,
      source: 'workers',
      level: null,
      kind: 'last_db_heartbeat',
      text: death.heartbeat_state,
      facts: { heartbeat_state: death.heartbeat_state, heartbeat_age_s: death.heartbeat_age_s },
    });
  }
  if (signals.last_model_switch) evidence.push(lineEvidence(signals.last_model_switch, 'model_switch'));
  // A VLM line is evidence only when a hang followed it; otherwise it is ordinary start-up noise.
  const vlmHang = longestVlmSilence(signals, worker, asOf);
  const vlmSilence = vlmHang?.silence_s ?? null;
  if (vlmHang && vlmHang.silence_s >= THRESHOLDS.vlmHangSilenceS) {
    evidence.push(lineEvidence(vlmHang.line, 'vlm_silence', { silence_s: vlmHang.silence_s }));
  }
  if (signals.last_error) evidence.push(lineEvidence(signals.last_error, 'last_error'));
  if (signals.last_worker_log) evidence.push(lineEvidence(signals.last_worker_log, 'last_worker_line'));
  const code = errorCode(worker);
  if (code) evidence.push({ timestamp: null, source: 'workers', level: null, kind: 'error_code', text: code, facts: { error_code: code } });
  for (const t of c.tasks.filter((t) => t.status === 'In Progress')) {
    evidence.push({
      timestamp: t.generation_started_at ?? t.created_at,
      source: 'tasks',
      level: null,
      kind: 'task_in_progress',
      text: `${t.task_type} ${t.id}`,
      facts: { task_type: t.task_type, task_id: t.id },
    });
  }
  evidence.sort(compareEvidence);

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

  const result = (pattern: CrashPattern, criteria: Criterion[], summaryFacts: Facts): Classification => ({
    id: worker.id,
    pattern,
    status: worker.status,
    heartbeat_state: death.heartbeat_state,
    heartbeat_age_s: death.heartbeat_age_s,
    died_at: death.died_at,
    death_reason: death.reason,
    crash_after_switch_s: crashAfterS,
    criteria,
    figures,
    evidence,
    summary_facts: summaryFacts,
  });

  if (worker.last_heartbeat === null || lifetimeS === null) return result('not_started', [], { status: worker.status });
  const init = initFailureCheck(c, death, lifetimeS);
  if (matches(init)) return result('init_failure', init.criteria, { lifetime_s: lifetimeS });
  const oom = oomCheck(c, death, crashAfterS);
  if (matches(oom)) return result('oom_model_load', oom.criteria, { crash_after_switch_s: crashAfterS });
  const vlm = vlmCheck(vlmHang);
  if (matches(vlm)) {
    return result('vlm_loading_hang', vlm.criteria, { silence_s: vlmSilence, dead: death.dead, open_ended: vlmHang!.open_ended });
  }
  if (death.dead) {
    // Show how close the known patterns came: a near miss is the most useful lead.
    const nearMisses = [oom, vlm, init].flatMap((check) => check.criteria.filter((k) => k.required).map((k) => ({ ...k, required: false })));
    return result('unexplained', nearMisses, { death_reason: death.reason });
  }
  return result('no_crash', [], {
    terminated_cleanly: death.terminated_cleanly,
    heartbeat_state: death.heartbeat_state,
    heartbeat_age_s: death.heartbeat_age_s,
  });
}

export function classifyWorkers(cases: readonly WorkerCase[], asOf: Instant): Classification[] {
  return cases.map((c) => classifyWorker(c, asOf));
}

export function countByPattern(classifications: readonly Pick<Classification, 'pattern'>[]): Record<CrashPattern, number> {
  const counts = Object.fromEntries(CRASH_PATTERNS.map((p) => [p, 0])) as Record<CrashPattern, number>;
  for (const c of classifications) counts[c.pattern]++;
  return counts;
}

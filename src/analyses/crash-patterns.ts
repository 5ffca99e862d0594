/**
 * §5 Common crash patterns, judged by software the way an engineer reads the rows. Each pattern has
 * required criteria (what makes the diagnosis) and corroborating ones (what usually goes with it).
 * A criterion is met, unmet, or undecided (`met: null`) when the rows cannot tell — typically because
 * the worker never wrote a line of the kind the criterion reads (its version does not log it). An
 * undecided criterion never rules a pattern out, nor speaks for it. A pattern matches when no required
 * criterion is unmet and at least one required criterion beyond being dead is met; its confidence is
 * `strong` when every criterion is met, `likely` when every required one is and some corroborating
 * one is not, `weak` when a required one is undecided. (With today's criteria `weak` cannot occur:
 * the only required criteria that can be undecided are those timed from a switch the version does
 * not log, and they are undecided together, leaving only death to speak for the pattern: no match.)
 *
 * - not_started: no DB heartbeat ever.
 * - init_failure (pattern 2), required: dead; the last DB heartbeat within the orchestrator's
 *   start-up grace of creation; never claimed a task; never left the start-up phase (no ready line,
 *   task claim or heartbeat loop). Corroborating: `metadata.startup_phase` not `ready`; no line at
 *   all; the last heartbeat within the guide's 10 s.
 * - oom_model_load (pattern 1), required: dead; a switch logged (undecided when the worker's version
 *   logs only finished loads); death (last DB heartbeat) 1.5–5 min after it; no ERROR/CRITICAL line
 *   after it; no line saying the load finished; no task finished after it. Corroborating: one or two
 *   logged heartbeats 5–90 s after it (undecided when the worker logs no heartbeat lines); a task left
 *   In Progress; system memory high in the last `[RAM]` sample before it (undecided without samples).
 * - vlm_loading_hang (pattern 3), required: "Before VLM loading" logged; then 5 min or more without an
 *   own line other than heartbeat lines, dead or alive. Corroborating: a task held.
 * - stalled (a "zombie": its heartbeat process outlives its main loop), required: DB heartbeat alive
 *   or aging and the status not ended; an In Progress task; no own line other than heartbeat lines for
 *   10 min or more (since that line or the task's claim, whichever is later). Corroborating: heartbeat
 *   lines still logged during the silence (undecided when the worker logs none). A VLM hang whose
 *   silence is the current one takes precedence.
 * Among matching patterns the most confident wins, then the order above.
 * - no_crash: alive and none of the above; or ended with evidence of a clean end (a shutdown line,
 *   `self_terminated`, `termination_reason`), or a quiet end: terminated with no orchestrator error
 *   recorded and no task left In Progress, and no crash signature.
 * - unexplained: ended, and neither a pattern nor a clean end; the near misses are listed.
 * The orchestrator's own verdict (metadata error fields, its MARKING AS ERROR line, the start-up log
 * tail it shipped) is evidence, timed against the death: a kill after the heartbeat stopped is the
 * aftermath, not the cause.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import type { MarkerFamily } from '../config/markers.js';
import { parseRam, type RamSample } from './memory-profile.js';
import { taskFinishedAt, type Task, type Worker } from '../rows/schemas.js';
import type { EvidenceLine, WorkerSignals } from '../rows/signals.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import { diagnostics, errorCode, errorReason, errorTime, startupPhase } from '../rows/worker-metadata.js';
import type { Vocabulary } from '../config/vocabulary.js';
import type { WorkerCase } from './cases.js';
import { coverageOf, type Coverage } from './coverage.js';
import { crashAfterSwitchS, deathOf, type CleanEnd, type Death, type EndReason } from './death.js';
import { heartbeatStateOf, type HeartbeatState } from './heartbeat.js';

export const CRASH_PATTERNS = ['oom_model_load', 'init_failure', 'vlm_loading_hang', 'stalled', 'unexplained', 'not_started', 'no_crash'] as const;
export type CrashPattern = (typeof CRASH_PATTERNS)[number];

/** Patterns that are deaths worth a postmortem (not `no_crash`, `not_started` or `stalled`, which is alive). */
export const DEATH_PATTERNS: ReadonlySet<CrashPattern> = new Set(['oom_model_load', 'init_failure', 'vlm_loading_hang', 'unexplained']);

/** The patterns with criteria, in their order of precedence. */
const PATTERN_ORDER = ['init_failure', 'oom_model_load', 'vlm_loading_hang', 'stalled'] as const;
type CriteriaPattern = (typeof PATTERN_ORDER)[number];

export type Confidence = 'strong' | 'likely' | 'weak';
const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = { strong: 0, likely: 1, weak: 2 };

/** The marker families the classification reads: its coverage. */
export const CLASSIFIER_FAMILIES: readonly MarkerFamily[] = [
  'model_switch',
  'model_loaded',
  'heartbeat',
  'vlm_loading',
  'ram',
  'ready',
  'task_claim',
  'shutdown',
  'orchestrator_error',
  'log_tail',
];

/** What each criterion checks; present/crash-patterns.ts words them from their facts. */
export type CriterionKey =
  | 'dead'
  | 'short_life'
  | 'never_claimed_task'
  | 'never_left_startup'
  | 'startup_phase_not_ready'
  | 'no_line_at_all'
  | 'single_early_heartbeat'
  | 'model_switch_logged'
  | 'death_in_oom_window'
  | 'no_error_after_switch'
  | 'load_not_finished'
  | 'no_task_finished_after_switch'
  | 'heartbeats_after_switch'
  | 'task_left_in_progress'
  | 'memory_high_before_switch'
  | 'vlm_line_logged'
  | 'vlm_silence'
  | 'task_held'
  | 'heartbeat_fresh'
  | 'task_in_progress'
  | 'silent_main_loop'
  | 'heartbeat_lines_continue';

export type Facts = Readonly<Record<string, number | string | boolean | null>>;

export interface Criterion {
  /** The pattern whose criterion it is (a near miss names another pattern than the verdict's). */
  pattern: CrashPattern;
  key: CriterionKey;
  /** Met, unmet, or undecided (null): the rows cannot tell. */
  met: boolean | null;
  /** Required for the pattern (false: corroborating). */
  required: boolean;
  /** The figures the criterion was judged on (instants under `*_at` keys). */
  facts: Facts;
}

export type EvidenceKind =
  | 'created'
  | 'last_db_heartbeat'
  | 'model_switch'
  | 'model_loaded'
  | 'ram_before_switch'
  | 'vlm_silence'
  | 'last_error'
  | 'last_worker_line'
  | 'last_spoken_line'
  | 'shutdown'
  | 'clean_end'
  | 'orchestrator_kill'
  | 'orchestrator_verdict'
  | 'log_tail'
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

/** The orchestrator's verdict on the worker, and when it came against the death. */
export interface OrchestratorVerdict {
  error_code: string | null;
  error_reason: string | null;
  /** The first MARKING AS ERROR line, else `metadata.error_time`. */
  killed_at: Instant | null;
  /** From the last DB heartbeat to the kill: over the dead band, the kill came after the death (aftermath). */
  kill_after_heartbeat_s: number | null;
  /** Killed while its heartbeat was still alive or aging: the kill ended it. */
  while_alive: boolean | null;
  diagnostics: Record<string, unknown> | null;
}

export interface Classification {
  id: string;
  pattern: CrashPattern;
  /** How sure the verdict is (null for `unexplained`: no pattern to be sure of). */
  confidence: Confidence | null;
  status: string;
  heartbeat_state: HeartbeatState;
  heartbeat_age_s: number | null;
  died_at: Instant | null;
  end_reason: EndReason | null;
  clean_end: (CleanEnd | { by: 'quiet_end'; at: null; text: string }) | null;
  crash_after_switch_s: number | null;
  /** The criteria of the chosen pattern (and of near misses for dead workers). */
  criteria: Criterion[];
  figures: Record<string, number | string | null>;
  evidence: Evidence[];
  orchestrator: OrchestratorVerdict | null;
  /** Lines of each marker family the worker wrote: zero means the rows cannot show that kind of event. */
  coverage: Coverage;
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

export interface VlmSilence {
  line: EvidenceLine;
  silence_s: number;
  /** No own line (but heartbeats) followed: the silence runs to the last DB heartbeat. */
  open_ended: boolean;
}

/**
 * The longest silence after "Before VLM loading": to the next own line other than a heartbeat line
 * (signals.vlm_hang), or, when none followed (signals.vlm_open), to the last instant the worker is
 * known to have existed, its last DB heartbeat (near as-of while the guardian still beats; its
 * death otherwise) — a worker that died a minute after the line did not hang. Ties: the earlier line.
 */
export function longestVlmSilence(signals: Pick<WorkerSignals, 'vlm_hang' | 'vlm_open'>, worker: Pick<Worker, 'last_heartbeat'>, asOf: Instant): VlmSilence | null {
  const closed: VlmSilence | null = signals.vlm_hang ? { ...signals.vlm_hang, open_ended: false } : null;
  const last = signals.vlm_open;
  if (!last) return closed;
  const end = worker.last_heartbeat === null ? asOf : Math.min(asOf, worker.last_heartbeat);
  const open: VlmSilence = { line: last, silence_s: Math.max(0, secondsBetween(last.timestamp, end)), open_ended: true };
  return closed && closed.silence_s >= open.silence_s ? closed : open;
}

interface PatternCheck {
  pattern: CriteriaPattern;
  criteria: Criterion[];
}

/**
 * A pattern matches when no required criterion is unmet and at least one required criterion beyond
 * being dead is met: undecided criteria never rule a pattern out, but a pattern nothing speaks for
 * (say, a switch the worker's version cannot log) is no match, only a near miss.
 */
function matches(check: PatternCheck): boolean {
  const required = check.criteria.filter((c) => c.required);
  return required.every((c) => c.met !== false) && required.some((c) => c.key !== 'dead' && c.met === true);
}

export function confidenceOf(criteria: readonly Pick<Criterion, 'met' | 'required'>[]): Confidence {
  if (criteria.some((c) => c.required && c.met === null)) return 'weak';
  return criteria.every((c) => c.met === true) ? 'strong' : 'likely';
}

function criterion(pattern: CrashPattern, key: CriterionKey, met: boolean | null, facts: Facts, required = true): Criterion {
  return { pattern, key, met, required, facts };
}

/** The instant a task was claimed: when its generation started, else its creation. */
const claimedAt = (t: Pick<Task, 'generation_started_at' | 'created_at'>) => t.generation_started_at ?? t.created_at;

/** A task's end when it finished its work (Complete or Failed; a cancelled task did not). */
function finishedAt(t: Task): Instant | null {
  return t.status === 'Cancelled' ? null : taskFinishedAt(t);
}

interface Context {
  c: WorkerCase;
  death: Death;
  lifetimeS: number | null;
  crashAfterS: number | null;
  vlm: VlmSilence | null;
  inProgress: Task[];
  ramBeforeSwitch: RamSample | null;
}

function initFailureCheck({ c, death, lifetimeS }: Context): PatternCheck {
  const s = c.signals;
  const pattern = 'init_failure';
  const claims = c.tasks.length + s.family_counts.task_claim;
  const phase = startupPhase(c.worker);
  return {
    pattern,
    criteria: [
      criterion(pattern, 'dead', death.dead, { end_reason: death.reason, clean_end: death.clean_end?.by ?? null }),
      criterion(pattern, 'short_life', lifetimeS !== null && lifetimeS <= THRESHOLDS.initFailureMaxLifetimeS, {
        lifetime_s: lifetimeS,
        limit_s: THRESHOLDS.initFailureMaxLifetimeS,
      }),
      criterion(pattern, 'never_claimed_task', claims === 0, { tasks: c.tasks.length, claim_lines: s.family_counts.task_claim }),
      criterion(pattern, 'never_left_startup', s.startup_end === null, {
        startup_ended_at: s.startup_end?.at ?? null,
        startup_ended_by: s.startup_end?.by ?? null,
        worker_lines: s.worker_log_count,
      }),
      criterion(pattern, 'startup_phase_not_ready', phase === null ? null : phase !== 'ready', { startup_phase: phase }, false),
      criterion(pattern, 'no_line_at_all', s.worker_log_count === 0, { worker_lines: s.worker_log_count }, false),
      criterion(pattern, 'single_early_heartbeat', lifetimeS !== null && lifetimeS <= THRESHOLDS.initFailureWindowS, {
        lifetime_s: lifetimeS,
        limit_s: THRESHOLDS.initFailureWindowS,
      }, false),
    ],
  };
}

function oomCheck({ c, death, crashAfterS, inProgress, ramBeforeSwitch }: Context): PatternCheck {
  const s = c.signals;
  const after = s.after_switch;
  const sw = s.last_model_switch;
  const window = THRESHOLDS.oomCrashWindowS;
  const hbWindow = THRESHOLDS.oomHeartbeatsAfterSwitchS;
  const pattern = 'oom_model_load';
  // A version that logs only finished loads cannot show a switch that never finished.
  const switchLogged = sw !== null ? true : s.family_counts.model_loaded > 0 ? null : false;
  /** A criterion read after the switch: undecided or unmet with the switch itself. */
  const afterSwitch = (met: () => boolean) => (sw === null ? (switchLogged === null ? null : false) : met());
  const finishedAfter = sw === null ? [] : c.tasks.filter((t) => (finishedAt(t) ?? -Infinity) > sw.timestamp);
  const heartbeatsAfter = after?.logged_heartbeats ?? 0;
  const lastHeartbeatAfterS = after?.last_heartbeat_after_s ?? null;
  return {
    pattern,
    criteria: [
      criterion(pattern, 'dead', death.dead, { end_reason: death.reason, clean_end: death.clean_end?.by ?? null }),
      criterion(pattern, 'model_switch_logged', switchLogged, { switch_at: sw?.timestamp ?? null, loads_logged: s.family_counts.model_loaded }),
      criterion(pattern, 'death_in_oom_window', afterSwitch(() => crashAfterS !== null && crashAfterS >= window.min && crashAfterS <= window.max), {
        crash_after_switch_s: crashAfterS,
        window_min_s: window.min,
        window_max_s: window.max,
      }),
      criterion(pattern, 'no_error_after_switch', afterSwitch(() => after!.errors === 0), { errors_after_switch: after?.errors ?? null }),
      criterion(pattern, 'load_not_finished', afterSwitch(() => after!.model_loaded === null), { load_finished_at: after?.model_loaded?.timestamp ?? null }),
      criterion(pattern, 'no_task_finished_after_switch', afterSwitch(() => finishedAfter.length === 0), { tasks_finished_after_switch: finishedAfter.length }),
      criterion(
        pattern,
        'heartbeats_after_switch',
        s.family_counts.heartbeat === 0
          ? null
          : afterSwitch(
              () =>
                heartbeatsAfter >= 1 &&
                heartbeatsAfter <= THRESHOLDS.oomMaxLoggedHeartbeatsAfterSwitch &&
                lastHeartbeatAfterS !== null &&
                lastHeartbeatAfterS >= hbWindow.min &&
                lastHeartbeatAfterS <= hbWindow.max,
            ),
        { logged_heartbeats_after_switch: after ? heartbeatsAfter : null, last_heartbeat_after_switch_s: lastHeartbeatAfterS, heartbeat_lines: s.family_counts.heartbeat },
        false,
      ),
      criterion(pattern, 'task_left_in_progress', inProgress.length > 0, { tasks_in_progress: inProgress.length }, false),
      criterion(
        pattern,
        'memory_high_before_switch',
        ramBeforeSwitch?.system_used_pct == null ? null : ramBeforeSwitch.system_used_pct >= THRESHOLDS.ramHighUsedPct,
        { system_used_pct: ramBeforeSwitch?.system_used_pct ?? null, limit_pct: THRESHOLDS.ramHighUsedPct, ram_lines: s.family_counts.ram },
        false,
      ),
    ],
  };
}

function vlmCheck({ vlm, inProgress }: Context): PatternCheck {
  const silence = vlm?.silence_s ?? null;
  const pattern = 'vlm_loading_hang';
  return {
    pattern,
    criteria: [
      criterion(pattern, 'vlm_line_logged', vlm !== null, { vlm_line_at: vlm?.line.timestamp ?? null }),
      criterion(pattern, 'vlm_silence', silence !== null && silence >= THRESHOLDS.vlmHangSilenceS, {
        silence_s: silence,
        open_ended: vlm?.open_ended ?? null,
        limit_s: THRESHOLDS.vlmHangSilenceS,
      }),
      criterion(pattern, 'task_held', inProgress.length > 0, { tasks_in_progress: inProgress.length }, false),
    ],
  };
}

/** The stalled worker's silence: since its last own line other than a heartbeat line, or its task's claim if later. */
function stallSilence(c: WorkerCase, inProgress: readonly Task[], asOf: Instant): { since: Instant | null; silence_s: number | null } {
  const spoken = c.signals.last_non_heartbeat_log?.timestamp ?? null;
  const claim = inProgress.length ? Math.max(...inProgress.map(claimedAt)) : null;
  const since = spoken === null ? claim : claim === null ? spoken : Math.max(spoken, claim);
  return { since, silence_s: since === null ? null : secondsBetween(since, asOf) };
}

function stalledCheck({ c, death, inProgress }: Context, asOf: Instant): PatternCheck {
  const s = c.signals;
  const pattern = 'stalled';
  const { since, silence_s } = stallSilence(c, inProgress, asOf);
  // Heartbeat lines after the silence began: the heartbeat process lives on while the main loop is quiet.
  const beatingLines = s.family_counts.heartbeat === 0 ? null : since !== null && s.last_heartbeat_log !== null && s.last_heartbeat_log.timestamp > since;
  return {
    pattern,
    criteria: [
      criterion(pattern, 'heartbeat_fresh', death.reason === null && (death.heartbeat_state === 'alive' || death.heartbeat_state === 'aging'), {
        heartbeat_state: death.heartbeat_state,
        heartbeat_age_s: death.heartbeat_age_s,
      }),
      criterion(pattern, 'task_in_progress', inProgress.length > 0, { tasks_in_progress: inProgress.length }),
      criterion(pattern, 'silent_main_loop', silence_s !== null && silence_s >= THRESHOLDS.stalledSilenceS, {
        silent_since_at: since,
        silence_s,
        limit_s: THRESHOLDS.stalledSilenceS,
      }),
      criterion(pattern, 'heartbeat_lines_continue', beatingLines, { heartbeat_lines: s.family_counts.heartbeat, last_heartbeat_line_at: s.last_heartbeat_log?.timestamp ?? null }, false),
    ],
  };
}

function orchestratorVerdict(worker: Worker, signals: WorkerSignals): OrchestratorVerdict | null {
  const code = errorCode(worker);
  const reason = errorReason(worker);
  const line = signals.orchestrator_kill;
  const killedAt = line?.timestamp ?? errorTime(worker);
  if (code === null && reason === null && line === null && killedAt === null) return null;
  const afterS = killedAt === null || worker.last_heartbeat === null ? null : secondsBetween(worker.last_heartbeat, killedAt);
  return {
    error_code: code,
    error_reason: reason,
    killed_at: killedAt,
    kill_after_heartbeat_s: afterS,
    // Alive or aging at the kill: the heartbeat's own bands, read at the kill's instant.
    while_alive: afterS === null ? null : heartbeatStateOf(afterS) !== 'dead',
    diagnostics: diagnostics(worker),
  };
}

export function classifyWorker(c: WorkerCase, asOf: Instant, vocabulary: Vocabulary): Classification {
  const { worker, signals } = c;
  const death = deathOf(worker, signals, asOf);
  const lifetimeS = worker.last_heartbeat === null ? null : secondsBetween(worker.created_at, worker.last_heartbeat);
  const crashAfterS = crashAfterSwitchS(c, asOf);
  const inProgress = c.tasks.filter((t) => t.status === 'In Progress');
  const vlm = longestVlmSilence(signals, worker, asOf);
  const ramBeforeSwitch = signals.ram_before_switch ? parseRam(signals.ram_before_switch, vocabulary) : null;
  const orchestrator = orchestratorVerdict(worker, signals);
  const ctx: Context = { c, death, lifetimeS, crashAfterS, vlm, inProgress, ramBeforeSwitch };

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
  if (signals.after_switch?.model_loaded) evidence.push(lineEvidence(signals.after_switch.model_loaded, 'model_loaded'));
  if (signals.ram_before_switch && ramBeforeSwitch) {
    evidence.push(lineEvidence(signals.ram_before_switch, 'ram_before_switch', { system_used_pct: ramBeforeSwitch.system_used_pct }));
  }
  // A VLM line is evidence only when a hang followed it; otherwise it is ordinary start-up noise.
  if (vlm && vlm.silence_s >= THRESHOLDS.vlmHangSilenceS) evidence.push(lineEvidence(vlm.line, 'vlm_silence', { silence_s: vlm.silence_s }));
  if (signals.last_error) evidence.push(lineEvidence(signals.last_error, 'last_error'));
  if (signals.last_worker_log) evidence.push(lineEvidence(signals.last_worker_log, 'last_worker_line'));
  // When heartbeat lines came after it, the worker's last line of substance says more than its last
  // line (unless it is already quoted as the switch, the VLM line or the error).
  const spoken = signals.last_non_heartbeat_log;
  const quoted = new Set([signals.last_worker_log, signals.last_model_switch, signals.last_error, vlm?.line].map((l) => l?.id));
  if (spoken && !quoted.has(spoken.id)) evidence.push(lineEvidence(spoken, 'last_spoken_line'));
  if (signals.last_shutdown_log) evidence.push(lineEvidence(signals.last_shutdown_log, 'shutdown'));
  else if (death.clean_end) evidence.push({ timestamp: null, source: 'workers', level: null, kind: 'clean_end', text: death.clean_end.text, facts: { by: death.clean_end.by } });
  for (const line of signals.log_tail) evidence.push(lineEvidence(line, 'log_tail'));
  if (signals.orchestrator_kill && orchestrator) {
    evidence.push(
      lineEvidence(signals.orchestrator_kill, 'orchestrator_kill', { kill_after_heartbeat_s: orchestrator.kill_after_heartbeat_s, while_alive: orchestrator.while_alive }),
    );
  }
  if (orchestrator && (orchestrator.error_code !== null || orchestrator.error_reason !== null)) {
    evidence.push({
      timestamp: signals.orchestrator_kill ? null : orchestrator.killed_at,
      source: 'workers',
      level: null,
      kind: 'orchestrator_verdict',
      text: [orchestrator.error_code, orchestrator.error_reason].filter((v) => v !== null).join(': '),
      facts: {
        error_code: orchestrator.error_code,
        error_reason: orchestrator.error_reason,
        kill_after_heartbeat_s: signals.orchestrator_kill ? null : orchestrator.kill_after_heartbeat_s,
        while_alive: signals.orchestrator_kill ? null : orchestrator.while_alive,
      },
    });
  }
  for (const t of inProgress) {
    evidence.push({
      timestamp: claimedAt(t),
      source: 'tasks',
      level: null,
      kind: 'task_in_progress',
      text: `${t.task_type} ${t.id}`,
      facts: { task_type: t.task_type, task_id: t.id },
    });
  }
  evidence.sort(compareEvidence);

  const stall = stallSilence(c, inProgress, asOf);
  const figures: Classification['figures'] = {
    heartbeat_age_s: death.heartbeat_age_s,
    lifetime_s: lifetimeS,
    worker_log_lines: signals.worker_log_count,
    logged_heartbeats_after_switch: signals.after_switch?.logged_heartbeats ?? null,
    silence_after_vlm_s: vlm?.silence_s ?? null,
    silence_before_death_s:
      death.dead && worker.last_heartbeat !== null && signals.last_worker_log
        ? secondsBetween(signals.last_worker_log.timestamp, worker.last_heartbeat)
        : null,
    main_loop_silence_s: stall.silence_s,
    tasks_in_progress: inProgress.length,
    system_used_pct_before_switch: ramBeforeSwitch?.system_used_pct ?? null,
  };

  const result = (pattern: CrashPattern, confidence: Confidence | null, criteria: Criterion[], summaryFacts: Facts, cleanEnd: Classification['clean_end'] = death.clean_end): Classification => ({
    id: worker.id,
    pattern,
    confidence,
    status: worker.status,
    heartbeat_state: death.heartbeat_state,
    heartbeat_age_s: death.heartbeat_age_s,
    died_at: death.died_at,
    end_reason: death.reason,
    clean_end: cleanEnd,
    crash_after_switch_s: crashAfterS,
    criteria,
    figures,
    evidence,
    orchestrator,
    coverage: coverageOf(CLASSIFIER_FAMILIES, signals.family_counts),
    summary_facts: summaryFacts,
  });

  if (worker.last_heartbeat === null || lifetimeS === null) return result('not_started', 'strong', [], { status: worker.status });

  const checks: Record<CriteriaPattern, PatternCheck> = {
    init_failure: initFailureCheck(ctx),
    oom_model_load: oomCheck(ctx),
    vlm_loading_hang: vlmCheck(ctx),
    stalled: stalledCheck(ctx, asOf),
  };
  let candidates = PATTERN_ORDER.filter((p) => matches(checks[p]));
  // The current silence decides between a VLM hang and a stall: a hang that ended is history.
  if (candidates.includes('stalled') && candidates.includes('vlm_loading_hang')) {
    candidates = candidates.filter((p) => p !== (vlm?.open_ended ? 'stalled' : 'vlm_loading_hang'));
  }
  const ranked = candidates
    .map((pattern) => ({ pattern, confidence: confidenceOf(checks[pattern].criteria) }))
    .sort((a, b) => CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence] || PATTERN_ORDER.indexOf(a.pattern) - PATTERN_ORDER.indexOf(b.pattern));
  const best = ranked[0];
  if (best) {
    const criteria = checks[best.pattern].criteria;
    switch (best.pattern) {
      case 'init_failure':
        return result('init_failure', best.confidence, criteria, { lifetime_s: lifetimeS, worker_lines: signals.worker_log_count });
      case 'oom_model_load':
        return result('oom_model_load', best.confidence, criteria, { crash_after_switch_s: crashAfterS });
      case 'vlm_loading_hang':
        return result('vlm_loading_hang', best.confidence, criteria, { silence_s: vlm?.silence_s ?? null, dead: death.dead, open_ended: vlm?.open_ended ?? null });
      case 'stalled':
        return result('stalled', best.confidence, criteria, { silence_s: stall.silence_s, tasks_in_progress: inProgress.length });
    }
  }
  if (death.reason === null) {
    return result('no_crash', 'strong', [], { ended: false, heartbeat_state: death.heartbeat_state, heartbeat_age_s: death.heartbeat_age_s });
  }
  if (death.clean_end) return result('no_crash', 'strong', [], { ended: true, clean_end: death.clean_end.by });
  // A quiet end: terminated by the orchestrator with nothing recorded against it and nothing left behind.
  if (death.reason === 'status_terminated' && orchestrator === null && inProgress.length === 0) {
    return result('no_crash', 'likely', [], { ended: true, clean_end: 'quiet_end' }, { by: 'quiet_end', at: null, text: 'terminated with no error recorded and no task left In Progress' });
  }
  // Show how close the known patterns came (their required criteria): a near miss is the most useful lead.
  const nearMisses = [checks.oom_model_load, checks.vlm_loading_hang, checks.init_failure, checks.stalled].flatMap((check) =>
    check.criteria.filter((k) => k.required),
  );
  return result('unexplained', null, nearMisses, {
    end_reason: death.reason,
    killed_while_alive: orchestrator?.while_alive ?? null,
    error_code: orchestrator?.error_code ?? null,
  });
}

export function classifyWorkers(cases: readonly WorkerCase[], asOf: Instant, vocabulary: Vocabulary): Classification[] {
  return cases.map((c) => classifyWorker(c, asOf, vocabulary));
}

export function countByPattern(classifications: readonly Pick<Classification, 'pattern'>[]): Record<CrashPattern, number> {
  const counts = Object.fromEntries(CRASH_PATTERNS.map((p) => [p, 0])) as Record<CrashPattern, number>;
  for (const c of classifications) counts[c.pattern]++;
  return counts;
}

/** A live worker whose task will not finish: stalled, or hung loading a VLM while its heartbeat goes on. */
export interface StalledWorker {
  worker_id: string;
  pattern: 'stalled' | 'vlm_loading_hang';
  confidence: Confidence | null;
  /** Since its last own line other than a heartbeat line (or its task's claim, if later). */
  silence_s: number | null;
  task_ids: string[];
}

/** Of live workers holding tasks, those whose main loop has stopped (classified stalled or hung on a VLM, not dead). */
export function stalledWorkers(cases: readonly WorkerCase[], asOf: Instant, vocabulary: Vocabulary): StalledWorker[] {
  return classifyWorkers(cases, asOf, vocabulary)
    .filter((c) => c.end_reason === null && (c.pattern === 'stalled' || c.pattern === 'vlm_loading_hang'))
    .map((c) => ({
      worker_id: c.id,
      pattern: c.pattern as StalledWorker['pattern'],
      confidence: c.confidence,
      silence_s: c.pattern === 'stalled' ? (c.figures['main_loop_silence_s'] as number | null) : (c.figures['silence_after_vlm_s'] as number | null),
      task_ids: cases.find((k) => k.worker.id === c.id)!.tasks.filter((t) => t.status === 'In Progress').map((t) => t.id),
    }));
}

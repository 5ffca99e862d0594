/**
 * Every threshold of the debugging guide, in one place, in seconds.
 * Each names the guide section it comes from; the schema page wins where the two differ.
 */
export const THRESHOLDS = {
  /** §1, §7: a DB heartbeat younger than this is "alive" (✅). */
  heartbeatAliveS: 60,
  /** §1, §7, §9, §11, §13: younger than this is "aging" (⚠️); at or over it the worker is dead (❌). */
  heartbeatDeadS: 5 * 60,
  /** §4A: a gap between logged `[HEARTBEAT]` lines longer than this is reported. */
  loggedHeartbeatGapS: 40,
  /** §4A, §16: the guardian process updates `workers.last_heartbeat` about this often. */
  dbHeartbeatCadenceS: 20,
  /** §5 pattern 1, §16: OOM during model loading kills the worker this long after MODEL SWITCH. */
  oomCrashWindowS: { min: 1.5 * 60, max: 5 * 60 },
  /** §5 pattern 1: the one or two heartbeats logged after MODEL SWITCH come within this. */
  oomHeartbeatsAfterSwitchS: { min: 5, max: 90 },
  /** §5 pattern 1: "one or two heartbeats after" the switch. */
  oomMaxLoggedHeartbeatsAfterSwitch: 2,
  /** §12: a death within this long after MODEL SWITCH counts as a crash during model loading. */
  modelLoadCrashWindowS: 10 * 60,
  /** §5 pattern 2: the single heartbeat of an initialisation failure comes within this of creation (the guide's "within first 10 seconds"; corroborating). */
  initFailureWindowS: 10,
  /**
   * §5 pattern 2, as real fleets show it: a worker that dies during start-up may first spend minutes
   * installing dependencies. Its last DB heartbeat comes within the orchestrator's start-up grace of
   * its creation (schema page: "startup grace 1200 s"), after which the orchestrator gives up on it.
   */
  initFailureMaxLifetimeS: 1200,
  /** A "zombie" worker: DB heartbeat fresh, a task In Progress, and no own line but heartbeats for this long. */
  stalledSilenceS: 10 * 60,
  /** §5 pattern 3: silence after "Before VLM loading" that makes a hang. */
  vlmHangSilenceS: 5 * 60,
  /** Schema page: the orchestrator itself marks a worker `error` only past this heartbeat age. */
  orchestratorStaleHeartbeatS: 600,
  /** `[RAM]` samples: system memory used at or over this percentage is "high" (a switch begun there is at risk). */
  ramHighUsedPct: 90,
  /** Issue 11, `health`: the default window, over which tasks finished (Complete or Failed, by `updated_at`) are counted. */
  healthWindowS: 30 * 60,
  /** Issue 11, `health`: WARNING when the failure rate among finished tasks is over this. */
  healthWarningFailureRate: 0.5,
  /** Issue 11, `health`: BLOCKED when the failure rate is over this, with at least `healthBlockedMinFinished` tasks finished. */
  healthBlockedFailureRate: 0.8,
  healthBlockedMinFinished: 5,
  /**
   * Issue 11, `why-killed`: a kill is suspicious when the idle or stale age its reason claims is over
   * this many times the age observed in the rows (the upstream debug tool's rule).
   */
  whyKilledSuspiciousFactor: 1.5,
} as const;

/** Default look-back windows, in hours, as the guide's snippets use them. */
export const DEFAULT_WINDOW_HOURS = {
  /** §8 "workers created in the last N hours". */
  recent: 6,
  /** §13 report. */
  report: 6,
  /** §12 crash-pattern search, classifier and crash timing over the fleet. */
  crashes: 24,
  /** Issue 11, `errors`: failed tasks and ERROR/CRITICAL lines of the last N hours, grouped into templates. */
  errors: 24,
} as const;

/** §10: the fleet-wide failed-task list shows this many of the newest by default. */
export const DEFAULT_FAILED_TASK_LIMIT = 50;

/** §6: the quick check shows this many of the newest log lines. */
export const QUICK_CHECK_LOG_LINES = 5;

/** Issue 11 `timeline`: the terminal table shows this many of the newest events by default (--json holds them all). */
export const DEFAULT_TIMELINE_EVENTS = 100;

/**
 * The log vocabularies the checks read. Each marker family is a list of regular expressions (see
 * portable-regex.ts for the syntax every engine agrees on), matched with ASCII letters in either
 * case. Worker versions word the same event differently (orchestrator-schema.md, "How real fleets
 * drift"), so a family lists every wording seen upstream plus the guide's own; named groups read
 * values (`from`/`to` for a switch, `profile`, the `[RAM]` fields). A markers file (vocabulary.ts)
 * may replace any family.
 *
 * Families of the worker's own lines (`source_type = 'worker'`) and of the orchestrator's lines about
 * a worker are kept apart: the orchestrator writes under the same `worker_id`.
 */

/** The `source_type` of lines a worker wrote itself (schema page, system_logs). */
export const WORKER_SOURCE_TYPE = 'worker';

/** Log levels, least to most severe (schema page). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Levels that make a line an "error message" for §15 and the crash patterns. */
export const ERROR_LEVELS: ReadonlySet<string> = new Set(['ERROR', 'CRITICAL']);

export const MARKER_FAMILIES = [
  'model_switch',
  'model_loaded',
  'heartbeat',
  'vlm_loading',
  'memory_profile',
  'ram',
  'startup',
  'ready',
  'task_claim',
  'shutdown',
  'orchestrator_error',
  'log_tail',
] as const;
export type MarkerFamily = (typeof MARKER_FAMILIES)[number];

/** Whose lines a family reads: the worker's own, or the orchestrator's about the worker. */
export const FAMILY_WRITER: Readonly<Record<MarkerFamily, 'worker' | 'orchestrator'>> = {
  model_switch: 'worker',
  model_loaded: 'worker',
  heartbeat: 'worker',
  vlm_loading: 'worker',
  memory_profile: 'worker',
  ram: 'worker',
  startup: 'worker',
  ready: 'worker',
  task_claim: 'worker',
  shutdown: 'worker',
  orchestrator_error: 'orchestrator',
  log_tail: 'orchestrator',
};

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const ARROW = String.raw`\s*(?:->|→|=>)\s*`;

/**
 * The built-in vocabulary: every wording of the schema page's drift table and of the guide.
 * Matching ignores the case of ASCII letters.
 */
export const BUILT_IN_MARKERS: Readonly<Record<MarkerFamily, readonly string[]>> = {
  model_switch: [
    // The guide's `🔄 MODEL SWITCH: a -> b`, nothing after the target (the helper's finished line
    // `Model switch: a → b (12.3s)` reads the same words, case aside, and ends in a duration).
    String.raw`MODEL SWITCH:\s*(?<from>[^\s(]+)${ARROW}(?<to>[^\s(]+)\s*$`,
    String.raw`MODEL SWITCH:\s*Switching from (?<from>\S+) to (?<to>\S+)`,
    String.raw`MODEL SWITCH:\s*Offloading previous model (?<from>\S+) before loading (?<to>\S+)`,
    String.raw`MODEL SWITCH:.*switching from \(current: (?<from>[^)]*)\) to (?<to>\S+)`,
    String.raw`🔄\s*MODEL SWITCH`,
  ],
  model_loaded: [
    String.raw`Model switch completed in (?<seconds>${NUMBER})\s*s`,
    String.raw`switched model:\s*(?<from>\S+)${ARROW}(?<to>\S+)`,
    String.raw`^Model switch:\s*(?<from>\S+)${ARROW}(?<to>\S+)\s*\((?<seconds>${NUMBER})\s*s\)`,
    String.raw`^Model loaded:\s*(?<to>\S+)`,
  ],
  heartbeat: [String.raw`\[HEARTBEAT\]`],
  vlm_loading: [String.raw`Before VLM loading`],
  memory_profile: [
    String.raw`Memory Profile\s*[#:=]?\s*(?<profile>\d+)`,
    String.raw`wgp[-_ ]profile\s*[=: ]\s*(?<profile>\d+)`,
    String.raw`Memory Profile`,
  ],
  ram: [
    String.raw`\[RAM\]\s*(?<label>[^:]*):\s*Process=(?<process_mb>${NUMBER})\s*MB.*System=(?<system_used_pct>${NUMBER})%\s*used,\s*(?<available_gb>${NUMBER})\s*GB\s*/\s*(?<total_gb>${NUMBER})\s*GB available`,
  ],
  startup: [
    String.raw`🚀.*\bstart(?:ing|ed)\b`,
    String.raw`\bWorker \S+ start(?:ing|ed)\b`,
    String.raw`startup_phase\s*[=:]\s*(?<phase>deps_installing|deps_verified|worker_starting)`,
    String.raw`\b(?:Installing|installed|verified) dependencies\b|\bDependencies (?:installed|verified)\b`,
    String.raw`\bGPU detected\b`,
  ],
  ready: [String.raw`startup_phase\s*[=:]\s*ready`, String.raw`\bWorker (?:\S+ )?(?:is )?ready\b`, String.raw`\bready to (?:claim|accept|process)\b`],
  task_claim: [String.raw`\bClaimed task (?<task>[0-9a-f-]{8,})`, String.raw`\[CLAIM\]`],
  shutdown: [
    String.raw`\bshutting down\b`,
    String.raw`\bshutdown (?:requested|complete|signal)`,
    String.raw`\bdrain(?:ing)? requested\b`,
    String.raw`\bgraceful(?:ly)? (?:shutdown|exit)`,
    String.raw`\bself[-_ ]terminat`,
  ],
  orchestrator_error: [String.raw`MARKING AS ERROR(?::\s*(?<reason>.*))?`, String.raw`Marking worker \S+ as error(?::\s*(?<reason>.*))?`],
  log_tail: [String.raw`\[WORKER_LOG_TAIL\]`],
};

/**
 * The orchestrator's traces on a task and the ages its kill reasons claim (issue 11), as regular
 * expressions with named groups; the analyses never hold their wording.
 *
 * - Task traces: the orchestrator repairs orphaned work and leaves only a text in
 *   `tasks.error_message` (schema page): `Requeued: worker crashed (attempt N)`, `Reset - no
 *   activity for N minutes (stale task)`, `Auto-failed: stuck in progress for >24 hours`,
 *   `Auto-failed: dependency task failed`. The same words (and a worker's own `returned to the
 *   queue`) may come in log lines carrying the task's id. Each expression reads `attempt`,
 *   `minutes` or `reason` where the text has them.
 * - Claimed ages: the idle time or heartbeat age a kill reason (`metadata.error_reason`, the
 *   MARKING AS ERROR line) says the worker had. `value` and `unit` read the figure; the kind says
 *   what it measures: `idle` (no task worked on) or `stale_heartbeat` (no heartbeat).
 *
 * All are matched ignoring case.
 */

export const TASK_TRACE_KINDS = ['requeued', 'reset', 'auto_failed'] as const;
export type TaskTraceKind = (typeof TASK_TRACE_KINDS)[number];

export const TASK_TRACES: Readonly<Record<TaskTraceKind, readonly string[]>> = {
  requeued: [
    String.raw`\bRequeued:\s*(?<reason>[^(]*?)\s*(?:\(attempt\s*(?<attempt>\d+)\))?\s*$`,
    String.raw`\brequeued\b(?:.*?\battempts?\s*[=:#]?\s*(?<attempt>\d+))?`,
    String.raw`\breturned to the queue\b(?:.*?\battempts?\s*[=:]\s*(?<attempt>\d+))?`,
  ],
  reset: [String.raw`\bReset\s*[-–:]\s*(?<reason>no activity for (?<minutes>\d+(?:\.\d+)?) minutes?.*)$`, String.raw`\bReset\s*[-–:]\s*(?<reason>.*)$`],
  auto_failed: [String.raw`\bAuto-failed:\s*(?<reason>.*)$`],
};

export const CLAIMED_AGE_KINDS = ['idle', 'stale_heartbeat'] as const;
export type ClaimedAgeKind = (typeof CLAIMED_AGE_KINDS)[number];

const UNIT = String.raw`(?<unit>s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)\b`;
const VALUE = String.raw`(?<value>\d+(?:\.\d+)?)\s*`;

/** Expressions reading the age a kill reason claims, by what the age measures; the first match wins, idle first. */
export const CLAIMED_AGES: Readonly<Record<ClaimedAgeKind, readonly string[]>> = {
  idle: [String.raw`\bidle\b[^0-9]{0,20}?${VALUE}${UNIT}`, String.raw`\bnot claiming\b[^0-9]{0,30}?${VALUE}${UNIT}`, String.raw`${VALUE}${UNIT}\s*(?:idle|without (?:claiming|a task))`],
  stale_heartbeat: [
    String.raw`\bno heartbeat\b[^0-9]{0,20}?${VALUE}${UNIT}`,
    String.raw`\bheartbeat\b[^0-9]{0,20}?\bstale\b[^0-9]{0,20}?${VALUE}${UNIT}`,
    String.raw`\bstale heartbeat\b[^0-9]{0,20}?${VALUE}${UNIT}`,
  ],
};

/** Seconds per unit of a claimed age, by the unit's first letter. */
export const AGE_UNIT_SECONDS: Readonly<Record<'s' | 'm' | 'h', number>> = { s: 1, m: 60, h: 3600 };

/** An orchestrator error code quoted in a kill line (`GPU_READY_NOT_CLAIMING`, `[STALE_HEARTBEAT_ACTIVE_TASK]`): capitals joined by `_`, case kept. */
export const ERROR_CODE_IN_TEXT = String.raw`\b(?<code>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b`;

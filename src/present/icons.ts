/** The marks that go with verdicts and heartbeat bands in the terminal (emoji: terminals have the font). */
import type { FleetState } from '../analyses/fleet-report.js';
import type { HealthVerdict } from '../analyses/fleet-health.js';
import type { HeartbeatState } from '../analyses/heartbeat.js';
import type { Verdict } from '../analyses/investigation.js';

export const VERDICT_ICONS: Readonly<Record<Verdict, string>> = { ok: '✅', warn: '⚠️', bad: '❌', info: 'ℹ️' };

export const HEARTBEAT_STATE_ICONS: Readonly<Record<HeartbeatState, string>> = {
  alive: '✅',
  aging: '⚠️',
  dead: '❌',
  never: '❓',
};

/** §13's worker states: the heartbeat bands of live workers (stale is the dead band), then the two end states. */
export const FLEET_STATE_ICONS: Readonly<Record<FleetState, string>> = {
  alive: HEARTBEAT_STATE_ICONS.alive,
  aging: HEARTBEAT_STATE_ICONS.aging,
  stale: HEARTBEAT_STATE_ICONS.dead,
  never: HEARTBEAT_STATE_ICONS.never,
  terminated: '🔴',
  error: '💥',
};

/*
 * HTML and notebook views do not use the emoji above: a browser without an emoji font (headless
 * Chromium on Debian, many servers) draws them as empty boxes. They show a badge instead: a word on
 * a coloured box drawn by CSS, readable with any font, and the same word for a screen reader.
 */

/** The word on a verdict's badge. */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = { ok: 'ok', warn: 'warning', bad: 'dead', info: 'info' };

/** Badge colours: dark enough for white text (WCAG AA contrast at the badge's size and weight). */
export const BADGE_COLORS = {
  ok: '#1a7f37',
  warn: '#9a6700',
  bad: '#c62828',
  info: '#0b61c4',
  neutral: '#57606a',
} as const;

export const VERDICT_BADGE_COLORS: Readonly<Record<Verdict, string>> = { ok: BADGE_COLORS.ok, warn: BADGE_COLORS.warn, bad: BADGE_COLORS.bad, info: BADGE_COLORS.info };

/** A heartbeat band's badge: its own name, in its verdict's colour. */
export const HEARTBEAT_STATE_BADGE_COLORS: Readonly<Record<HeartbeatState, string>> = {
  alive: BADGE_COLORS.ok,
  aging: BADGE_COLORS.warn,
  dead: BADGE_COLORS.bad,
  never: BADGE_COLORS.neutral,
};

/** A classification criterion's badge: met, unmet (required or corroborating) or undecided. */
export function criterionBadge(met: boolean | null, required: boolean): { label: string; color: string } {
  if (met === null) return { label: 'undecided', color: BADGE_COLORS.neutral };
  if (met) return { label: 'met', color: BADGE_COLORS.ok };
  return required ? { label: 'not met', color: BADGE_COLORS.bad } : { label: 'not met', color: BADGE_COLORS.warn };
}

/** Issue 11 `health`: the fleet verdict's marks. */
export const HEALTH_VERDICT_ICONS: Readonly<Record<HealthVerdict, string>> = { OK: '✅', WARNING: '⚠️', BLOCKED: '❌', IDLE: '💤' };

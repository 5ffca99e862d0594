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

/** Issue 11 `health`: the fleet verdict's marks. */
export const HEALTH_VERDICT_ICONS: Readonly<Record<HealthVerdict, string>> = { OK: '✅', WARNING: '⚠️', BLOCKED: '❌', IDLE: '💤' };

/** The marks that go with verdicts and heartbeat bands in the terminal (emoji: terminals have the font). */
import type { HeartbeatState } from '../analyses/heartbeat.js';
import type { Verdict } from '../analyses/investigation.js';

export const VERDICT_ICONS: Readonly<Record<Verdict, string>> = { ok: '✅', warn: '⚠️', bad: '❌', info: 'ℹ️' };

export const HEARTBEAT_STATE_ICONS: Readonly<Record<HeartbeatState, string>> = {
  alive: '✅',
  aging: '⚠️',
  dead: '❌',
  never: '❓',
};

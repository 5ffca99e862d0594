/**
 * Results as labelled fields, the words shared by the terminal (src/cli/text.ts) and the notebooks
 * (src/notebook/views.ts), so a status reads the same in both.
 */
import type { WordedCriterion, WordedEvidence } from './crash-patterns.js';
import type { HeartbeatCadence } from '../analyses/heartbeat-cadence.js';
import { HEARTBEAT_STATE_ICONS } from './icons.js';
import type { WorkerStatus } from '../analyses/worker-status.js';
import { cut, formatDuration, instantText } from './format.js';

export type Field = [label: string, value: string | number | null];

/** The label of the status field that carries the heartbeat band (HTML views show it as a badge). */
export const HEARTBEAT_BAND_FIELD = 'Heartbeat band';

export function statusFields(s: WorkerStatus): Field[] {
  return [
    ['Worker', s.id],
    ['Status', s.status],
    ['Created', instantText(s.created_at)],
    ['Last DB heartbeat', s.last_heartbeat === null ? 'never' : `${instantText(s.last_heartbeat)} (${formatDuration(s.heartbeat_age_s)} before as-of)`],
    [HEARTBEAT_BAND_FIELD, `${HEARTBEAT_STATE_ICONS[s.heartbeat_state]} ${s.heartbeat_state}`],
    ['Lifetime', formatDuration(s.lifetime_s)],
    ['RAM tier', s.ram_tier === null ? 'unknown' : `${s.ram_tier} GB`],
    ['GPU', s.gpu_type ?? 'unknown'],
    ['Startup phase', s.startup_phase],
    ['VRAM', s.vram_used_mb === null ? null : `${s.vram_used_mb} / ${s.vram_total_mb ?? '?'} MB`],
    ['Orchestrator error', s.error_code ? `${s.error_code}${s.error_reason ? `: ${s.error_reason}` : ''}` : null],
    ['Metadata', s.has_metadata ? 'present' : 'NULL'],
  ];
}

export function cadenceFields(c: HeartbeatCadence): Field[] {
  return [
    ['Worker', c.worker_id],
    ['DB heartbeat cadence', formatDuration(c.db_cadence_s)],
    ['Lifetime (creation → last DB heartbeat)', formatDuration(c.lifetime_s)],
    ['≈ DB heartbeats sent', c.expected_db_heartbeats],
    ['Logged heartbeat lines', c.logged_heartbeats],
    ['Logged lines per DB heartbeat', c.logged_per_db_heartbeat === null ? null : c.logged_per_db_heartbeat.toFixed(2)],
    ['Median interval between logged lines', formatDuration(c.median_logged_interval_s)],
    ['DB heartbeat after the last logged one', formatDuration(c.db_after_last_logged_s)],
  ];
}

/** A classification criterion: ✅ met, ❌ required and unmet, ⚠️ corroborating and unmet, ❔ undecided. */
export function criterionText(k: WordedCriterion): string {
  const icon = k.met === null ? '❔' : k.met ? '✅' : k.required ? '❌' : '⚠️';
  return `${icon} ${k.name}${k.required ? '' : ' (corroborating)'}: ${k.detail}`;
}

/** An evidence line: when, where from, what (cut to `max` characters; the text is redacted first). */
export function evidenceText(e: WordedEvidence, max = 120): string {
  const when = e.timestamp === null ? ' '.repeat(24) : instantText(e.timestamp);
  return `${when}  [${e.source}] ${cut(e.message, max)}`;
}

import { HEARTBEAT_STATE_ICONS } from '../../analyses/heartbeat.js';
import type { WorkerStatus } from '../../analyses/worker-status.js';
import * as checks from '../../checks.js';
import type { Command } from '../command.js';
import { duration, keyValues } from '../text.js';

export const statusCommand: Command = {
  name: 'status',
  section: '§1',
  summary: 'Worker status, DB heartbeat age and band, RAM tier and GPU',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: ['Heartbeat bands: alive < 60 s, aging < 5 min, dead ≥ 5 min, never (NULL heartbeat).'],
  async run({ read }, { positionals }) {
    const result = await checks.status(read, positionals[0]!);
    return { result, text: printStatus(result) };
  },
};

export function printStatus(s: WorkerStatus): string[] {
  return keyValues([
    ['Worker', s.id],
    ['Status', s.status],
    ['Created', s.created_at],
    ['Last heartbeat', s.last_heartbeat === null ? 'never' : `${s.last_heartbeat} (${duration(s.heartbeat_age_s)} ago)`],
    ['Heartbeat', `${HEARTBEAT_STATE_ICONS[s.heartbeat_state]} ${s.heartbeat_state}`],
    ['Lifetime', duration(s.lifetime_s)],
    ['RAM tier', s.ram_tier === null ? 'unknown' : `${s.ram_tier} GB`],
    ['GPU', s.gpu_type ?? 'unknown'],
    ['Startup phase', s.startup_phase],
    ['VRAM', s.vram_used_mb === null ? null : `${s.vram_used_mb} / ${s.vram_total_mb ?? '?'} MB`],
    ['Error', s.error_code ? `${s.error_code}${s.error_reason ? `: ${s.error_reason}` : ''}` : null],
    ['Metadata', s.has_metadata ? 'present' : 'NULL'],
  ]);
}

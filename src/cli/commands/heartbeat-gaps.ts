import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { duration, keyValues, table } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';
import { THRESHOLDS } from '../../config/thresholds.js';

export const heartbeatsCommand: Command = {
  name: 'heartbeats',
  section: '§4A',
  summary: `Logged heartbeat lines and the gaps over ${THRESHOLDS.loggedHeartbeatGapS} s between them`,
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: [`Logged heartbeats are informational; workers.last_heartbeat (every ~${THRESHOLDS.dbHeartbeatCadenceS} s) is what the orchestrator watches.`],
  async run({ read }, { positionals }) {
    const result = await checks.heartbeats(read, positionals[0]!);
    return {
      result,
      text: [
        `Logged heartbeats of ${result.worker_id}: ${result.logged_heartbeats}`,
        ...keyValues([
          ['First / last', `${instantText(result.first_logged_at)} / ${instantText(result.last_logged_at)}`],
          ['Median interval', duration(result.median_interval_s)],
          ['DB last heartbeat', instantText(result.db_last_heartbeat)],
          ['DB beat after last logged', duration(result.db_after_last_logged_s)],
        ]),
        '',
        result.gaps.length === 0 ? `✅ No gap over ${result.threshold_s} s` : `⚠️  ${result.gaps.length} gap(s) over ${result.threshold_s} s:`,
        ...(result.gaps.length ? table(result.gaps, [
          { header: 'at', value: (g) => instantText(g.at) },
          { header: 'gap', value: (g) => duration(g.gap_s), align: 'right' },
        ]) : []),
      ],
    };
  },
};

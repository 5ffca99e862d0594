/** §4A: the heartbeat lines a worker logged and the gaps between them. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { coverageNotes } from '../../present/crash-patterns.js';
import { formatDuration, instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { keyValues, table } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const heartbeatsCommand: Command = {
  name: 'heartbeats',
  section: '§4A',
  summary: `Logged heartbeat lines and the gaps over ${THRESHOLDS.loggedHeartbeatGapS} s between them`,
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: [`Logged heartbeats are informational; workers.last_heartbeat (every ~${THRESHOLDS.dbHeartbeatCadenceS} s) is what the orchestrator watches.`],
  async run({ read }, { positionals }) {
    const result = await checks.heartbeats(read, positionals[0]!);
    return { result, text: printHeartbeats(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type HeartbeatsResult = Awaited<ReturnType<typeof checks.heartbeats>>;

/** The count and span of the logged lines, the DB heartbeat beside them, then the gaps (if any). */
export function printHeartbeats(result: HeartbeatsResult): string[] {
  const gaps = result.gaps;
  return [
    `Logged heartbeats of ${result.worker_id}: ${result.logged_heartbeats}`,
    ...keyValues([
      ['First / last', `${instantText(result.first_logged_at)} / ${instantText(result.last_logged_at)}`],
      ['Median interval', formatDuration(result.median_interval_s)],
      ['DB last heartbeat', instantText(result.db_last_heartbeat)],
      ['DB beat after last logged', formatDuration(result.db_after_last_logged_s)],
    ]),
    '',
    // A worker version that logs no heartbeat line has no gaps to show, which is not "no gap".
    ...(result.logged_heartbeats === 0
      ? coverageNotes(result.coverage, ['heartbeat']).map((note) => `${VERDICT_ICONS.info}  ${note}`)
      : [gaps.length === 0 ? `${VERDICT_ICONS.ok} No gap over ${result.threshold_s} s` : `${VERDICT_ICONS.warn}  ${gaps.length} gap(s) over ${result.threshold_s} s:`]),
    ...(gaps.length
      ? table(gaps, [
          { header: 'at', value: (g) => instantText(g.at) },
          { header: 'gap', value: (g) => formatDuration(g.gap_s), align: 'right' },
        ])
      : []),
  ];
}

/** §9: active workers whose DB heartbeat is stale, and active ones that never sent one. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { formatDuration, instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { table } from '../../present/terminal.js';
import { positiveNumberOption, type Command } from '../command.js';

export const staleCommand: Command = {
  name: 'stale',
  section: '§9',
  summary: 'Active workers whose DB heartbeat is older than the threshold, and active ones that never sent one',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    minutes: { type: 'string', value: 'N', description: `threshold in minutes (default ${THRESHOLDS.heartbeatDeadS / 60})` },
  },
  async run({ read }, args) {
    const result = await checks.stale(read, { minutes: positiveNumberOption(args, 'minutes', THRESHOLDS.heartbeatDeadS / 60) });
    return { result, text: printStale(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type StaleResult = Awaited<ReturnType<typeof checks.stale>>;

/** The stale workers (noting those past the orchestrator's own limit), then those that never beat. */
export function printStale(result: StaleResult): string[] {
  return [
    `WORKERS WITH STALE HEARTBEATS (> ${formatDuration(result.threshold_s)}): ${result.workers.length}`,
    ...table(result.workers, [
      { header: '', value: () => VERDICT_ICONS.bad },
      { header: 'worker', value: (w) => w.id },
      { header: 'last heartbeat', value: (w) => `${formatDuration(w.heartbeat_age_s)} ago`, align: 'right' },
      { header: 'worker age', value: (w) => formatDuration(w.lifetime_s), align: 'right' },
      { header: 'note', value: (w) => (w.past_orchestrator_limit ? `past the orchestrator’s ${THRESHOLDS.orchestratorStaleHeartbeatS} s limit` : '') },
    ]),
    '',
    `ACTIVE WORKERS THAT NEVER SENT A HEARTBEAT: ${result.never_heartbeat.length}`,
    ...table(result.never_heartbeat, [
      { header: 'worker', value: (w) => w.id },
      { header: 'created', value: (w) => instantText(w.created_at) },
      { header: 'age', value: (w) => formatDuration(w.age_s), align: 'right' },
    ]),
  ];
}

import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { positiveNumberOption, type Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

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
    return {
      result,
      text: [
        `WORKERS WITH STALE HEARTBEATS (> ${duration(result.threshold_s)}): ${result.workers.length}`,
        ...table(result.workers, [
          { header: '', value: () => '❌' },
          { header: 'worker', value: (w) => w.id },
          { header: 'last heartbeat', value: (w) => `${duration(w.heartbeat_age_s)} ago`, align: 'right' },
          { header: 'worker age', value: (w) => duration(w.lifetime_s), align: 'right' },
          { header: 'note', value: (w) => (w.past_orchestrator_limit ? `past the orchestrator’s ${THRESHOLDS.orchestratorStaleHeartbeatS} s limit` : '') },
        ]),
        '',
        `ACTIVE WORKERS THAT NEVER SENT A HEARTBEAT: ${result.never_heartbeat.length}`,
        ...table(result.never_heartbeat, [
          { header: 'worker', value: (w) => w.id },
          { header: 'created', value: (w) => instantText(w.created_at) },
          { header: 'age', value: (w) => duration(w.age_s), align: 'right' },
        ]),
      ],
    };
  },
};

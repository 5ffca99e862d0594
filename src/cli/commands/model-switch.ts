import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { duration, table, truncate } from '../../present/terminal.js';
import { THRESHOLDS } from '../../config/thresholds.js';
import { instantText, minutesRangeText, thresholdText } from '../../present/format.js';

export const modelSwitchCommand: Command = {
  name: 'model-switch',
  section: '§4B',
  summary: 'The last MODEL SWITCH, the lines after it, and the time from it to death',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: ['crash_after_s is measured from the switch to workers.last_heartbeat of a dead worker (not to "now").'],
  async run({ read }, { positionals }) {
    const result = await checks.modelSwitchCheck(read, positionals[0]!);
    const text =
      result.switch_at === null
        ? [`No MODEL SWITCH logged by ${result.worker_id}.`]
        : [
            `MODEL SWITCH at ${instantText(result.switch_at)}: ${truncate(result.switch_message ?? '', 200)}`,
            '',
            `Lines after the switch (${result.logs_after.length}):`,
            ...table(result.logs_after, [
              { header: 'after', value: (l) => `+${l.after_s.toFixed(1)} s`, align: 'right' },
              { header: 'source', value: (l) => l.source_type },
              { header: 'level', value: (l) => l.log_level },
              { header: 'message', value: (l) => l.message, max: 90 },
            ]),
            '',
            result.crashed
              ? `❌ Crashed: last DB heartbeat ${instantText(result.died_at)}, ${duration(result.crash_after_s)} after the switch` +
                (result.in_oom_window ? ` (inside the ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} OOM window)` : result.in_model_load_window ? ` (within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)})` : '')
              : `✅ Not dead (heartbeat ${result.heartbeat_state})`,
          ];
    return { result, text };
  },
};

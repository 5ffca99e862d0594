/** §4B: a worker's last MODEL SWITCH, what it logged after it, and the time from it to death. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { formatDuration, instantText, minutesRangeText, offsetText, thresholdText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { table, truncate } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const modelSwitchCommand: Command = {
  name: 'model-switch',
  section: '§4B',
  summary: 'The last MODEL SWITCH, the lines after it, and the time from it to death',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: ['crash_after_s is measured from the switch to workers.last_heartbeat of a dead worker (not to "now").'],
  async run({ read }, { positionals }) {
    const result = await checks.modelSwitchCheck(read, positionals[0]!);
    return { result, text: printModelSwitch(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type ModelSwitchResult = Awaited<ReturnType<typeof checks.modelSwitchCheck>>;

/** The switch line, every line after it, and whether (and how soon after it) the worker died. */
export function printModelSwitch(result: ModelSwitchResult): string[] {
  if (result.switch_at === null) return [`No MODEL SWITCH logged by ${result.worker_id}.`];
  return [
    `MODEL SWITCH at ${instantText(result.switch_at)}: ${truncate(result.switch_message ?? '', 200)}`,
    '',
    `Lines after the switch (${result.logs_after.length}):`,
    ...table(result.logs_after, [
      { header: 'after', value: (l) => offsetText(l.after_s), align: 'right' },
      { header: 'source', value: (l) => l.source_type },
      { header: 'level', value: (l) => l.log_level },
      { header: 'message', value: (l) => l.message, max: 90 },
    ]),
    '',
    result.crashed ? `${VERDICT_ICONS.bad} Crashed: last DB heartbeat ${instantText(result.died_at)}, ${formatDuration(result.crash_after_s)} after the switch${crashWindowText(result)}` : `${VERDICT_ICONS.ok} Not dead (heartbeat ${result.heartbeat_state})`,
  ];
}

/** Which of the guide's windows the crash fell in: §5's OOM window first, else §12's model-loading one. */
function crashWindowText(result: ModelSwitchResult): string {
  if (result.in_oom_window) return ` (inside the ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} OOM window)`;
  if (result.in_model_load_window) return ` (within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)})`;
  return '';
}

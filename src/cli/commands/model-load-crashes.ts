/** §12: workers that died while loading a model, soon after a MODEL SWITCH. */
import { DEFAULT_WINDOW_HOURS, THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { formatDuration, instantText, thresholdText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { table } from '../../present/terminal.js';
import { positiveNumberOption, type Command } from '../command.js';

export const modelLoadCrashesCommand: Command = {
  name: 'model-load-crashes',
  section: '§12',
  summary: `Workers that died within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)} of a MODEL SWITCH in the window`,
  args: '',
  positionals: { min: 0, max: 0 },
  options: { hours: { type: 'string', value: 'N', description: `MODEL SWITCH lines of the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` } },
  async run({ read }, args) {
    const result = await checks.modelLoadCrashesCheck(read, positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes));
    return { result, text: printModelLoadCrashes(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type ModelLoadCrashesResult = Awaited<ReturnType<typeof checks.modelLoadCrashesCheck>>;

/** How many of the workers that switched crashed, then one row per crash. */
export function printModelLoadCrashes(result: ModelLoadCrashesResult): string[] {
  return [
    `WORKERS THAT CRASHED DURING MODEL LOADING: ${result.workers.length} of ${result.switched} that switched models`,
    ...table(result.workers, [
      { header: '', value: () => VERDICT_ICONS.bad },
      { header: 'worker', value: (c) => c.worker_id },
      { header: 'MODEL SWITCH', value: (c) => instantText(c.switch_at) },
      { header: 'crashed after', value: (c) => formatDuration(c.crash_after_s), align: 'right' },
      { header: 'lines after', value: (c) => c.worker_lines_after_switch, align: 'right' },
      { header: 'GPU', value: (c) => c.gpu_type },
    ]),
  ];
}

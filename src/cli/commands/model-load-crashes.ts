import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { positiveNumberOption, type Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';
import { THRESHOLDS } from '../../config/thresholds.js';
import { thresholdText } from '../../present/format.js';

export const modelLoadCrashesCommand: Command = {
  name: 'model-load-crashes',
  section: '§12',
  summary: `Workers that died within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)} of a MODEL SWITCH in the window`,
  args: '',
  positionals: { min: 0, max: 0 },
  options: { hours: { type: 'string', value: 'N', description: `MODEL SWITCH lines of the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` } },
  async run({ read }, args) {
    const result = await checks.modelLoadCrashesCheck(read, positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes));
    return {
      result,
      text: [
        `WORKERS THAT CRASHED DURING MODEL LOADING: ${result.workers.length} of ${result.switched} that switched models`,
        ...table(result.workers, [
          { header: '', value: () => '❌' },
          { header: 'worker', value: (c) => c.worker_id },
          { header: 'MODEL SWITCH', value: (c) => instantText(c.switch_at) },
          { header: 'crashed after', value: (c) => duration(c.crash_after_s), align: 'right' },
          { header: 'lines after', value: (c) => c.worker_lines_after_switch, align: 'right' },
          { header: 'GPU', value: (c) => c.gpu_type },
        ]),
      ],
    };
  },
};

import * as checks from '../../checks/index.js';
import { HEARTBEAT_STATE_ICONS } from '../../present/icons.js';
import type { Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';

export const activeCommand: Command = {
  name: 'active',
  section: '§7',
  summary: 'Workers with status active and their heartbeat age, worst first',
  args: '',
  positionals: { min: 0, max: 0 },
  async run({ read }) {
    const result = await checks.active(read);
    return {
      result,
      text: [
        `ACTIVE WORKERS: ${result.total} (${Object.entries(result.by_state).map(([s, n]) => `${n} ${s}`).join(', ')})`,
        ...table(result.workers, [
          { header: '', value: (w) => HEARTBEAT_STATE_ICONS[w.heartbeat_state] },
          { header: 'worker', value: (w) => w.id },
          { header: 'heartbeat', value: (w) => w.heartbeat_state },
          { header: 'age', value: (w) => (w.heartbeat_age_s === null ? 'never' : duration(w.heartbeat_age_s)), align: 'right' },
        ]),
      ],
    };
  },
};

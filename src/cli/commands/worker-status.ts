import type { WorkerStatus } from '../../analyses/worker-status.js';
import * as checks from '../../checks/index.js';
import { statusFields } from '../../present/fields.js';
import type { Command } from '../command.js';
import { keyValues } from '../../present/terminal.js';
import { THRESHOLDS } from '../../config/thresholds.js';
import { thresholdText } from '../../present/format.js';

export const statusCommand: Command = {
  name: 'status',
  section: '§1',
  summary: 'Worker status, DB heartbeat age and band, RAM tier and GPU',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: [
    `Heartbeat bands: alive < ${thresholdText(THRESHOLDS.heartbeatAliveS)}, aging < ${thresholdText(THRESHOLDS.heartbeatDeadS)}, dead ≥ ${thresholdText(THRESHOLDS.heartbeatDeadS)}, never (NULL heartbeat).`,
  ],
  async run({ read }, { positionals }) {
    const result = await checks.status(read, positionals[0]!);
    return { result, text: printStatus(result) };
  },
};

export function printStatus(s: WorkerStatus): string[] {
  return keyValues(statusFields(s));
}

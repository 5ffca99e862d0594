/** §1: a worker's status, DB heartbeat age and band, RAM tier and GPU. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { statusFields } from '../../present/fields.js';
import { thresholdText } from '../../present/format.js';
import { keyValues } from '../../present/terminal.js';
import type { Command } from '../command.js';

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

/** The result object: what --json prints and the printer renders. */
export type StatusResult = Awaited<ReturnType<typeof checks.status>>;

/** The status as labelled fields (the notebook and `check` show the same fields). */
export function printStatus(result: StatusResult): string[] {
  return keyValues(statusFields(result));
}

/** §16: the DB heartbeat cadence against the heartbeat lines the worker logged. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { cadenceFields } from '../../present/fields.js';
import { keyValues } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const heartbeatCadenceCommand: Command = {
  name: 'heartbeat-cadence',
  section: '§16',
  summary: `DB heartbeat cadence (~${THRESHOLDS.dbHeartbeatCadenceS} s) against the heartbeat lines the worker logged`,
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.cadence(read, positionals[0]!);
    return { result, text: printCadence(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type CadenceResult = Awaited<ReturnType<typeof checks.cadence>>;

/** The cadence figures as labelled fields (the notebook shows the same fields). */
export function printCadence(result: CadenceResult): string[] {
  return keyValues(cadenceFields(result));
}

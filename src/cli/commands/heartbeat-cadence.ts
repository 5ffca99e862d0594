import * as checks from '../../checks/index.js';
import { cadenceFields } from '../../present/fields.js';
import type { Command } from '../command.js';
import { keyValues } from '../../present/terminal.js';
import { THRESHOLDS } from '../../config/thresholds.js';

export const heartbeatCadenceCommand: Command = {
  name: 'heartbeat-cadence',
  section: '§16',
  summary: `DB heartbeat cadence (~${THRESHOLDS.dbHeartbeatCadenceS} s) against the heartbeat lines the worker logged`,
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.cadence(read, positionals[0]!);
    return {
      result,
      text: keyValues(cadenceFields(result)),
    };
  },
};

import * as checks from '../../checks.js';
import type { Command } from '../command.js';
import { duration, keyValues } from '../text.js';

export const heartbeatCadenceCommand: Command = {
  name: 'heartbeat-cadence',
  section: '§16',
  summary: 'DB heartbeat cadence (~20 s) against the heartbeat lines the worker logged',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.cadence(read, positionals[0]!);
    return {
      result,
      text: keyValues([
        ['Worker', result.worker_id],
        ['DB heartbeat cadence', duration(result.db_cadence_s)],
        ['Lifetime', duration(result.lifetime_s)],
        ['≈ DB heartbeats', result.expected_db_heartbeats],
        ['Logged heartbeats', result.logged_heartbeats],
        ['Logged per DB beat', result.logged_per_db_heartbeat === null ? null : result.logged_per_db_heartbeat.toFixed(2)],
        ['Median logged interval', duration(result.median_logged_interval_s)],
        ['DB beat after last logged', duration(result.db_after_last_logged_s)],
      ]),
    };
  },
};

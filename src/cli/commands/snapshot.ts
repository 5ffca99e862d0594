/** Evidence snapshots: save what the other commands read before log retention deletes it. */
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { UsageError } from '../../errors.js';
import { validateWorkerId } from '../../checks/load.js';
import { saveSnapshot, type SavedSnapshot } from '../../checks/snapshot.js';
import { instantText } from '../../present/format.js';
import { keyValues } from '../../present/terminal.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';

export const snapshotCommand: Command = {
  name: 'snapshot',
  section: '–',
  summary: 'Save the evidence (worker rows, all their tasks and logs) to a JSON or .json.gz file before log retention deletes it',
  args: '(<worker>... | --hours N) --out FILE',
  positionals: { min: 0, max: Infinity },
  options: {
    out: { type: 'string', value: 'FILE', description: 'file to write (.json, or .json.gz to compress)' },
    hours: { type: 'string', value: 'N', description: 'the fleet window instead of named workers' },
  },
  details: ['Read it back with --source snapshot:FILE: every command gives the same answer at the same --as-of.'],
  async run(ctx, args) {
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError('snapshot needs --out FILE');
    const ids = args.positionals.map(validateWorkerId);
    const hoursGiven = stringOption(args, 'hours') !== undefined;
    if (ids.length === 0 && !hoursGiven) throw new UsageError('snapshot needs worker ids or --hours N');
    if (ids.length > 0 && hoursGiven) throw new UsageError('give worker ids or --hours, not both');
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes);
    const result = await saveSnapshot(ctx.read, ids.length ? { workers: ids } : { hours }, out, ctx.io.now());
    ctx.notice(`worker-forensics: ${out} holds log text from the orchestrator (secret-shaped strings redacted); share it as you would the logs`);
    return { result, text: printSnapshot(result) };
  },
};

/** What the file holds, and the command line that reads it back at the same as-of. */
export function printSnapshot(result: SavedSnapshot): string[] {
  return [
    `Evidence saved to ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB)`,
    ...keyValues([
      ['Workers', result.workers],
      ['Tasks', result.tasks],
      ['Log lines', result.system_logs],
      ['As of', instantText(result.as_of)],
    ]),
    `Read it back with: worker-forensics <command> --source snapshot:${result.file} --as-of ${instantText(result.as_of)}`,
  ];
}

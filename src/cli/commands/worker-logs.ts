/** §2: a worker's log lines, its own last line and how long it has been silent. */
import { LOG_LEVELS, type LogLevel } from '../../config/markers.js';
import type { LogLine } from '../../analyses/worker-logs.js';
import * as checks from '../../checks/index.js';
import { UsageError } from '../../errors.js';
import { formatDuration, instantText, shortId } from '../../present/format.js';
import { table, truncate } from '../../present/terminal.js';
import { positiveIntegerOption, stringOption, type Command } from '../command.js';

export const logsCommand: Command = {
  name: 'logs',
  section: '§2',
  summary: "All of a worker's log lines, its own last line and how long it has been silent",
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  options: {
    limit: { type: 'string', value: 'N', description: 'show only the newest N matching lines (total still counts all)' },
    level: { type: 'string', value: 'LEVEL', description: `minimum level: ${LOG_LEVELS.join(', ')}` },
    search: { type: 'string', value: 'TEXT', description: 'only lines whose message contains TEXT (case-insensitive)' },
  },
  details: [
    'The last line before silence is the worker\'s own (source_type worker): orchestrator lines about it come later.',
  ],
  async run({ read }, args) {
    const levelText = stringOption(args, 'level');
    const level = levelText?.toUpperCase();
    if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`--level must be one of ${LOG_LEVELS.join(', ')}, got "${levelText}"`);
    }
    const limit = positiveIntegerOption(args, 'limit');
    const search = stringOption(args, 'search');
    const result = await checks.logs(read, args.positionals[0]!, {
      ...(limit !== undefined ? { limit } : {}),
      ...(level !== undefined ? { level: level as LogLevel } : {}),
      ...(search !== undefined ? { search } : {}),
    });
    return { result, text: printLogs(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type LogsResult = Awaited<ReturnType<typeof checks.logs>>;

/** How many lines matched and are shown, the lines, then the worker's own last line and its silence since. */
export function printLogs(result: LogsResult): string[] {
  const last = result.last_worker_log;
  const orchestratorLines = result.orchestrator_lines_after_last_worker_log;
  return [
    `Logs of ${result.worker_id}: ${result.total} matching line(s) of ${result.total_unfiltered}, showing ${result.logs.length}`,
    ...logTable(result.logs),
    '',
    ...(last
      ? [
          `🔴 Last line from the worker: ${instantText(last.timestamp)} ${truncate(last.message, 200)}`,
          `   Silence since: ${formatDuration(result.silence_s)}` + (orchestratorLines ? ` (${orchestratorLines} orchestrator line(s) about it since)` : ''),
        ]
      : ['🔴 The worker never wrote a line of its own.']),
  ];
}

/** Log lines as a table, the message cut to `width` characters (`check` shows them narrower). */
export function logTable(lines: readonly LogLine[], width = 100): string[] {
  return table(lines, [
    { header: 'timestamp', value: (l) => instantText(l.timestamp) },
    { header: 'source', value: (l) => l.source_type },
    { header: 'level', value: (l) => l.log_level },
    { header: 'task', value: (l) => (l.task_id ? shortId(l.task_id) : '–') },
    { header: 'message', value: (l) => l.message, max: width },
  ]);
}

import { LOG_LEVELS, type LogLevel } from '../../config/markers.js';
import type { LogLine, WorkerLogs } from '../../analyses/worker-logs.js';
import * as checks from '../../checks/index.js';
import { UsageError } from '../../errors.js';
import { positiveIntegerOption, stringOption, type Command } from '../command.js';
import { duration, table, truncate } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

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

export function logTable(lines: readonly LogLine[], width = 100): string[] {
  return table(lines, [
    { header: 'timestamp', value: (l) => instantText(l.timestamp) },
    { header: 'source', value: (l) => l.source_type },
    { header: 'level', value: (l) => l.log_level },
    { header: 'task', value: (l) => (l.task_id ? l.task_id.slice(0, 8) : '–') },
    { header: 'message', value: (l) => l.message, max: width },
  ]);
}

export function printLogs(r: WorkerLogs): string[] {
  const out = [`Logs of ${r.worker_id}: ${r.total} matching line(s) of ${r.total_unfiltered}, showing ${r.logs.length}`, ...logTable(r.logs)];
  out.push('');
  if (r.last_worker_log) {
    out.push(`🔴 Last line from the worker: ${instantText(r.last_worker_log.timestamp)} ${truncate(r.last_worker_log.message, 200)}`);
    out.push(`   Silence since: ${duration(r.silence_s)}` + (r.orchestrator_lines_after_last_worker_log ? ` (${r.orchestrator_lines_after_last_worker_log} orchestrator line(s) about it since)` : ''));
  } else {
    out.push('🔴 The worker never wrote a line of its own.');
  }
  return out;
}

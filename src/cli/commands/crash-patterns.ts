import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import type { Classification } from '../../analyses/crash-patterns.js';
import * as checks from '../../checks/index.js';
import { criterionText, evidenceText } from '../../present/fields.js';
import { UsageError } from '../../errors.js';
import { redact } from '../../redact.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';
import { duration, table } from '../../present/terminal.js';

export const classifyCommand: Command = {
  name: 'classify',
  section: '§5',
  summary: 'Crash pattern of each worker (oom_model_load, init_failure, vlm_loading_hang, unexplained, not_started, no_crash) with its evidence',
  args: '[<worker>...]',
  positionals: { min: 0, max: Infinity },
  options: {
    hours: { type: 'string', value: 'N', description: `without workers: those created in the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` },
  },
  details: ['The time of death is the last DB heartbeat (~20 s cadence), never the last log line or "now".'],
  async run(ctx, args) {
    if (args.positionals.length > 0 && stringOption(args, 'hours') !== undefined) throw new UsageError('give worker ids or --hours, not both');
    const { result, missing } = await checks.classify(ctx.read, {
      workerIds: args.positionals,
      hours: positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes),
    });
    missing.forEach(ctx.defer);
    return { result, text: printClassifications(result.workers, result.counts) };
  },
};

export function printClassifications(list: readonly Classification[], counts: Record<string, number>): string[] {
  const out = [
    `CRASH PATTERNS: ${Object.entries(counts).filter(([, n]) => n > 0).map(([p, n]) => `${n} ${p}`).join(', ') || 'no workers'}`,
    ...table(list, [
      { header: 'worker', value: (c) => c.id },
      { header: 'pattern', value: (c) => c.pattern },
      { header: 'status', value: (c) => c.status },
      { header: 'died at', value: (c) => c.died_at },
      { header: 'switch→death', value: (c) => (c.crash_after_switch_s === null ? null : duration(c.crash_after_switch_s)), align: 'right' },
    ]),
  ];
  if (list.length <= 3) {
    for (const c of list) {
      out.push('', `${c.id}: ${c.title}`, `  ${c.summary}`);
      for (const k of c.criteria) out.push(`  ${criterionText(k)}`);
      out.push('  Evidence:');
      for (const e of c.evidence) out.push(`    ${evidenceText({ ...e, message: redact(e.message) })}`);
    }
  }
  return out;
}

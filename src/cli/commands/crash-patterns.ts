import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { classifyWorkers, countByPattern, type Classification } from '../../analyses/crash-patterns.js';
import { iso } from '../../analyses/format.js';
import { hoursWindow, loadFleetCases, validateWorkerId, workerNotFound } from '../../load.js';
import { UsageError } from '../../errors.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';
import { duration, table } from '../text.js';

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
    const { read } = ctx;
    const ids = args.positionals.map(validateWorkerId);
    if (ids.length > 0 && stringOption(args, 'hours') !== undefined) throw new UsageError('give worker ids or --hours, not both');
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes);
    const window = hoursWindow(read.asOf, hours);
    const fleet = await loadFleetCases(read, ids.length ? { ids } : { createdFrom: window.from, createdTo: window.to });
    const found = new Set(fleet.workers.map((w) => w.id));
    for (const id of ids) if (!found.has(id)) ctx.defer(await workerNotFound(read, id));
    const byId = new Map(classifyWorkers(fleet.cases, read.asOf).map((c) => [c.id, c]));
    // Asked-for workers in the order given; a fleet window newest first.
    const classifications = ids.length
      ? ids.flatMap((id) => byId.get(id) ?? [])
      : [...fleet.workers].reverse().flatMap((w) => byId.get(w.id) ?? []);
    const result = {
      as_of: iso(read.asOf),
      ...(ids.length ? {} : { window_hours: hours }),
      counts: countByPattern(classifications),
      workers: classifications,
    };
    return { result, text: printClassifications(classifications, result.counts) };
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
      for (const k of c.criteria) out.push(`  ${k.met ? '✅' : k.required ? '❌' : '⚠️ '} ${k.name}: ${k.detail}`);
      out.push('  Evidence:');
      for (const e of c.evidence) out.push(`    ${e.timestamp ?? '                        '}  [${e.source}] ${e.message.slice(0, 120)}`);
    }
  }
  return out;
}

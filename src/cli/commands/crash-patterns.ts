/** §5: the crash pattern of each worker, with the criteria and evidence behind it. */
import { DEFAULT_WINDOW_HOURS, THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { CONFIDENCE_MEANINGS, classificationDocument, patternCountsText } from '../../present/crash-patterns.js';
import { criterionText, evidenceText } from '../../present/fields.js';
import { formatDuration, instantText } from '../../present/format.js';
import { table } from '../../present/terminal.js';
import { UsageError } from '../../errors.js';
import { positiveNumberOption, stringOption, type Command } from '../command.js';

export const classifyCommand: Command = {
  name: 'classify',
  section: '§5',
  summary: 'Crash pattern of each worker (oom_model_load, init_failure, vlm_loading_hang, stalled, unexplained, not_started, no_crash), its confidence and evidence',
  args: '[<worker>...]',
  positionals: { min: 0, max: Infinity },
  options: {
    hours: { type: 'string', value: 'N', description: `without workers: those created in the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` },
  },
  details: [
    `The time of death is the last DB heartbeat (~${THRESHOLDS.dbHeartbeatCadenceS} s cadence), never the last log line or "now".`,
    'Each pattern has required and corroborating criteria; a criterion the rows cannot decide (the worker never logs that kind of line) is "undecided", never false.',
    `Confidence: strong (${CONFIDENCE_MEANINGS.strong}), likely (${CONFIDENCE_MEANINGS.likely}), weak (${CONFIDENCE_MEANINGS.weak}); none for unexplained; for no_crash and not_started it says how directly the rows show the state.`,
    'Workers whose versions word their lines differently: the global --markers FILE adds or replaces marker families.',
  ],
  async run(ctx, args) {
    if (args.positionals.length > 0 && stringOption(args, 'hours') !== undefined) throw new UsageError('give worker ids or --hours, not both');
    const { result, missing } = await checks.classify(ctx.read, {
      workerIds: args.positionals,
      hours: positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes),
    });
    missing.forEach(ctx.defer);
    const document: ClassifyDocument = { ...result, workers: result.workers.map(classificationDocument) };
    return { result: document, text: printClassifications(document) };
  },
};

/** The result object: the check's result with each classification worded (present/crash-patterns.ts), what --json prints. */
export type ClassifyDocument = Omit<checks.ClassifyResult, 'workers'> & { workers: ReturnType<typeof classificationDocument>[] };

/** The counts, a table of every worker, and for three workers or fewer their criteria and evidence. */
export function printClassifications({ workers, counts }: ClassifyDocument): string[] {
  const out = [
    `CRASH PATTERNS: ${patternCountsText(counts)}`,
    ...table(workers, [
      { header: 'worker', value: (c) => c.id },
      { header: 'pattern', value: (c) => c.pattern },
      { header: 'confidence', value: (c) => c.confidence },
      { header: 'status', value: (c) => c.status },
      { header: 'died at', value: (c) => (c.died_at === null ? null : instantText(c.died_at)) },
      { header: 'switch→death', value: (c) => (c.crash_after_switch_s === null ? null : formatDuration(c.crash_after_switch_s)), align: 'right' },
    ]),
  ];
  if (workers.length <= 3) {
    for (const c of workers) {
      out.push('', `${c.id}: ${c.title}`, `  ${c.summary}`);
      if (c.confidence_meaning !== null) out.push(`  Confidence: ${c.confidence} (${c.confidence_meaning})`);
      for (const k of c.criteria) out.push(`  ${criterionText(k)}`);
      out.push('  Evidence:');
      for (const e of c.evidence) out.push(`    ${evidenceText(e)}`);
      for (const note of c.coverage_notes) out.push(`  Note: ${note}`);
    }
  }
  return out;
}

/** Issue 11: the orchestrator's kill of a worker, the age its reason claims against the age observed. */
import { THRESHOLDS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { formatDuration, instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { KILL_EVIDENCE_WORDS, whyKilledFields, whyKilledSeverity, whyKilledVerdict } from '../../present/journeys.js';
import { keyValues, table } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const whyKilledCommand: Command = {
  name: 'why-killed',
  section: 'kills',
  summary: "The orchestrator's kill: the idle or heartbeat age its reason claims against the one the rows show",
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: [
    `suspicious: the claimed age is over ${THRESHOLDS.whyKilledSuspiciousFactor}× the observed one (the upstream tool's rule).`,
    'Idle is observed from the last task claim, task end or own line before the kill; a heartbeat age from the last DB heartbeat or own line.',
  ],
  async run({ read }, { positionals }) {
    const result = await checks.whyKilledCheck(read, positionals[0]!);
    return { result, text: printWhyKilled(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type WhyKilledResult = Awaited<ReturnType<typeof checks.whyKilledCheck>>;

/** The kill, the verdict, and the evidence with its distance to the kill. */
export function printWhyKilled(result: WhyKilledResult): string[] {
  const out = [`Why killed: ${result.worker_id} (status ${result.status})`];
  const fields = whyKilledFields(result);
  if (fields.length > 0) out.push(...keyValues(fields));
  out.push('', `${VERDICT_ICONS[whyKilledSeverity(result)]} ${whyKilledVerdict(result)}`);
  if (result.evidence.length > 0) {
    out.push(
      '',
      'Evidence:',
      ...table(result.evidence, [
        { header: 'at', value: (e) => instantText(e.at) },
        { header: 'before kill', value: (e) => formatDuration(e.before_kill_s), align: 'right' },
        { header: 'what', value: (e) => KILL_EVIDENCE_WORDS[e.kind] },
        { header: 'source', value: (e) => e.source },
        { header: 'text', value: (e) => e.text, max: 80 },
      ]),
    );
  }
  return out;
}

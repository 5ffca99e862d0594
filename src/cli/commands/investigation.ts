/** §15: the investigation checklist of one worker, item by item, and the crash verdict. */
import * as checks from '../../checks/index.js';
import { criterionText, evidenceText } from '../../present/fields.js';
import { instantText } from '../../present/format.js';
import { investigationDocument } from '../../present/investigation.js';
import { heading } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const checklistCommand: Command = {
  name: 'checklist',
  section: '§15',
  summary: 'The whole investigation checklist for one worker, each item with a ✅/⚠️/❌ verdict, and the crash verdict',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: ['`investigate <worker>` renders the same investigation as a notebook and HTML report.'],
  async run({ read }, { positionals }) {
    const result = investigationDocument((await checks.investigation(read, positionals[0]!)).investigation);
    return { result, text: printInvestigation(result) };
  },
};

/** The result object: the worded investigation (present/investigation.ts), what --json prints and the printer renders. */
export type ChecklistResult = ReturnType<typeof investigationDocument>;

/** Each checklist item with its icon and finding, then the verdict and its evidence. */
export function printInvestigation(result: ChecklistResult): string[] {
  return [
    heading(`Investigation of ${result.worker_id} (as of ${instantText(result.as_of)})`),
    ...result.checklist.map((c) => `${c.icon}  ${c.title}\n     ${c.finding}`),
    heading(`Verdict: ${result.verdict.title}${result.verdict.confidence === null ? '' : ` — ${result.verdict.confidence}`}`),
    `  ${result.verdict.summary}`,
    ...(result.verdict.confidence_meaning === null ? [] : [`  Confidence: ${result.verdict.confidence} (${result.verdict.confidence_meaning})`]),
    ...(result.verdict.criteria.length === 0 ? [] : ['  Criteria:', ...result.verdict.criteria.map((k) => `    ${criterionText(k)}`)]),
    '  Evidence:',
    ...result.verdict.evidence.map((e) => `    ${evidenceText(e)}`),
    ...result.verdict.coverage_notes.map((note) => `  Note: ${note}`),
  ];
}

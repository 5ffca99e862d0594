import * as checks from '../../checks/index.js';
import { evidenceText } from '../../present/fields.js';
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
    const document = investigationDocument((await checks.investigation(read, positionals[0]!)).investigation);
    return { result: document, text: printInvestigation(document) };
  },
};

export function printInvestigation(r: ReturnType<typeof investigationDocument>): string[] {
  return [
    heading(`Investigation of ${r.worker_id} (as of ${instantText(r.as_of)})`),
    ...r.checklist.map((c) => `${c.icon}  ${c.title}\n     ${c.finding}`),
    heading(`Verdict: ${r.verdict.title}`),
    `  ${r.verdict.summary}`,
    '  Evidence:',
    ...r.verdict.evidence.map((e) => `    ${evidenceText(e)}`),
  ];
}

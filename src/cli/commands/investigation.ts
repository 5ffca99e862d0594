import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import { crashTiming } from '../../analyses/crash-timing.js';
import { investigateWorker, type Investigation } from '../../analyses/investigation.js';
import { hoursWindow, loadSwitchedCases, loadWorkerEvidence, requireWorkerRow, type ReadContext } from '../../load.js';
import type { Command } from '../command.js';
import { heading } from '../text.js';

/** §15 for one worker, with the fleet's crash timings of the last day to compare against. */
export async function loadInvestigation(read: ReadContext, workerId: string): Promise<Investigation> {
  const window = hoursWindow(read.asOf, DEFAULT_WINDOW_HOURS.crashes);
  const [evidence, fleet] = await Promise.all([loadWorkerEvidence(read, workerId), loadSwitchedCases(read, window)]);
  const worker = requireWorkerRow(read, evidence);
  return investigateWorker(worker, evidence.tasks, evidence.logs, read.asOf, crashTiming(fleet.cases, window, read.asOf));
}

export const checklistCommand: Command = {
  name: 'checklist',
  section: '§15',
  summary: 'The whole investigation checklist for one worker, each item with a ✅/⚠️/❌ verdict, and the crash verdict',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  details: ['`investigate <worker>` renders the same investigation as a notebook and HTML report.'],
  async run({ read }, { positionals }) {
    const result = await loadInvestigation(read, positionals[0]!);
    return { result, text: printInvestigation(result) };
  },
};

export function printInvestigation(r: Investigation): string[] {
  return [
    heading(`Investigation of ${r.worker_id} (as of ${r.as_of})`),
    ...r.checklist.map((c) => `${c.icon}  ${c.title}\n     ${c.finding}`),
    heading(`Verdict: ${r.verdict.title}`),
    `  ${r.verdict.summary}`,
    '  Evidence:',
    ...r.verdict.evidence.map((e) => `    ${e.timestamp ?? '                        '}  [${e.source}] ${e.message.slice(0, 120)}`),
  ];
}

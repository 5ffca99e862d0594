/** `checklist` (§15): its printer over fixed results made from the hand-made crash fleet. */
import { describe, expect, it } from 'vitest';
import { crashTiming } from '../../../src/analyses/crash-timing.js';
import { investigateWorker } from '../../../src/analyses/investigation.js';
import { printInvestigation } from '../../../src/cli/commands/investigation.js';
import { investigationDocument } from '../../../src/present/investigation.js';
import { hoursWindow } from '../../../src/rows/window.js';
import type { FleetMember } from '../../support/crash-fleet.js';
import { FLEET_AS_OF, caseOf, healthyWorker, oomWorker, secondOomWorker } from '../../support/crash-fleet.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

/** As the check builds it: the worker's investigation against the fleet's crash timings of the last 24 h (or none). */
function documentOf(member: FleetMember, fleet: FleetMember[] | null) {
  const timing = fleet && crashTiming(fleet.map((m) => caseOf(m)), hoursWindow(FLEET_AS_OF, 24), FLEET_AS_OF, BUILT_IN_VOCABULARY);
  return investigationDocument(investigateWorker(member.worker, member.tasks, member.logs, FLEET_AS_OF, timing, BUILT_IN_VOCABULARY));
}

describe('printInvestigation', () => {
  it('an OOM death placed among the fleet’s crashes: every item, the verdict and its evidence', async () => {
    const oom = oomWorker();
    const text = printInvestigation(documentOf(oom, [oom, secondOomWorker(), healthyWorker()]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/checklist-oom.txt');
    // §15's ten items and the [RAM] item of issue 9.
    expect(text.filter((l) => /^(✅|⚠️|❌|ℹ️) {2}/.test(l))).toHaveLength(11);
    const joined = text.join('\n');
    // The verdict line names the pattern and how sure it is; the criteria behind it follow.
    expect(joined).toMatch(/^Verdict: OOM during model loading \(§5 pattern 1\) — (strong|likely)$/m);
    expect(joined).toMatch(/^ {2}Confidence: (strong|likely) \(/m);
    expect(joined).toContain('  Criteria:');
    expect(joined).toMatch(/^ {4}✅ model switch logged: at /m);
  });

  it('a healthy worker, the fleet not read', async () => {
    const text = printInvestigation(documentOf(healthyWorker(), null));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/checklist-healthy.txt');
    // No pattern was judged: the confidence says the state is read directly from the rows.
    expect(text.join('\n')).toMatch(/^Verdict: No crash — strong$/m);
    expect(text.join('\n')).toContain('Confidence: strong (read directly from the rows');
    expect(text.join('\n')).not.toContain('Criteria:');
  });
});

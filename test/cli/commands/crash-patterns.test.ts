/** `classify` (§5): its printer over fixed results made from the hand-made crash fleet. */
import { describe, expect, it } from 'vitest';
import { classifyWorkers, countByPattern } from '../../../src/analyses/crash-patterns.js';
import { printClassifications } from '../../../src/cli/commands/crash-patterns.js';
import { classificationDocument } from '../../../src/present/crash-patterns.js';
import type { FleetMember } from '../../support/crash-fleet.js';
import { FLEET_AS_OF, caseOf, healthyWorker, initFailureWorker, neverStartedWorker, oomWorker, secondOomWorker, vlmHangWorker } from '../../support/crash-fleet.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

/** As the command builds it: the check's result with each classification worded (the --json document). */
function documentOf(members: FleetMember[]) {
  const workers = classifyWorkers(members.map((m) => caseOf(m)), FLEET_AS_OF, BUILT_IN_VOCABULARY);
  return { as_of: FLEET_AS_OF, window_hours: 24, counts: countByPattern(workers), workers: workers.map(classificationDocument) };
}

describe('printClassifications', () => {
  it('three workers or fewer: the table, then each one’s criteria and evidence', async () => {
    const text = printClassifications(documentOf([oomWorker(), initFailureWorker(), vlmHangWorker()]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/classify-details.txt');
    expect(text.filter((l) => l === '  Evidence:')).toHaveLength(3);
  });

  it('more than three: the table only', async () => {
    const members = [oomWorker(), secondOomWorker(), initFailureWorker(), vlmHangWorker(), healthyWorker(), neverStartedWorker()];
    const text = printClassifications(documentOf(members));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/classify-table.txt');
    expect(text).toHaveLength(1 + 2 + members.length);
  });

  it('no worker', () => {
    expect(printClassifications(documentOf([]))).toEqual(['CRASH PATTERNS: no workers', '  (none)']);
  });
});

/** `task <id>` (issue 11): its printer over fixed results made from hand-built rows through the real analysis. */
import { describe, expect, it } from 'vitest';
import { printTaskJourney } from '../../../src/cli/commands/task-journey.js';
import { T, W1, W2, caseOf, forTask, journeyOf, requeuedAfterCrash, taskRow } from '../../support/journeys.js';
import { worker } from '../../support/rows.js';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZSJ9.c2lnbmF0dXJlLXNlY3JldA';

describe('printTaskJourney', () => {
  it('requeued after its worker crashed and completed by another: workers, events, the interrupting death', async () => {
    const { row, lines, cases } = requeuedAfterCrash();
    const text = printTaskJourney(journeyOf(row, lines, cases));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/task-journey-requeued.txt');
    expect(text[1]).toBe('  Complete: 2 claim(s) by 2 workers, attempts=1; queued 60.0 s, processing 7.0 min');
    expect(text.at(-1)).toMatch(new RegExp(`^  attempt 1: ${W1} died at 2025-10-17T12:12:00.000Z \\(.+\\); the orchestrator requeued it for this crash$`));
  });

  it('a task still queued after a reset, a long line cut, no worker died', async () => {
    const row = taskRow({ worker: null, status: 'Queued', created: '12:00:00', started: null, updated: '12:40:00', attempts: 0, error: 'Reset - no activity for 15 minutes (stale task)' });
    const lines = [
      forTask('12:20:00', `[CLAIM] Claimed task ${T}`, { worker: W2 }),
      forTask('12:20:01', `Downloading https://hub.example.com/lora?token=${SECRET} ${'chunk '.repeat(30)}`, { worker: W2 }),
    ];
    const text = printTaskJourney(journeyOf(row, lines, [caseOf(worker({ id: W2 }), lines)]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/task-journey-reset.txt');
    expect(text).toContain('  Orchestrator trace: Reset - no activity for 15 minutes (stale task)');
    expect(text.at(-1)).toBe('Interrupted by: no death of a worker while it held the task.');
    expect(text.join('\n')).not.toContain(SECRET);
  });

  it('a task never claimed: no worker, one event', async () => {
    const text = printTaskJourney(journeyOf(taskRow({ worker: null, status: 'Queued', started: null, attempts: 0 }), [], []));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/task-journey-queued.txt');
    expect(text[1]).toBe('  Queued: 0 claim(s) by 0 workers, attempts=0; queued –, processing –');
  });
});

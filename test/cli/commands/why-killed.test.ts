/** `why-killed <worker>` (issue 11): its printer over fixed results made from hand-built rows through the real analysis. */
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../../src/config/thresholds.js';
import { printWhyKilled } from '../../../src/cli/commands/why-killed.js';
import { W1, idleKill, killOf, staleKill } from '../../support/journeys.js';
import { log, worker } from '../../support/rows.js';

const factor = THRESHOLDS.whyKilledSuspiciousFactor;

describe('printWhyKilled', () => {
  it('a false idle kill: suspicious, with the evidence timed against the kill', async () => {
    const text = printWhyKilled(killOf(idleKill()));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/why-killed-suspicious.txt');
    expect(text).toContain(`❌ Suspicious: claimed idle 20.0 min, observed 3.0 min (since its last task ended): the claim is over ${factor}× the observed age.`);
  });

  it('a stale-heartbeat kill that tells the truth', async () => {
    const text = printWhyKilled(killOf(staleKill()));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/why-killed-consistent.txt');
    expect(text).toContain(`✅ Consistent: claimed without heartbeat 10.3 min, observed 10.3 min (since its last DB heartbeat): the claim is not over ${factor}× the observed age.`);
  });

  it('no kill found, and a reason that claims no age: undecided, saying why', async () => {
    const none = printWhyKilled(killOf({ row: worker({ id: W1 }), tasks: [], logs: [] }));
    await expect(none.join('\n')).toMatchFileSnapshot('./output/why-killed-no-kill.txt');
    expect(none).toEqual([`Why killed: ${W1} (status active)`, '', 'ℹ️ Undecided: no kill found: no MARKING AS ERROR line and no orchestrator error in metadata.']);
    const noAge = printWhyKilled(
      killOf({
        row: worker({ id: W1, status: 'terminated', created: '12:00:00', heartbeat: '12:15:00', metadata: { error_code: 'STARTUP_NEVER_READY', error_reason: 'worker never became ready', error_time: '2025-10-17T12:20:00Z' } }),
        tasks: [],
        logs: [log('12:00:30', `🚀 Worker ${W1} starting`, { worker: W1 })],
      }),
    );
    await expect(noAge.join('\n')).toMatchFileSnapshot('./output/why-killed-no-age.txt');
    expect(noAge).toContain('ℹ️ Undecided: the kill reason claims no idle or heartbeat age; observed 19.5 min (since its last own line).');
  });
});

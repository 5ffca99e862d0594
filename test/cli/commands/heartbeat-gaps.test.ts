/** `heartbeats` (§4A): its printer over fixed results made from hand-built heartbeat lines. */
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../../src/config/thresholds.js';
import { heartbeatGaps } from '../../../src/analyses/heartbeat-gaps.js';
import { printHeartbeats } from '../../../src/cli/commands/heartbeat-gaps.js';
import type { SystemLog, Worker } from '../../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, worker } from '../../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const gapsOf = (logs: SystemLog[], row: Worker | null) => ({ as_of: AS_OF, ...heartbeatGaps(W, logs, AS_OF, BUILT_IN_VOCABULARY, row) });

describe('printHeartbeats', () => {
  it('two gaps over the threshold, listed with when they ended and how long they were', async () => {
    const logs = [...heartbeatsEvery('13:00:00', '13:05:00', 30), heartbeatLine('13:06:30'), heartbeatLine('13:07:00'), heartbeatLine('13:12:00'), log('13:12:10', 'Worker stopping')];
    const text = printHeartbeats(gapsOf(logs, worker({ id: W, heartbeat: '13:12:40' })));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/heartbeats-gaps.txt');
    expect(text).toContain(`⚠️  2 gap(s) over ${THRESHOLDS.loggedHeartbeatGapS} s:`);
  });

  it('a steady cadence: no gap', async () => {
    const text = printHeartbeats(gapsOf(heartbeatsEvery('13:00:00', '13:10:00', 30), worker({ id: W, heartbeat: '13:59:50' })));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/heartbeats-steady.txt');
    expect(text.at(-1)).toBe(`✅ No gap over ${THRESHOLDS.loggedHeartbeatGapS} s`);
  });

  it('no logged heartbeat and no worker row: dashes, not zeros', async () => {
    const text = printHeartbeats(gapsOf([], null));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/heartbeats-none.txt');
    expect(text[0]).toBe(`Logged heartbeats of ${W}: 0`);
  });
});

/** `heartbeat-cadence` (§16): its printer over fixed results made from hand-built rows. */
import { describe, expect, it } from 'vitest';
import { heartbeatCadence } from '../../../src/analyses/heartbeat-cadence.js';
import { printCadence } from '../../../src/cli/commands/heartbeat-cadence.js';
import { at, heartbeatsEvery, worker } from '../../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('printCadence', () => {
  it('a worker that logged a heartbeat every 30 s for its hour of life', async () => {
    const row = worker({ id: W, created: '12:00:00', heartbeat: '13:00:40' });
    const text = printCadence({ as_of: AS_OF, ...heartbeatCadence(row, heartbeatsEvery('12:00:30', '13:00:00', 30), AS_OF, BUILT_IN_VOCABULARY) });
    await expect(text.join('\n')).toMatchFileSnapshot('./output/heartbeat-cadence-steady.txt');
    // 3 640 s of life at one DB heartbeat per 20 s: 182 of them, against 120 logged lines.
    expect(text.find((l) => l.includes('≈ DB heartbeats sent'))).toMatch(/ 182$/);
    expect(text.find((l) => l.includes('Logged lines per DB heartbeat'))).toMatch(/ 0\.66$/);
  });

  it('a worker that never beat nor logged: dashes', async () => {
    const row = worker({ id: W, created: '13:55:00', heartbeat: null });
    const text = printCadence({ as_of: AS_OF, ...heartbeatCadence(row, [], AS_OF, BUILT_IN_VOCABULARY) });
    await expect(text.join('\n')).toMatchFileSnapshot('./output/heartbeat-cadence-never.txt');
  });
});

/** `model-switch` (§4B): its printer over fixed results made from hand-built rows. */
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../../src/config/thresholds.js';
import { modelSwitch } from '../../../src/analyses/model-switch.js';
import { printModelSwitch } from '../../../src/cli/commands/model-switch.js';
import { minutesRangeText, thresholdText } from '../../../src/present/format.js';
import type { SystemLog } from '../../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const SECRET = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZSJ9.c2lnbmF0dXJlLXNlY3JldA';
const beforeSwitch = () => heartbeatsEvery('12:58:00', '12:59:30', 30);
const switchLine = () => log('13:00:00', '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit');
const switchOf = (heartbeat: string | null, logs: SystemLog[], status = 'active') => {
  const row = worker({ id: W, status, heartbeat });
  return { as_of: AS_OF, ...modelSwitch(row, [task({ worker: W, status: 'In Progress', created: '12:59:00' })], logs, AS_OF, BUILT_IN_VOCABULARY) };
};

describe('printModelSwitch', () => {
  it('a death inside the OOM window: every line after the switch, the secret redacted, the long line cut', async () => {
    const logs = [
      ...beforeSwitch(),
      switchLine(),
      heartbeatLine('13:00:30'),
      log('13:00:40', `Loading weights from https://hub.example.com/qwen?token=${SECRET} ${'shard '.repeat(30)}`),
      heartbeatLine('13:01:00'),
      log('13:09:00', `Marking worker ${W} as error: heartbeat stale`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    ];
    const text = printModelSwitch(switchOf('13:03:00', logs));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/model-switch-oom-window.txt');
    expect(text.join('\n')).not.toContain(SECRET);
    expect(text.at(-1)).toBe(
      `❌ Crashed: last DB heartbeat 2025-10-17T13:03:00.000Z, 3.0 min after the switch (inside the ${minutesRangeText(THRESHOLDS.oomCrashWindowS)} OOM window)`,
    );
  });

  it('a death after the OOM window but within the model-loading one', async () => {
    const text = printModelSwitch(switchOf('13:07:00', [...beforeSwitch(), switchLine(), heartbeatLine('13:06:40')]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/model-switch-load-window.txt');
    expect(text.at(-1)).toMatch(new RegExp(`7\\.0 min after the switch \\(within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)}\\)$`));
  });

  it('a death long after the switch: no window named', async () => {
    const text = printModelSwitch(switchOf('13:40:00', [...beforeSwitch(), switchLine(), ...heartbeatsEvery('13:00:30', '13:39:30', 30)]));
    expect(text.at(-1)).toBe('❌ Crashed: last DB heartbeat 2025-10-17T13:40:00.000Z, 40.0 min after the switch');
  });

  it('alive after its switch, with no line since', async () => {
    const text = printModelSwitch(switchOf('13:59:50', [...beforeSwitch(), switchLine()]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/model-switch-alive.txt');
    expect(text.at(-1)).toBe('✅ Not dead (heartbeat alive)');
  });

  it('no switch logged: one line', async () => {
    expect(printModelSwitch(switchOf('13:59:50', beforeSwitch()))).toEqual([`No MODEL SWITCH logged by ${W}.`]);
  });
});

/** `memory-profile` (§14): its printer over fixed results made from hand-built log lines. */
import { describe, expect, it } from 'vitest';
import { memoryProfile } from '../../../src/analyses/memory-profile.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';
import { printMemoryProfile } from '../../../src/cli/commands/memory-profile.js';
import type { SystemLog } from '../../../src/rows/schemas.js';
import { at, heartbeatLine, log, worker } from '../../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
/** As the check reads it: the worker's lines, its row's metadata (VRAM). */
const profileOf = (logs: SystemLog[], metadata: Record<string, unknown> | null = null) => ({
  as_of: AS_OF,
  ...memoryProfile(W, logs, AS_OF, BUILT_IN_VOCABULARY, worker({ id: W, metadata })),
});

describe('printMemoryProfile', () => {
  it('the profile number and the line it was read from (the last one wins)', async () => {
    const text = printMemoryProfile(profileOf([log('12:00:06', '🧠 Using Memory Profile 3 (ram_tier=32GB)'), log('12:30:00', '🧠 Using Memory Profile 4 (ram_tier=32GB)')]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/memory-profile-found.txt');
    expect(text[0]).toMatch(/^Memory Profile: 4 {3}\(2025-10-17T12:30:00\.000Z: /);
  });

  it('a profile line without a number: unreadable, the line still shown (cut)', async () => {
    const text = printMemoryProfile(profileOf([log('12:00:06', `Memory Profile: automatic, chosen from free VRAM ${'and more words '.repeat(20)}`)]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/memory-profile-unreadable.txt');
    expect(text[0]).toMatch(/^Memory Profile: unreadable .*…\)$/);
  });

  it('no profile line', async () => {
    const text = printMemoryProfile(profileOf([heartbeatLine('12:00:30')]));
    expect(text).toEqual([`No memory profile line logged by ${W}`, 'VRAM: not reported in the heartbeat', '', 'ℹ️  no [RAM] samples logged: memory before a crash unknown']);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/memory-profile-none.txt');
  });

  it('[RAM] samples: the newest ten, high use marked; VRAM from the heartbeat metadata', async () => {
    const ram = (t: string, pct: number) => log(t, `[RAM] before generation: Process=8123.0 MB | System=${pct}% used, 3.2GB / 64.0GB available`);
    const samples = Array.from({ length: 12 }, (_, i) => ram(`12:${String(10 + i).padStart(2, '0')}:00`, 80 + i));
    const text = printMemoryProfile(profileOf(samples, { vram_used_mb: 20480, vram_total_mb: 24576 }));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/memory-profile-ram.txt');
    const joined = text.join('\n');
    expect(joined).toContain('[RAM] samples: 12 (the last 10 shown)');
    // The two oldest are left out of the terminal (the JSON holds all twelve).
    expect(joined).not.toContain('12:10:00');
    expect(joined).not.toContain('12:11:00');
    expect(joined).toContain('12:21:00');
    // Marked at the threshold and over it, not under it.
    expect(joined).toMatch(/ 91 % \(high\)/);
    expect(joined).toMatch(/ 89 %(?! \(high)/);
  });
});

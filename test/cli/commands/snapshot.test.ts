/**
 * `snapshot`: its printer over a fixed result. What the result holds (counts, bytes, scope) comes
 * from the file written, so the printer is tested on a hand-made record of it; the CLI tests
 * (test/cli/cli.test.ts) write and read back real snapshots.
 */
import { describe, expect, it } from 'vitest';
import type { SavedSnapshot } from '../../../src/checks/snapshot.js';
import { printSnapshot } from '../../../src/cli/commands/snapshot.js';
import { at } from '../../support/rows.js';

const saved: SavedSnapshot = {
  as_of: at('14:00:00.123456'),
  file: 'evidence/gpu-7.json.gz',
  bytes: 123_456,
  workers: 2,
  tasks: 17,
  system_logs: 4_210,
  scope: { workers: ['gpu-20251017_120000-00000001', 'gpu-20251017_130000-00000002'] },
};

describe('printSnapshot', () => {
  it('the file and its size, what it holds, and the command that reads it back at the same as-of', async () => {
    const text = printSnapshot(saved);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/snapshot-workers.txt');
    expect(text[0]).toBe('Evidence saved to evidence/gpu-7.json.gz (120.6 KiB)');
    // The as-of keeps its microseconds: reading back at a rounded instant would not give the same answers.
    expect(text.at(-1)).toBe('Read it back with: worker-forensics <command> --source snapshot:evidence/gpu-7.json.gz --as-of 2025-10-17T14:00:00.123456Z');
  });
});

/** §14 Memory profile check: any profile number, from the worker's last memory-profile line. */
import { describe, expect, it } from 'vitest';
import { memoryProfile, parseMemoryProfile } from '../../src/analyses/memory-profile.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import { evidenceOf } from '../../src/rows/signals.js';
import { at, log } from '../support/rows.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');

describe('parseMemoryProfile', () => {
  it.each([
    ['🧠 Using Memory Profile 4 (ram_tier=64GB)', 4],
    ['Memory Profile: 3', 3],
    ['memory profile=12', 12],
    ['Memory Profile #2', 2],
    ['MEMORY PROFILE 5', 5],
  ])('%s → %s (the guide knew only 3 and 4)', (message, profile) => {
    expect(parseMemoryProfile(message)).toBe(profile);
  });

  it('no number after "profile": none', () => {
    expect(parseMemoryProfile('Memory Profile unknown')).toBeNull();
    expect(parseMemoryProfile('no profile here, 4 GB')).toBeNull();
  });
});

describe('§14 memoryProfile', () => {
  it('reads any profile number from the last memory-profile line', () => {
    expect(parseMemoryProfile('🧠 Using Memory Profile 4 (ram_tier=64GB)')).toBe(4);
    expect(parseMemoryProfile('memory profile: 12')).toBe(12);
    expect(parseMemoryProfile('Memory Profile unknown')).toBeNull();
    const signals = computeSignalsForWorker(W, [log('12:00:00', 'Memory Profile 3 selected'), log('12:30:00', 'Switching to Memory Profile 5')], AS_OF);
    expect(memoryProfile(W, signals.memory_profile_line)).toEqual({ worker_id: W, memory_profile: 5, line: 'Switching to Memory Profile 5', at: at('12:30:00') });
    expect(memoryProfile(W, null)).toEqual({ worker_id: W, memory_profile: null, line: null, at: null });
  });

  it('a memory-profile line without a number keeps the line, with no profile', () => {
    expect(memoryProfile(W, evidenceOf(log('12:00:00', 'Memory Profile: default')))).toEqual({
      worker_id: W,
      memory_profile: null,
      line: 'Memory Profile: default',
      at: at('12:00:00'),
    });
  });
});

/**
 * §14 Memory profile check: any profile number, from the worker's last memory-profile line, in the
 * wording of any version (`Memory Profile N`, `--wgp-profile N`); and the memory evidence later
 * versions log: `[RAM]` samples, VRAM in the heartbeat's metadata.
 */
import { describe, expect, it } from 'vitest';
import { memoryProfile, parseMemoryProfile, parseRam, ramSamples } from '../../src/analyses/memory-profile.js';
import { BUILT_IN_VOCABULARY, compileVocabulary } from '../../src/config/vocabulary.js';
import { at, log, worker } from '../support/rows.js';

const V = BUILT_IN_VOCABULARY;
const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const ram = (time: string, label: string, mb: number, pct: number) =>
  log(time, `[RAM] ${label}: Process=${mb}MB (${(mb / 1024).toFixed(2)}GB) | System=${pct}% used, ${((128 * (100 - pct)) / 100).toFixed(1)}GB/128.0GB available`);

describe('parseMemoryProfile', () => {
  it.each([
    ['🧠 Using Memory Profile 4 (ram_tier=64GB)', 4],
    ['Memory Profile: 3', 3],
    ['memory profile=12', 12],
    ['Memory Profile #2', 2],
    ['MEMORY PROFILE 5', 5],
    ['Launch options: --wgp-profile 3 --attention sdpa', 3],
  ])('%s → %s (the guide knew only 3 and 4)', (message, profile) => {
    expect(parseMemoryProfile(message, V)).toBe(profile);
  });

  it('no number after "profile": none', () => {
    expect(parseMemoryProfile('Memory Profile unknown', V)).toBeNull();
    expect(parseMemoryProfile('no profile here, 4 GB', V)).toBeNull();
  });

  it('a markers file names the group that reads it', () => {
    expect(parseMemoryProfile('mem-profile=7', compileVocabulary({ memory_profile: ['mem-profile=(?<profile>\\d+)'] }))).toBe(7);
  });
});

describe('parseRam', () => {
  it('reads every field of a [RAM] sample', () => {
    expect(parseRam(ram('13:00:00', 'Before VLM loading', 5450, 45.3), V)).toEqual({
      at: at('13:00:00'),
      label: 'Before VLM loading',
      process_mb: 5450,
      system_used_pct: 45.3,
      available_gb: 70,
      total_gb: 128,
    });
  });

  it('a field the expression does not read is null; a line that is no sample is none', () => {
    const v = compileVocabulary({ ram: ['mem sys=(?<system_used_pct>\\d+)%'] });
    expect(parseRam(log('13:00:00', 'mem sys=92%'), v)).toEqual({ at: at('13:00:00'), label: null, process_mb: null, system_used_pct: 92, available_gb: null, total_gb: null });
    expect(parseRam(log('13:00:00', 'Step 3/30'), V)).toBeNull();
  });
});

describe('§14 memoryProfile', () => {
  it('reads the profile from the last memory-profile line, the samples oldest first, and VRAM from metadata', () => {
    const logs = [
      ram('13:10:00', 'After model load', 9000, 81.5),
      log('12:00:00', 'Memory Profile 3 selected'),
      ram('13:00:00', 'Startup', 1200, 20),
      log('12:30:00', 'Switching to Memory Profile 5'),
      ram('14:00:01', 'after as-of', 1, 1),
      log('13:00:00', 'Memory Profile 9 of another worker', { worker: 'gpu-other' }),
    ];
    const result = memoryProfile(W, logs, AS_OF, V, worker({ id: W, metadata: { vram_used_mb: 21000, vram_total_mb: 24576 } }));
    expect(result).toMatchObject({ worker_id: W, memory_profile: 5, line: 'Switching to Memory Profile 5', at: at('12:30:00'), vram: { used_mb: 21000, total_mb: 24576 } });
    expect(result.ram_samples.map((s) => [s.label, s.system_used_pct])).toEqual([
      ['Startup', 20],
      ['After model load', 81.5],
    ]);
    expect(result.coverage).toEqual({ memory_profile: 2, ram: 2 });
  });

  it('nothing logged: no profile, no samples, and coverage that says so', () => {
    expect(memoryProfile(W, [], AS_OF, V, worker({ id: W, metadata: null }))).toEqual({
      worker_id: W,
      memory_profile: null,
      line: null,
      at: null,
      ram_samples: [],
      vram: null,
      coverage: { memory_profile: 0, ram: 0 },
    });
  });

  it('a memory-profile line without a number keeps the line, with no profile', () => {
    expect(memoryProfile(W, [log('12:00:00', 'Memory Profile: default')], AS_OF, V)).toMatchObject({
      memory_profile: null,
      line: 'Memory Profile: default',
      at: at('12:00:00'),
    });
  });

  it('ramSamples reads only the worker\'s own [RAM] lines up to as-of', () => {
    expect(ramSamples([ram('13:00:00', 'a', 1, 2), log('13:00:01', '[RAM] a: Process=1MB (0GB) | System=2% used, 1GB/2GB available', { source: 'orchestrator_gpu' })], AS_OF, V)).toHaveLength(1);
  });
});

/** The workers `reports` investigates and the template's default worker, chosen from the classification of the window. */
import { describe, expect, it } from 'vitest';
import { DEATH_PATTERNS } from '../../src/analyses/crash-patterns.js';
import { classify } from '../../src/checks/crash-patterns.js';
import { patternExamples } from '../../src/checks/investigation.js';
import { readContext } from '../../src/checks/load.js';
import { openDemoSource } from '../../src/sources/demo.js';

describe('patternExamples', () => {
  const source = openDemoSource();
  const read = readContext(source, source.frozenAt!);

  it('one worker per pattern a death or a stall shows in the window, the newest death of each; no example of a live or never-started worker', async () => {
    const { result } = await classify(read, { hours: 24 });
    const examples = await patternExamples(read, 24);
    const reported = new Set([...DEATH_PATTERNS, 'stalled']);
    const seen = new Set(result.workers.map((c) => c.pattern).filter((p) => reported.has(p)));
    expect(new Set(examples.map((c) => c.pattern))).toEqual(seen);
    expect(examples.map((c) => c.pattern)).toHaveLength(seen.size);
    // A stalled worker is alive but its work is lost: the pack includes it.
    expect(seen.has('stalled')).toBe(true);
    for (const example of examples) {
      const newest = Math.max(...result.workers.filter((c) => c.pattern === example.pattern).map((c) => c.died_at ?? -Infinity));
      expect(example.died_at ?? -Infinity, example.id).toBe(newest);
    }
  });
});

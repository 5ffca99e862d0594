/** The embedded demo fleet as a source: simulated once per process, deterministically. */
import { DEFAULT_DEMO_SEED, simulateFleet } from './demo-fleet.js';
import { MemorySource } from './memory.js';

const cache = new Map<number, MemorySource>();

export function openDemoSource(seed: number = DEFAULT_DEMO_SEED): MemorySource {
  let source = cache.get(seed);
  if (!source) {
    const fleet = simulateFleet({ seed });
    source = new MemorySource(fleet, {
      kind: 'demo',
      label: `embedded demo fleet (simulated, seed ${seed})`,
      frozenAt: fleet.asOf,
    });
    cache.set(seed, source);
  }
  return source;
}

/**
 * The README's examples name demo-fleet workers and tasks: someone following them must find each
 * one in the demo fleet, or the first command they copy fails with "not found".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateFleet } from '../src/sources/demo-fleet.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const fleet = simulateFleet();
const examples = readme.split('\n').filter((line) => /worker-forensics \S+ /.test(line));

describe('the README examples', () => {
  it('name workers of the demo fleet', () => {
    const ids = [...new Set(examples.flatMap((line) => line.match(/gpu-\d{8}_\d{6}-[0-9a-f]{8}/g) ?? []))];
    expect(ids.length).toBeGreaterThan(0);
    const known = new Set(fleet.workers.map((w) => w['id']));
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
  });

  it('name tasks of the demo fleet', () => {
    const ids = [...new Set(examples.flatMap((line) => line.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g) ?? []))];
    const known = new Set(fleet.tasks.map((t) => t['id']));
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
  });
});

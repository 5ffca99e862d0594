/**
 * The library's imports go one way, down the data's path (README, Layout):
 *   foundation (config/, errors, redact, env, package-root) → rows/ → sources/ → analyses/ →
 *   checks/ → present/ → cli/ and notebook/ → index.ts
 * A module may import its own layer or a lower one, never a higher one, and no import cycle exists
 * anywhere in src/. Nothing in src/ imports the benchmark (bench/), the dev fixtures (dev/) or the
 * tests (test/): they import the library, never the other way round. The graph is read with
 * TypeScript's own pre-processor, so every static and dynamic import counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');
/** Folders beside src/ that may import the library but that the library may not import. */
const OUTSIDE_THE_LIBRARY = ['bench', 'dev', 'test'];

/** Layer of a module, by its path under src/. */
const LAYERS: readonly [name: string, matches: (file: string) => boolean][] = [
  ['foundation', (f) => f.startsWith('config/') || ['errors.ts', 'redact.ts', 'env.ts', 'package-root.ts'].includes(f)],
  ['rows', (f) => f.startsWith('rows/')],
  ['sources', (f) => f.startsWith('sources/')],
  ['analyses', (f) => f.startsWith('analyses/')],
  ['checks', (f) => f.startsWith('checks/')],
  ['present', (f) => f.startsWith('present/')],
  ['cli and notebook', (f) => f.startsWith('cli/') || f.startsWith('notebook/')],
  ['index', (f) => f === 'index.ts'],
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex(([, matches]) => matches(file));
  if (index < 0) throw new Error(`src/${file} belongs to no layer: place it in one (test/layers.test.ts)`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** Every module of src/ and the modules it imports, as paths relative to src/ (../dev/… when outside it). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(SRC, file), 'utf8'), true, true);
    const local = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts'));
    graph.set(file, [...new Set(local)]);
  }
  return graph;
}

const graph = importGraph();
const insideSrc = (file: string) => !file.startsWith('..');

describe('layers', () => {
  it('every module sits in a layer', () => {
    for (const file of graph.keys()) expect(() => layerOf(file)).not.toThrow();
  });

  it('no module imports from a higher layer', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports.filter(insideSrc)) {
        if (layerOf(target) > layerOf(file)) upward.push(`src/${file} (${LAYERS[layerOf(file)]![0]}) imports src/${target} (${LAYERS[layerOf(target)]![0]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('nothing in src/ imports bench/, dev/ or test/', () => {
    const outward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const fromRoot = path.posix.normalize(path.posix.join('src', target.split(path.sep).join('/')));
        if (OUTSIDE_THE_LIBRARY.includes(fromRoot.split('/')[0]!)) outward.push(`src/${file} imports ${fromRoot}`);
      }
    }
    expect(outward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('the test sees the whole graph (it would pass vacuously on an empty one)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
  });
});

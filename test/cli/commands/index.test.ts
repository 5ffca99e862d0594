/**
 * Every command has one layout (issue 8): `run` parses, calls the check and returns
 * `{ result, text: printX(result) }`; the exported printer at the bottom of the command's file is
 * snapshot-tested over a fixed result in test/cli/commands/<file>.test.ts. This holds the layout
 * for commands added later.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';

const SOURCES = path.resolve(__dirname, '../../../src/cli/commands');
const files = readdirSync(SOURCES).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('command files', () => {
  it('every command is defined in one of them', async () => {
    const defined = new Set<unknown>();
    for (const file of files) for (const value of Object.values(await import(path.join(SOURCES, file)))) defined.add(value);
    expect(COMMANDS.filter((c) => !defined.has(c)).map((c) => c.name)).toEqual([]);
  });

  it.each(files)('%s: each run returns its printer’s text, and the printers have file snapshots', async (file) => {
    const source = readFileSync(path.join(SOURCES, file), 'utf8');
    const printers = Object.entries(await import(path.join(SOURCES, file)))
      .filter(([name, value]) => /^print[A-Z]/.test(name) && typeof value === 'function')
      .map(([name]) => name);
    expect(printers.length, 'exported printers').toBeGreaterThan(0);
    expect(source.match(/text: print[A-Z]\w*\(/g)?.length, 'runs returning a printer’s text').toBe(source.match(/async run\(/g)?.length);
    const test = path.resolve(__dirname, file.replace(/\.ts$/, '.test.ts'));
    expect(existsSync(test), `${path.relative(process.cwd(), test)} exists`).toBe(true);
    const testSource = readFileSync(test, 'utf8');
    for (const printer of printers) expect(testSource, `${printer} snapshot-tested`).toMatch(new RegExp(`${printer}\\([^]*?toMatchFileSnapshot`));
  });
});

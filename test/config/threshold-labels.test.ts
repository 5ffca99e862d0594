/**
 * Every threshold figure a label quotes is read from THRESHOLDS (src/config/thresholds.ts), so
 * changing a threshold changes every label that names it. This test reads every string and
 * template literal of src/ outside config/ (TypeScript's own scanner: comments do not count) and
 * fails on a duration that equals a threshold, written with a unit (`40 s`, `5 min`, `1.5–5 min`).
 *
 * Not scanned: the demo fleet simulator, whose orchestrator log lines quote the real
 * orchestrator's own timeouts as data, the way the real one words them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../src/config/thresholds.js';

const SRC = path.resolve(__dirname, '../../src');
const EXCLUDED = [/^config\//, /^sources\/demo-fleet/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** The text of every string and template literal of a module (template parts one by one). */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(SRC, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Threshold durations in seconds: every THRESHOLDS entry named `…S` (ranges give both ends). */
function thresholdSeconds(): { name: string; seconds: number }[] {
  return Object.entries(THRESHOLDS).flatMap(([name, value]) => {
    if (!name.endsWith('S')) return [];
    if (typeof value === 'number') return [{ name, seconds: value }];
    return Object.entries(value as Record<string, number>).map(([end, seconds]) => ({ name: `${name}.${end}`, seconds }));
  });
}

const number = (n: number) => String(n).replace('.', '\\.');

/** `40 s`, `40s`, `40 seconds`, and for whole or half minutes `5 min`, `1.5 minutes`; also as the end of a range `1.5–5 min`. */
function patternsFor(seconds: number): RegExp[] {
  const forms = [`${number(seconds)}\\s?(?:s|sec|secs|seconds?)\\b`];
  const minutes = seconds / 60;
  if (seconds >= 60 && Number.isInteger(minutes * 2)) forms.push(`${number(minutes)}\\s?(?:min|mins|minutes?)\\b`);
  // The number must not be the tail of a longer one (`140 s`, `2.5 min`), and may start a range (`1.5–5 min`).
  return forms.flatMap((form) => [new RegExp(`(?<![\\d.])${form}`), new RegExp(`(?<![\\d.])${form.split('\\s?')[0]}\\s?[–-]\\s?[\\d.]+\\s?(?:s|min)\\b`)]);
}

describe('threshold labels', () => {
  const files = sourceFiles(SRC).filter((f) => !EXCLUDED.some((re) => re.test(f)));
  const thresholds = thresholdSeconds();

  it('no string outside config/ writes a threshold figure as a literal', () => {
    const found: string[] = [];
    for (const file of files) {
      for (const text of literals(file)) {
        for (const { name, seconds } of thresholds) {
          if (patternsFor(seconds).some((re) => re.test(text))) found.push(`src/${file}: "${text}" quotes THRESHOLDS.${name} (${seconds} s)`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('the scan finds a literal threshold when there is one (it is not vacuous)', () => {
    const hits = (text: string) => thresholds.filter(({ seconds }) => patternsFor(seconds).some((re) => re.test(text))).map((t) => t.name);
    expect(hits('gaps over 40 s')).toContain('loggedHeartbeatGapS');
    expect(hits('OOM window 1.5–5 min')).toEqual(expect.arrayContaining(['oomCrashWindowS.min', 'oomCrashWindowS.max']));
    expect(hits('within 10 min')).toContain('modelLoadCrashWindowS');
    expect(hits('the 600 s limit')).toContain('orchestratorStaleHeartbeatS');
    expect(hits('took 140 s, 2.5 min')).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});

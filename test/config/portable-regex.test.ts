/**
 * A marker expression must give the same answer in process (JavaScript) and in PostgreSQL (`~`
 * under the C collation, what the signals statement and PostgREST's `match` run). Unit cases for
 * the printing rules, then a property test against the real server: random expressions from the
 * supported syntax, random messages with the characters the engines could disagree on (case,
 * non-ASCII letters, line terminators, astral emoji, word boundaries), one answer each.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_MARKERS, MARKER_FAMILIES } from '../../src/config/markers.js';
import { portableRegex, PortableRegexError } from '../../src/config/portable-regex.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const jsMatches = (source: string, message: string) => new RegExp(portableRegex(source).js, 'u').test(message);

describe('printing', () => {
  it('ASCII letters match either case; other letters only themselves', () => {
    expect(jsMatches('MODEL SWITCH', '🔄 model switch: a -> b')).toBe(true);
    expect(jsMatches('é', 'É')).toBe(false);
    expect(jsMatches('[a-c]x', 'BX')).toBe(true);
    expect(jsMatches('[^a]', 'A')).toBe(false);
  });

  it('`.` is any character but a line terminator, and a code point (never half an emoji)', () => {
    expect(jsMatches('a.b', 'a\nb')).toBe(false);
    expect(jsMatches('a.b', 'a🔄b')).toBe(true);
    expect(jsMatches('^.$', '🔄')).toBe(true);
  });

  it('keeps named groups for JavaScript and drops their names for PostgreSQL', () => {
    const r = portableRegex(String.raw`Process=(?<mb>\d+)MB`);
    expect(r.groups).toEqual(['mb']);
    expect(r.js).toContain('(?<mb>');
    expect(r.pg).not.toContain('?<');
    expect(new RegExp(r.js, 'u').exec('Process=5450MB')?.groups?.['mb']).toBe('5450');
  });

  it('refuses what the two engines would read differently, saying what', () => {
    const refusal = (source: string) => {
      try {
        portableRegex(source);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(PortableRegexError);
        return (error as Error).message;
      }
    };
    expect(refusal(String.raw`(a)\1`)).toMatch(/back-references/);
    expect(refusal('(?<=a)b')).toMatch(/lookbehind/);
    expect(refusal(String.raw`\p{L}`)).toMatch(/property/);
    expect(refusal('(?i)a')).toMatch(/inline flags/);
    expect(refusal('a{1,300}')).toMatch(/255/);
    expect(refusal('(a')).toMatch(/missing "\)"/);
    expect(refusal('[a')).toMatch(/missing "\]"/);
    expect(refusal('*a')).toMatch(/nothing to repeat/);
    expect(refusal('')).toMatch(/empty/);
    expect(refusal('(?<x>a)(?<x>b)')).toMatch(/used twice/);
  });

  it('every built-in expression is portable', () => {
    for (const family of MARKER_FAMILIES) for (const source of BUILT_IN_MARKERS[family]) expect(() => portableRegex(source), `${family}: ${source}`).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------

/** Characters the engines could disagree on, and plain ones. */
const ALPHABET = ['a', 'B', 'z', 'Z', 'é', 'É', 'ß', 'İ', 'K', '0', '7', '_', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', '-', ':', '(', ')', '.', '[', ']', '🔄', '✅', '→', '|', '\\', '%'];

const charArb = fc.constantFrom(...ALPHABET);
const messageArb = fc.array(charArb, { maxLength: 14 }).map((cs) => cs.join(''));

/** Expressions built from the supported syntax, over the same alphabet. */
const literalArb = fc.constantFrom('a', 'B', 'z', 'é', 'ß', '0', '_', ' ', ':', '🔄', '→', String.raw`\(`, String.raw`\.`, String.raw`\[`, String.raw`\|`, String.raw`\\`, '-', '%');
const escapeArb = fc.constantFrom(String.raw`\d`, String.raw`\D`, String.raw`\w`, String.raw`\W`, String.raw`\s`, String.raw`\S`, '.', String.raw`\n`, String.raw`\u00e9`, String.raw`\x41`);
const classArb = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom('a-c', 'A-Z', '0-9', 'é', 'ß', '_', String.raw`\s`, String.raw`\d`, String.raw`\w`, '🔄', '.', '|', String.raw`\]`, String.raw`\-`, 'x-z'), { minLength: 1, maxLength: 3 }))
  .map(([neg, items]) => `[${neg ? '^' : ''}${items.join('')}]`);
const atomArb: fc.Arbitrary<string> = fc.oneof(literalArb, escapeArb, classArb);

const exprArb: fc.Arbitrary<string> = fc.letrec<{ expr: string; seq: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 4, arbitrary: atomArb },
    { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(?:${e})`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(?=${e})`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(?!${e})`) },
    { weight: 1, arbitrary: fc.constantFrom('^', '$', String.raw`\b`, String.raw`\B`) },
  ),
  seq: fc
    .array(
      fc.tuple(tie('term'), fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?', '??')),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.map(([t, q]) => (/^(\^|\$|\\b|\\B|\(\?[=!])/.test(t) ? t : t + q)).join('')),
  expr: fc.array(tie('seq'), { minLength: 1, maxLength: 2 }).map((alts) => alts.join('|')),
})).expr;

let db: TestDatabase;
/** A collation that reads letters as a language does (ICU's root locale, else the database's default). */
let naturalCollation = 'default';
beforeAll(async () => {
  db = await openTestDatabase();
  const icu = await db.sql<{ collname: string }[]>`select collname from pg_collation where collname = 'und-x-icu'`;
  if (icu[0]) naturalCollation = icu[0].collname;
});
afterAll(async () => {
  await db?.close();
});

/**
 * PostgreSQL's answer for each (pattern, message) pair, in one round trip: under the C collation
 * (the signals statement) and under the database's own, a natural-language one here (what
 * PostgREST's `match` runs under); the two must agree, or the answer depends on the server's locale.
 */
async function pgMatches(pairs: readonly { pg: string; message: string }[]): Promise<boolean[]> {
  const rows = await db.sql<{ c: boolean; native: boolean }[]>`
    select (m collate "C") ~ p as c, (m collate ${db.sql.unsafe(`"${naturalCollation}"`)}) ~ p as native
    from unnest(${pairs.map((p) => p.pg)}::text[], ${pairs.map((p) => p.message)}::text[]) with ordinality as t(p, m, n)
    order by n`;
  const split = rows.flatMap((r, i) => (r.c === r.native ? [] : [`${pairs[i]!.pg} on ${JSON.stringify(pairs[i]!.message)}`]));
  expect(split, 'the collation changed the answer').toEqual([]);
  return rows.map((r) => r.c);
}

describe('JavaScript and PostgreSQL agree', () => {
  it('on every built-in expression, over the drift table\'s wordings and random messages', async () => {
    const wordings = [
      '🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit',
      "🔄 MODEL SWITCH: Switching from a to b using WGP's preload_model_when_switching",
      '🔄 MODEL SWITCH: Offloading previous model X before loading Y',
      '🔄 MODEL SWITCH: Using WGP\'s generate_video pattern - switching from (current: X) to Y',
      'Model switch: a → b (12.3s)',
      'Model loaded: b',
      'gpu-1 switched model: X → Y',
      'Model switch completed in 12.3s',
      '[HEARTBEAT] ✅ Sent for worker gpu-1 with 3 logs',
      '✅ [HEARTBEAT] Worker gpu-1 active',
      '[RAM] Before VLM loading: Process=5450MB (5.32GB) | System=45.3% used, 58.2GB/128.0GB available',
      '🧠 Using Memory Profile 4',
      '🚀 Worker gpu-1 starting',
      'Worker ready (startup_phase=ready), polling for tasks',
      '[CLAIM] Claimed task 0b7c6d1e-0000-4000-8000-000000000000',
      'WORKER_LIFECYCLE [Worker gpu-1] MARKING AS ERROR: stale heartbeat',
      'Marking worker gpu-1 as error: heartbeat stale for 605s',
      '[WORKER_LOG_TAIL] Traceback (most recent call last):',
    ];
    const messages = [...wordings, ...fc.sample(messageArb, { numRuns: 200, seed: 7 })];
    const pairs = MARKER_FAMILIES.flatMap((family) =>
      BUILT_IN_MARKERS[family].flatMap((source) => messages.map((message) => ({ ...portableRegex(source), message }))),
    );
    const pg = await pgMatches(pairs);
    const disagreements = pairs.filter((p, i) => new RegExp(p.js, 'u').test(p.message) !== pg[i]).map((p) => `${p.source} on ${JSON.stringify(p.message)}`);
    expect(disagreements).toEqual([]);
    // The wordings are read by some expression (the test would be empty if they were not).
    expect(pairs.filter((p, i) => pg[i] && wordings.includes(p.message)).length).toBeGreaterThan(wordings.length);
  });

  it('on random expressions of the supported syntax and random messages', async () => {
    const cases = fc.sample(fc.tuple(exprArb, fc.array(messageArb, { minLength: 8, maxLength: 8 })), { numRuns: 200, seed: 20251017 });
    const pairs: { source: string; js: string; pg: string; message: string }[] = [];
    for (const [source, messages] of cases) {
      let printed;
      try {
        printed = portableRegex(source);
      } catch (error) {
        if (error instanceof PortableRegexError) continue; // refused: nothing to compare
        throw error;
      }
      for (const message of messages) pairs.push({ ...printed, message });
    }
    expect(pairs.length).toBeGreaterThan(1000);
    const pg = await pgMatches(pairs);
    const disagreements = pairs.filter((p, i) => new RegExp(p.js, 'u').test(p.message) !== pg[i]).map((p) => `${p.source} (pg ${p.pg}) on ${JSON.stringify(p.message)}`);
    expect(disagreements.slice(0, 10)).toEqual([]);
    // Both answers occur: a comparison of constant answers would prove nothing.
    expect(pg.filter(Boolean).length).toBeGreaterThan(pairs.length / 20);
    expect(pg.filter((m) => !m).length).toBeGreaterThan(pairs.length / 20);
  });
});

/**
 * A vocabulary: the marker families (markers.ts) compiled for every engine, the built-in one or
 * one extended by a markers file. The file is JSON, `{"<family>": ["<regular expression>", …]}`;
 * a family named in it replaces the built-in list of that family, the others stay built in. The
 * file comes from `--markers FILE` or `WORKER_FORENSICS_MARKERS`.
 */
import { readFileSync } from 'node:fs';
import { UsageError, messageOf } from '../errors.js';
import { BUILT_IN_MARKERS, FAMILY_WRITER, MARKER_FAMILIES, WORKER_SOURCE_TYPE, type MarkerFamily } from './markers.js';
import { anyOf, portableRegex, PortableRegexError, type Literals, type PortableRegex } from './portable-regex.js';

export const MARKERS_ENV = 'WORKER_FORENSICS_MARKERS';

export interface FamilyMatcher {
  family: MarkerFamily;
  writer: 'worker' | 'orchestrator';
  expressions: readonly PortableRegex[];
  /** Matches a message when any expression does (null: the family is empty and matches nothing). */
  test: RegExp | null;
  /** The same for PostgreSQL `~` and PostgREST `match` (null when empty). */
  pg: string | null;
  /**
   * Texts every line of the family contains (ASCII letters in either case), as alternatives of
   * texts that must all appear: a cheap first test in SQL; null when some expression names none.
   */
  literals: Literals | null;
  /** Each expression on its own, with its named groups. */
  readers: readonly RegExp[];
}

export interface Vocabulary {
  /** Where it comes from, fit to print: `built-in`, or the markers file's path. */
  origin: string;
  /** The markers file it was read from (null: built in). */
  file: string | null;
  /** Families the markers file replaced. */
  replaced: readonly MarkerFamily[];
  families: Readonly<Record<MarkerFamily, FamilyMatcher>>;
  /** Per writer, its families and one expression matching a line of any of them (a quick first test: most lines are none). */
  byWriter: Readonly<Record<'worker' | 'orchestrator', { families: readonly FamilyMatcher[]; any: RegExp | null }>>;
}

function compileFamily(family: MarkerFamily, sources: readonly string[], where: string): FamilyMatcher {
  const expressions = sources.map((source) => {
    try {
      return portableRegex(source);
    } catch (error) {
      const why = error instanceof PortableRegexError ? error.message : messageOf(error);
      throw new UsageError(`${where}: family "${family}": expression ${JSON.stringify(source)}: ${why}`);
    }
  });
  return {
    family,
    writer: FAMILY_WRITER[family],
    expressions,
    test: expressions.length ? new RegExp(anyOf(expressions, 'js'), 'u') : null,
    pg: expressions.length ? anyOf(expressions, 'pg') : null,
    literals: expressions.every((e) => e.literals !== null) ? expressions.flatMap((e) => e.literals!) : null,
    readers: expressions.map((e) => new RegExp(e.js, 'u')),
  };
}

export function compileVocabulary(overrides: Partial<Record<MarkerFamily, readonly string[]>> = {}, file: string | null = null): Vocabulary {
  const origin = file ?? 'built-in';
  const families = Object.fromEntries(
    MARKER_FAMILIES.map((family) => [family, compileFamily(family, overrides[family] ?? BUILT_IN_MARKERS[family], origin)]),
  ) as Record<MarkerFamily, FamilyMatcher>;
  const writerOf = (writer: 'worker' | 'orchestrator') => {
    const mine = MARKER_FAMILIES.map((f) => families[f]).filter((m) => m.writer === writer && m.expressions.length > 0);
    const expressions = mine.flatMap((m) => m.expressions);
    return { families: mine, any: expressions.length ? new RegExp(anyOf(expressions, 'js'), 'u') : null };
  };
  const byWriter = { worker: writerOf('worker'), orchestrator: writerOf('orchestrator') };
  return { origin, file, replaced: MARKER_FAMILIES.filter((f) => overrides[f] !== undefined), families, byWriter };
}

export const BUILT_IN_VOCABULARY: Vocabulary = compileVocabulary();

/** Reads and checks a markers file; every fault is a UsageError naming the file, family and expression. */
export function readMarkersFile(file: string): Vocabulary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`markers file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`markers file ${file}: not JSON (${messageOf(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`markers file ${file}: expected an object {"<family>": ["<regular expression>", …]}`);
  }
  const overrides: Partial<Record<MarkerFamily, string[]>> = {};
  for (const [family, list] of Object.entries(parsed)) {
    if (!(MARKER_FAMILIES as readonly string[]).includes(family)) {
      throw new UsageError(`markers file ${file}: unknown family "${family}" (expected one of ${MARKER_FAMILIES.join(', ')})`);
    }
    if (!Array.isArray(list) || !list.every((e) => typeof e === 'string')) {
      throw new UsageError(`markers file ${file}: family "${family}": expected a list of regular expressions (strings)`);
    }
    overrides[family as MarkerFamily] = list;
  }
  return compileVocabulary(overrides, file);
}

/** Whether a log line is one of the family's: written by the family's writer, and matched by it. */
export function isFamilyLine(vocabulary: Vocabulary, family: MarkerFamily, line: { source_type: string; message: string }): boolean {
  const matcher = vocabulary.families[family];
  if (matcher.test === null) return false;
  if ((line.source_type === WORKER_SOURCE_TYPE) !== (matcher.writer === 'worker')) return false;
  return matcher.test.test(line.message);
}

/** ASCII letters lower-cased, the rest as it is: what SQL `lower(text collate "C")` does. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/** Every family a log line belongs to (by its writer), in MARKER_FAMILIES order. */
export function lineFamilies(vocabulary: Vocabulary, line: { source_type: string; message: string }): MarkerFamily[] {
  const writer = vocabulary.byWriter[line.source_type === WORKER_SOURCE_TYPE ? 'worker' : 'orchestrator'];
  if (writer.any === null || !writer.any.test(line.message)) return [];
  return writer.families.filter((m) => m.test!.test(line.message)).map((m) => m.family);
}

/** The named values the family's first matching expression reads from a message (null when none matches). */
export function readFamilyValues(vocabulary: Vocabulary, family: MarkerFamily, message: string): Record<string, string> | null {
  for (const reader of vocabulary.families[family].readers) {
    const m = reader.exec(message);
    if (m) return Object.fromEntries(Object.entries(m.groups ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }
  return null;
}

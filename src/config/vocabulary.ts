/**
 * A vocabulary: the marker families (markers.ts) compiled for every engine, the built-in one or
 * one extended by a markers file. The file is JSON, `{"<family>": ["<regular expression>", …]}`;
 * a family named in it replaces the built-in list of that family, the others stay built in. The
 * file comes from `--markers FILE` or `WORKER_FORENSICS_MARKERS`.
 */
import { readFileSync } from 'node:fs';
import { UsageError, messageOf } from '../errors.js';
import { BUILT_IN_MARKERS, FAMILY_WRITER, MARKER_FAMILIES, WORKER_SOURCE_TYPE, type MarkerFamily } from './markers.js';
import { anyOf, portableRegex, PortableRegexError, type PortableRegex } from './portable-regex.js';

export const MARKERS_ENV = 'WORKER_FORENSICS_MARKERS';

export interface FamilyMatcher {
  family: MarkerFamily;
  writer: 'worker' | 'orchestrator';
  expressions: readonly PortableRegex[];
  /** Matches a message when any expression does (null: the family is empty and matches nothing). */
  test: RegExp | null;
  /** The same for PostgreSQL `~` and PostgREST `match` (null when empty). */
  pg: string | null;
  /** Each expression on its own, with its named groups. */
  readers: readonly RegExp[];
}

export interface Vocabulary {
  /** Where it comes from, fit to print: `built-in`, or the markers file's path. */
  origin: string;
  /** Families the markers file replaced. */
  replaced: readonly MarkerFamily[];
  families: Readonly<Record<MarkerFamily, FamilyMatcher>>;
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
    readers: expressions.map((e) => new RegExp(e.js, 'u')),
  };
}

export function compileVocabulary(
  overrides: Partial<Record<MarkerFamily, readonly string[]>> = {},
  origin = 'built-in',
): Vocabulary {
  const families = Object.fromEntries(
    MARKER_FAMILIES.map((family) => [family, compileFamily(family, overrides[family] ?? BUILT_IN_MARKERS[family], origin)]),
  ) as Record<MarkerFamily, FamilyMatcher>;
  return { origin, replaced: MARKER_FAMILIES.filter((f) => overrides[f] !== undefined), families };
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

/** The named values the family's first matching expression reads from a message (null when none matches). */
export function readFamilyValues(vocabulary: Vocabulary, family: MarkerFamily, message: string): Record<string, string> | null {
  for (const reader of vocabulary.families[family].readers) {
    const m = reader.exec(message);
    if (m) return Object.fromEntries(Object.entries(m.groups ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }
  return null;
}

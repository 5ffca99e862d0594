/**
 * Marker expressions are JavaScript regular expressions, but they must give the same answer in
 * three engines: in-process (JavaScript), in PostgreSQL (`~`, for the Postgres source's signals
 * statement) and behind PostgREST (`match`, for the Supabase source's reads). This module parses a
 * marker's source into a small syntax tree and prints it twice, once per engine, using only
 * constructs that mean the same in both:
 *
 * - ASCII letters match either case, every other character itself (`[aA]` is spelled out: the
 *   engines disagree on folding anything else, and `~*` would fold by the server's locale);
 * - `.` is "any character but a line terminator", as JavaScript means it, spelled out as a class;
 * - `\d`, `\w`, `\s` are spelled out as JavaScript's ASCII/Unicode sets, and `\b`, `\B` as
 *   lookaround on ASCII word characters (PostgreSQL's own `\y` would follow the column's locale,
 *   which PostgREST does not let us choose);
 * - groups (capturing, named, non-capturing), alternation, greedy and lazy quantifiers up to 255,
 *   anchors, and lookahead `(?=…)`, `(?!…)`;
 * - JavaScript is compiled with the `u` flag, so that a character is a code point in both engines.
 *
 * Anything else (back-references, lookbehind, Unicode property escapes, inline flags, bounds over
 * 255) is refused with a message naming what, so a marker never means one thing in the database
 * and another in process.
 */

export class PortableRegexError extends Error {
  override readonly name = 'PortableRegexError';
}

/** A code point range, both ends inclusive. */
interface Range {
  lo: number;
  hi: number;
}

type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'char'; cp: number }
  | { t: 'class'; negated: boolean; ranges: Range[] }
  | { t: 'group'; kind: 'capture' | 'noncapture' | 'lookahead' | 'negative-lookahead'; name: string | null; body: Node }
  | { t: 'quant'; body: Node; min: number; max: number | null; lazy: boolean }
  | { t: 'start' }
  | { t: 'end' }
  | { t: 'word-boundary'; negated: boolean };

/** PostgreSQL's limit on a bound (RE_DUPMAX). */
const MAX_BOUND = 255;

const LINE_TERMINATORS: Range[] = [
  { lo: 0x0a, hi: 0x0a },
  { lo: 0x0d, hi: 0x0d },
  { lo: 0x2028, hi: 0x2029 },
];
const DIGITS: Range[] = [{ lo: 0x30, hi: 0x39 }];
const WORD: Range[] = [
  { lo: 0x30, hi: 0x39 },
  { lo: 0x41, hi: 0x5a },
  { lo: 0x5f, hi: 0x5f },
  { lo: 0x61, hi: 0x7a },
];
/** JavaScript's `\s`: WhiteSpace and LineTerminator of ECMA-262. */
const SPACE: Range[] = [
  { lo: 0x09, hi: 0x0d },
  { lo: 0x20, hi: 0x20 },
  { lo: 0xa0, hi: 0xa0 },
  { lo: 0x1680, hi: 0x1680 },
  { lo: 0x2000, hi: 0x200a },
  { lo: 0x2028, hi: 0x2029 },
  { lo: 0x202f, hi: 0x202f },
  { lo: 0x205f, hi: 0x205f },
  { lo: 0x3000, hi: 0x3000 },
  { lo: 0xfeff, hi: 0xfeff },
];
const MAX_CODE_POINT = 0x10ffff;

class Parser {
  private pos = 0;
  private readonly cps: number[];

  constructor(private readonly source: string) {
    this.cps = [...source].map((ch) => ch.codePointAt(0)!);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.cps.length) this.fail(`unmatched "${this.peekChar()}"`);
    return node;
  }

  private fail(what: string): never {
    throw new PortableRegexError(`${what} at position ${this.pos + 1}`);
  }

  private peek(): number | undefined {
    return this.cps[this.pos];
  }

  private peekChar(): string {
    const cp = this.peek();
    return cp === undefined ? 'end' : String.fromCodePoint(cp);
  }

  private eat(ch: string): boolean {
    if (this.peek() === ch.codePointAt(0)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private lookingAt(text: string): boolean {
    const want = [...text].map((c) => c.codePointAt(0)!);
    return want.every((cp, i) => this.cps[this.pos + i] === cp);
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.eat('|')) options.push(this.sequence());
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      const cp = this.peek();
      if (cp === undefined || cp === 0x7c /* | */ || cp === 0x29 /* ) */) break;
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private atom(): Node {
    const ch = this.peekChar();
    switch (ch) {
      case '^':
        this.pos++;
        return { t: 'start' };
      case '$':
        this.pos++;
        return { t: 'end' };
      case '.':
        this.pos++;
        return { t: 'class', negated: true, ranges: LINE_TERMINATORS };
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat before "${ch}"`);
      case '{':
        if (this.bound() !== null) this.fail('nothing to repeat before "{"');
        this.pos++;
        return { t: 'char', cp: 0x7b };
      case ']':
      case '}':
      default:
        this.pos++;
        return { t: 'char', cp: ch.codePointAt(0)! };
    }
  }

  private group(): Node {
    this.pos++; // (
    let kind: Extract<Node, { t: 'group' }>['kind'] = 'capture';
    let name: string | null = null;
    if (this.eat('?')) {
      if (this.eat(':')) kind = 'noncapture';
      else if (this.eat('=')) kind = 'lookahead';
      else if (this.eat('!')) kind = 'negative-lookahead';
      else if (this.lookingAt('<=') || this.lookingAt('<!')) this.fail('lookbehind is not supported (PostgreSQL and JavaScript differ on it)');
      else if (this.eat('<')) {
        const start = this.pos;
        while (this.peek() !== undefined && this.peekChar() !== '>') this.pos++;
        name = String.fromCodePoint(...this.cps.slice(start, this.pos));
        if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) this.fail(`invalid group name "${name}"`);
        if (!this.eat('>')) this.fail('unterminated group name');
      } else this.fail('inline flags and other (?…) groups are not supported');
    }
    const body = this.alternation();
    if (!this.eat(')')) this.fail('missing ")"');
    return { t: 'group', kind, name, body };
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, without consuming it; null when it is not a bound. */
  private bound(): { min: number; max: number | null; length: number } | null {
    const rest = String.fromCodePoint(...this.cps.slice(this.pos, this.pos + 20));
    const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(rest);
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
    return { min, max, length: [...m[0]].length };
  }

  private quantified(atom: Node): Node {
    let min: number;
    let max: number | null;
    const ch = this.peekChar();
    if (ch === '*') [min, max] = [0, null];
    else if (ch === '+') [min, max] = [1, null];
    else if (ch === '?') [min, max] = [0, 1];
    else if (ch === '{') {
      const b = this.bound();
      if (b === null) return atom;
      [min, max] = [b.min, b.max];
      this.pos += b.length - 1;
    } else return atom;
    this.pos++;
    if (atom.t === 'start' || atom.t === 'end' || atom.t === 'word-boundary' || (atom.t === 'group' && atom.kind !== 'capture' && atom.kind !== 'noncapture')) {
      this.fail('a quantifier must follow something that matches characters');
    }
    if (min > MAX_BOUND || (max !== null && max > MAX_BOUND)) this.fail(`bounds over ${MAX_BOUND} are not supported`);
    if (max !== null && max < min) this.fail('bounds out of order');
    const lazy = this.eat('?');
    return { t: 'quant', body: atom, min, max, lazy };
  }

  private escape(): Node {
    this.pos++; // backslash
    const cp = this.peek();
    if (cp === undefined) this.fail('trailing backslash');
    const ch = String.fromCodePoint(cp);
    this.pos++;
    switch (ch) {
      case 'd':
        return { t: 'class', negated: false, ranges: DIGITS };
      case 'D':
        return { t: 'class', negated: true, ranges: DIGITS };
      case 'w':
        return { t: 'class', negated: false, ranges: WORD };
      case 'W':
        return { t: 'class', negated: true, ranges: WORD };
      case 's':
        return { t: 'class', negated: false, ranges: SPACE };
      case 'S':
        return { t: 'class', negated: true, ranges: SPACE };
      case 'b':
        return { t: 'word-boundary', negated: false };
      case 'B':
        return { t: 'word-boundary', negated: true };
      default:
        return { t: 'char', cp: this.characterEscape(ch) };
    }
  }

  /** The code point of a character escape (after the backslash), shared by atoms and classes. */
  private characterEscape(ch: string): number {
    switch (ch) {
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'v':
        return 0x0b;
      case 'f':
        return 0x0c;
      case '0':
        if (this.peek() !== undefined && /[0-9]/.test(this.peekChar())) this.fail('octal escapes are not supported');
        return 0;
      case 'x': {
        const hex = this.hexDigits(2);
        return hex;
      }
      case 'u': {
        if (this.eat('{')) {
          const start = this.pos;
          while (this.peek() !== undefined && /[0-9a-fA-F]/.test(this.peekChar())) this.pos++;
          const value = parseInt(String.fromCodePoint(...this.cps.slice(start, this.pos)), 16);
          if (!this.eat('}') || !(value <= MAX_CODE_POINT)) this.fail('invalid \\u{…} escape');
          return value;
        }
        return this.hexDigits(4);
      }
      default:
        if (/[1-9]/.test(ch) || ch === 'k') this.fail('back-references are not supported');
        if (ch === 'p' || ch === 'P') this.fail('Unicode property escapes are not supported');
        if (ch === 'c') this.fail('control escapes (\\c) are not supported');
        if (/[A-Za-z0-9]/.test(ch)) this.fail(`unknown escape "\\${ch}"`);
        return ch.codePointAt(0)!;
    }
  }

  private hexDigits(count: number): number {
    const digits = String.fromCodePoint(...this.cps.slice(this.pos, this.pos + count));
    if (digits.length !== count || !/^[0-9a-fA-F]+$/.test(digits)) this.fail('invalid hexadecimal escape');
    this.pos += count;
    return parseInt(digits, 16);
  }

  private characterClass(): Node {
    this.pos++; // [
    const negated = this.eat('^');
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      const cp = this.peek();
      if (cp === undefined) this.fail('missing "]"');
      if (cp === 0x5d /* ] */ && !first) break;
      if (cp === 0x5d && first) this.fail('empty character classes are not supported');
      first = false;
      const lo = this.classAtom();
      if (Array.isArray(lo)) {
        ranges.push(...lo);
        continue;
      }
      if (this.peekChar() === '-' && this.cps[this.pos + 1] !== undefined && this.cps[this.pos + 1] !== 0x5d) {
        this.pos++;
        const hi = this.classAtom();
        if (Array.isArray(hi)) this.fail('a class escape cannot end a range');
        if (hi < lo) this.fail('range out of order in character class');
        ranges.push({ lo, hi });
      } else ranges.push({ lo, hi: lo });
    }
    this.pos++; // ]
    return { t: 'class', negated, ranges };
  }

  /** One member of a class: a code point, or the ranges of `\d`, `\w`, `\s`. */
  private classAtom(): number | Range[] {
    const cp = this.peek()!;
    this.pos++;
    if (cp !== 0x5c) return cp;
    const next = this.peek();
    if (next === undefined) this.fail('trailing backslash');
    const ch = String.fromCodePoint(next);
    this.pos++;
    if (ch === 'd') return DIGITS;
    if (ch === 'w') return WORD;
    if (ch === 's') return SPACE;
    if (ch === 'D' || ch === 'W' || ch === 'S') this.fail(`\\${ch} inside a character class is not supported`);
    if (ch === 'b') return 0x08;
    if (ch === '-') return 0x2d;
    return this.characterEscape(ch);
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

/** Sorted, merged ranges, with the other case of every ASCII letter added. */
function foldedRanges(ranges: readonly Range[]): Range[] {
  const all: Range[] = [...ranges];
  for (const { lo, hi } of ranges) {
    for (const [from, to, shift] of [
      [0x61, 0x7a, -0x20],
      [0x41, 0x5a, 0x20],
    ] as const) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, to);
      if (a <= b) all.push({ lo: a + shift, hi: b + shift });
    }
  }
  all.sort((x, y) => x.lo - y.lo);
  const merged: Range[] = [];
  for (const r of all) {
    const last = merged[merged.length - 1];
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi);
    else merged.push({ ...r });
  }
  return merged;
}

const isAsciiLetter = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
const isAsciiAlnum = (cp: number) => isAsciiLetter(cp) || (cp >= 0x30 && cp <= 0x39);

/** A code point as both engines read it inside a class: printable ones as themselves, the rest as escapes. */
function classMember(cp: number): string {
  if (isAsciiAlnum(cp)) return String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x200f)) {
    return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : String.fromCodePoint(cp);
  }
  if (cp < 0x80) return `\\u${cp.toString(16).padStart(4, '0')}`; // ASCII punctuation: `]`, `-`, `^`, `\` and friends, unambiguous
  if (cp >= 0xd800 && cp <= 0xdfff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return String.fromCodePoint(cp);
}

function printClass(node: Extract<Node, { t: 'class' }>): string {
  const ranges = foldedRanges(node.ranges);
  // `[^…]` of everything would be the empty class: both engines read a full complement oddly.
  if (node.negated && ranges.length === 1 && ranges[0]!.lo === 0 && ranges[0]!.hi === MAX_CODE_POINT) {
    throw new PortableRegexError('a class that matches nothing is not supported');
  }
  const body = ranges.map(({ lo, hi }) => (lo === hi ? classMember(lo) : `${classMember(lo)}-${classMember(hi)}`)).join('');
  return `[${node.negated ? '^' : ''}${body}]`;
}

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/'].map((c) => c.codePointAt(0)!));

function printChar(cp: number): string {
  if (isAsciiLetter(cp)) {
    const lower = String.fromCodePoint(cp | 0x20);
    return `[${lower.toUpperCase()}${lower}]`;
  }
  if (SYNTAX.has(cp)) return `\\${String.fromCodePoint(cp)}`;
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp === 0x09) return '\\t';
  if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029 || (cp >= 0xd800 && cp <= 0xdfff)) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return String.fromCodePoint(cp);
}

type Engine = 'js' | 'pg';

function print(node: Node, engine: Engine): string {
  switch (node.t) {
    case 'seq':
      return node.items.map((n) => print(n, engine)).join('');
    case 'alt':
      return node.options.map((n) => print(n, engine)).join('|');
    case 'char':
      return printChar(node.cp);
    case 'class':
      return printClass(node);
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'word-boundary': {
      if (engine === 'js') return node.negated ? '\\B' : '\\b';
      // PostgreSQL's \y reads word characters by the column's locale; spelled out, it reads ASCII as JavaScript does.
      const w = '[0-9A-Z_a-z]';
      return node.negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
    }
    case 'group': {
      const body = print(node.body, engine);
      switch (node.kind) {
        case 'capture':
          return engine === 'js' && node.name !== null ? `(?<${node.name}>${body})` : `(${body})`;
        case 'noncapture':
          return `(?:${body})`;
        case 'lookahead':
          return `(?=${body})`;
        case 'negative-lookahead':
          return `(?!${body})`;
      }
      break;
    }
    case 'quant': {
      const body = node.body;
      const single = body.t === 'char' || body.t === 'class' || body.t === 'group';
      const printed = single ? print(body, engine) : `(?:${print(body, engine)})`;
      const q =
        node.min === 0 && node.max === null
          ? '*'
          : node.min === 1 && node.max === null
            ? '+'
            : node.min === 0 && node.max === 1
              ? '?'
              : node.max === null
                ? `{${node.min},}`
                : node.max === node.min
                  ? `{${node.min}}`
                  : `{${node.min},${node.max}}`;
      return `${printed}${q}${node.lazy ? '?' : ''}`;
    }
  }
}

function groupNames(node: Node, out: string[] = []): string[] {
  switch (node.t) {
    case 'seq':
      node.items.forEach((n) => groupNames(n, out));
      break;
    case 'alt':
      node.options.forEach((n) => groupNames(n, out));
      break;
    case 'group':
      if (node.name !== null) out.push(node.name);
      groupNames(node.body, out);
      break;
    case 'quant':
      groupNames(node.body, out);
      break;
    default:
  }
  return out;
}

export interface PortableRegex {
  /** The expression as written. */
  source: string;
  /**
   * Texts a matching line contains (ASCII letters in either case), as alternatives of texts that
   * must all appear: a cheap first test in SQL before the expression runs; null when it names none.
   */
  literals: Literals | null;
  /** The one text the whole expression matches, when it is plain text (no class, group or quantifier): a text search is the whole test. */
  exact: string | null;
  /** For JavaScript, compiled with the `u` flag; named groups kept. */
  js: string;
  /** For PostgreSQL `~` (under the C collation) and PostgREST `match`; groups unnamed. */
  pg: string;
  /** The named groups, in order: the values a marker reads from its line. */
  groups: string[];
}

/** Parses a marker expression and prints it for both engines; PortableRegexError says what is unsupported. */
export function portableRegex(source: string): PortableRegex {
  if (source === '') throw new PortableRegexError('an empty expression matches every line');
  const tree = new Parser(source).parse();
  const names = groupNames(tree);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new PortableRegexError(`group name "${duplicate}" is used twice`);
  const js = print(tree, 'js');
  try {
    new RegExp(js, 'u');
  } catch (error) {
    throw new PortableRegexError(`not a valid expression (${(error as Error).message})`);
  }
  return { source, js, pg: print(tree, 'pg'), groups: names, literals: requiredLiterals(tree), exact: exactText(tree) };
}

/** Literals shorter than this are not worth a first test (almost every line has them). */
const MIN_LITERAL = 3;

/** Alternatives, each a set of texts that must all appear: a match satisfies at least one alternative. */
export type Literals = string[][];

/**
 * What a match must contain, as alternatives of texts that must all appear: a sequence needs every
 * run of plain characters it has (and what its other mandatory parts need, when that is one set);
 * an alternation needs what one of its options needs. Parts that may match nothing (optional,
 * lookahead, classes) need nothing. Null when some alternative needs no text of MIN_LITERAL.
 */
function requiredLiterals(node: Node): Literals | null {
  const found = literalsOf(node);
  if (found === null) return null;
  // A short text is kept when it is rare: one with a character outside ASCII (an emoji, an arrow).
  const kept = found.map((all) => all.filter((l) => [...l].length >= MIN_LITERAL || /[^\x00-\x7f]/.test(l)));
  return kept.every((all) => all.length > 0) ? kept : null;
}

function literalsOf(node: Node): Literals | null {
  switch (node.t) {
    case 'char':
      return [[String.fromCodePoint(node.cp)]];
    case 'alt': {
      const options = node.options.map(literalsOf);
      return options.every((o) => o !== null) ? (options as Literals[]).flat() : null;
    }
    case 'group':
      return node.kind === 'capture' || node.kind === 'noncapture' ? literalsOf(node.body) : null;
    case 'quant':
      return node.min >= 1 ? literalsOf(node.body) : null;
    case 'seq': {
      const all: string[] = [];
      let run = '';
      const endRun = () => {
        if (run !== '') all.push(run);
        run = '';
      };
      for (const item of node.items) {
        const exact = exactText(item);
        if (exact !== null) {
          run += exact;
          continue;
        }
        endRun();
        const inner = literalsOf(item);
        // One alternative: all of it is needed too; several would multiply out, so they are left to the expression.
        if (inner !== null && inner.length === 1) all.push(...inner[0]!);
      }
      endRun();
      return all.length > 0 ? [all] : null;
    }
    default:
      return null;
  }
}

/** The exact text a part always matches (a character, or a group of exact parts), else null. */
function exactText(node: Node): string | null {
  switch (node.t) {
    case 'char':
      return String.fromCodePoint(node.cp);
    case 'seq': {
      const parts = node.items.map(exactText);
      return parts.every((p) => p !== null) ? parts.join('') : null;
    }
    case 'group':
      return node.kind === 'capture' || node.kind === 'noncapture' ? exactText(node.body) : null;
    case 'quant':
      return node.min === node.max && node.min >= 1 && exactText(node.body) !== null ? exactText(node.body)!.repeat(node.min) : null;
    default:
      return null;
  }
}

/** Several expressions as one that matches a line when any of them does. */
export function anyOf(expressions: readonly PortableRegex[], engine: Engine): string {
  return expressions.map((e) => `(?:${engine === 'js' ? stripNames(e.js) : e.pg})`).join('|');
}

/** The JS form without group names (one alternation may not repeat a name in Node 20). */
function stripNames(js: string): string {
  return js.replace(/\(\?<([A-Za-z_$][A-Za-z0-9_$]*)>/g, '(');
}

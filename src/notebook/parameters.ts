/**
 * Notebook parameters, papermill's convention for TypeScript: one code cell tagged `parameters`
 * declares typed defaults (`let hours: number = 24;`), and a run inserts a cell tagged
 * `injected-parameters` right after it that re-declares the given values (tslab lets a later cell
 * re-declare a `let`). The values are also recorded in the notebook's metadata.
 *
 * Parameters never carry credentials: those reach the kernel through its environment. Anything
 * secret-shaped in a value is redacted before it is written into the cell or the metadata.
 */
import { readFileSync } from 'node:fs';
import { UsageError, messageOf } from '../errors.js';
import { toolVersion } from '../package-root.js';
import { redactDeep, shownInput } from '../redact.js';

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_TAG = 'injected-parameters';
/** Tag of the markdown cell python/run_notebook.py puts at the top of a notebook whose run failed. */
export const FAILURE_TAG = 'execution-failure';

export type ParameterType = 'string' | 'number' | 'boolean';
export type ParameterValue = string | number | boolean;

export interface ParameterDeclaration {
  name: string;
  type: ParameterType;
  defaultValue: ParameterValue;
}

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** An nbformat 4 notebook, as JSON. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

export interface InjectOptions {
  /** Names the notebook in error messages (its path). */
  label?: string;
  /** When the run happened (recorded as `rendered_at`). */
  now?: Date;
}

/** Reads an .ipynb file; a missing or malformed file is a UsageError naming it. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `notebook ${file} does not exist` : `cannot read notebook ${file}: ${messageOf(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not a notebook: not valid JSON`);
  }
  const nb = json as Partial<Notebook> | null;
  if (!nb || typeof nb !== 'object' || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new UsageError(`${file} is not an nbformat 4 notebook`);
  }
  return { nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 0, metadata: nb.metadata ?? {}, cells: nb.cells };
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

function hasTag(cell: NotebookCell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** Index of the one code cell tagged `parameters`; none or several is a UsageError. */
export function findParametersCell(nb: Notebook, label = 'the notebook'): number {
  const indexes = nb.cells.flatMap((cell, i) => (cell.cell_type === 'code' && hasTag(cell, PARAMETERS_TAG) ? [i] : []));
  if (indexes.length === 0) throw new UsageError(`${label} has no code cell tagged "${PARAMETERS_TAG}"`);
  if (indexes.length > 1) throw new UsageError(`${label} has ${indexes.length} code cells tagged "${PARAMETERS_TAG}"; it needs exactly one`);
  return indexes[0]!;
}

const DECLARATION = /^let\s+([A-Za-z_$][\w$]*)\s*(?::\s*(string|number|boolean)\s*)?=\s*(.*)$/;
const NUMBER_LITERAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const EXPECTED = 'expected `let name: string|number|boolean = value;`';

/** Splits `value; // comment` into the literal's value and type, or null when it is not a literal. */
function parseLiteral(text: string): { value: ParameterValue; type: ParameterType; rest: string } | null {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    // Rewritten as a JSON string: TS's common escapes are JSON's, except `\'` and a bare `"`.
    let json = '"';
    let end = 1;
    for (; end < text.length && text[end] !== quote; end++) {
      const char = text[end]!;
      if (char === '\\') {
        const next = text[++end] ?? '';
        json += next === "'" ? "'" : `\\${next}`;
      } else {
        json += char === '"' ? '\\"' : char;
      }
    }
    if (end >= text.length) return null;
    try {
      return { value: JSON.parse(`${json}"`) as string, type: 'string', rest: text.slice(end + 1) };
    } catch {
      return null;
    }
  }
  const bool = /^(true|false)\b/.exec(text);
  if (bool) return { value: bool[1] === 'true', type: 'boolean', rest: text.slice(bool[0].length) };
  const number = NUMBER_LITERAL.exec(text);
  if (number) return { value: Number(number[0]), type: 'number', rest: text.slice(number[0].length) };
  return null;
}

/** The declarations of a parameters cell's source (one `let` per line; blank and `//` lines allowed). */
export function parseParameterDeclarations(source: string, label = 'the notebook'): ParameterDeclaration[] {
  const declarations: ParameterDeclaration[] = [];
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('//')) continue;
    const where = `${label}, parameters cell line ${i + 1}`;
    const match = DECLARATION.exec(line);
    const literal = match ? parseLiteral(match[3]!) : null;
    if (!match || !literal || !/^\s*;?\s*(\/\/.*)?$/.test(literal.rest)) throw new UsageError(`${where}: ${EXPECTED}`);
    const name = match[1]!;
    const type = (match[2] as ParameterType | undefined) ?? literal.type;
    if (type !== literal.type) throw new UsageError(`${where}: ${name} is declared ${type} but its default is a ${literal.type}`);
    if (declarations.some((d) => d.name === name)) throw new UsageError(`${where}: ${name} is declared twice`);
    declarations.push({ name, type, defaultValue: literal.value });
  }
  return declarations;
}

/** The parameters a notebook declares, in order. */
export function declaredParameters(nb: Notebook, label = 'the notebook'): ParameterDeclaration[] {
  return parseParameterDeclarations(cellSource(nb.cells[findParametersCell(nb, label)]!), label);
}

/** `["hours=6", "workerId=gpu-1"]` (the CLI's repeated `-p name=value`) → `{ hours: "6", workerId: "gpu-1" }`. */
export function parseParameterArgs(args: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? '' : arg.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new UsageError(`-p expects name=value, got "${shownInput(arg)}"`);
    if (name in values) throw new UsageError(`-p ${name} is given twice`);
    values[name] = arg.slice(eq + 1);
  }
  return values;
}

function coerce(declaration: ParameterDeclaration, value: unknown): ParameterValue {
  const { name, type } = declaration;
  const shown = typeof value === 'string' ? `"${shownInput(value)}"` : String(value);
  if (type === 'string' && typeof value === 'string') return value;
  if (type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
  }
  throw new UsageError(`parameter ${name} is a ${type}, got ${shown}`);
}

/**
 * Checks `values` against the declarations and converts them to the declared types (strings from
 * the command line become numbers and booleans). `undefined` values count as not given.
 */
export function coerceParameters(
  declarations: readonly ParameterDeclaration[],
  values: Record<string, unknown>,
  label = 'the notebook',
): Record<string, ParameterValue> {
  const given: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const declaration = declarations.find((d) => d.name === name);
    if (!declaration) {
      const known = declarations.map((d) => d.name).join(', ') || 'none';
      throw new UsageError(`${label} has no parameter "${shownInput(name)}" (its parameters: ${known})`);
    }
    given[name] = coerce(declaration, value);
  }
  return given;
}

/**
 * A TypeScript literal for a value. Strings are JSON-escaped and `<` is escaped too, so that a
 * value can never close a `<script>` or open an HTML comment wherever the cell's text ends up.
 */
export function typescriptLiteral(value: ParameterValue): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function withCellIds(nb: Notebook): Notebook {
  const taken = new Set(nb.cells.flatMap((c) => (c.id ? [c.id] : [])));
  const cells = nb.cells.map((cell, i) => {
    if (cell.id) return cell;
    let id = `cell-${i}`;
    while (taken.has(id)) id += '-';
    taken.add(id);
    return { ...cell, id };
  });
  // Cell ids are nbformat 4.5: the notebook is upgraded so that it validates with them.
  return { ...nb, nbformat_minor: Math.max(nb.nbformat_minor, 5), cells };
}

/** The notebook with no outputs, execution counts or failure note from an earlier run. */
export function stripOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells
      .filter((cell) => !hasTag(cell, FAILURE_TAG))
      .map((cell) => (cell.cell_type === 'code' ? { ...cell, outputs: [], execution_count: null } : cell)),
  };
}

/**
 * A copy of `nb` with the given values injected after its parameters cell (replacing an injected
 * cell from an earlier run, wherever it is) and recorded in its metadata: the given values under
 * `papermill.parameters` (papermill's key), every parameter's effective value under
 * `worker_forensics.parameters`. Unknown names and ill-typed values are UsageErrors.
 */
export function injectParameters(nb: Notebook, values: Record<string, unknown>, options: InjectOptions = {}): Notebook {
  const label = options.label ?? 'the notebook';
  const declarations = declaredParameters(nb, label);
  const given = redactDeep(coerceParameters(declarations, values, label));
  const effective = redactDeep(Object.fromEntries(declarations.map((d) => [d.name, d.name in given ? given[d.name]! : d.defaultValue])));

  const cells = nb.cells.filter((cell) => !hasTag(cell, INJECTED_TAG));
  const names = Object.keys(given);
  if (names.length > 0) {
    const lines = [
      `// Injected by ${toolVersion()}: the values of this run (they override the defaults above).`,
      ...declarations.filter((d) => d.name in given).map((d) => `let ${d.name}: ${d.type} = ${typescriptLiteral(given[d.name]!)};`),
    ];
    const taken = new Set(cells.map((c) => c.id));
    let id = INJECTED_TAG;
    while (taken.has(id)) id += '-';
    const injected: NotebookCell = {
      cell_type: 'code',
      id,
      metadata: { tags: [INJECTED_TAG] },
      source: lines.join('\n'),
      outputs: [],
      execution_count: null,
    };
    cells.splice(findParametersCell({ ...nb, cells }, label) + 1, 0, injected);
  }
  const papermill = typeof nb.metadata['papermill'] === 'object' && nb.metadata['papermill'] !== null ? nb.metadata['papermill'] : {};
  return withCellIds({
    ...nb,
    cells,
    metadata: {
      ...nb.metadata,
      papermill: { ...papermill, parameters: given },
      worker_forensics: { parameters: effective, rendered_at: (options.now ?? new Date()).toISOString(), tool: toolVersion() },
    },
  });
}

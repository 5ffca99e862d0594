import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  cellSource,
  declaredParameters,
  findParametersCell,
  injectParameters,
  parseParameterArgs,
  parseParameterDeclarations,
  readNotebook,
  stripOutputs,
  typescriptLiteral,
  type Notebook,
} from '../../src/notebook/parameters.js';
import { clearRegisteredSecrets, registerSecret } from '../../src/redact.js';
import { codeCell, fixtureNotebook, markdownCell, notebook, parametersCell, sourceOf, writeStaleNotebook } from '../support/notebooks.js';

const DEFAULTS = 'let workerId: string = "";\nlet source: string = "demo";\nlet asOf: string = "";\nlet hours: number = 24;\nlet verbose: boolean = false;';
const NOW = new Date('2025-10-17T13:00:00.000Z');

function investigation(): Notebook {
  return notebook([
    markdownCell('# Investigate a worker'),
    parametersCell(DEFAULTS),
    codeCell('console.log(workerId);'),
    codeCell('console.log(hours);'),
  ]);
}

function tags(nb: Notebook): string[][] {
  return nb.cells.map((c) => c.metadata.tags ?? []);
}

afterEach(() => clearRegisteredSecrets());

describe('findParametersCell', () => {
  it('finds the one code cell tagged parameters', () => {
    expect(findParametersCell(investigation())).toBe(1);
  });

  it('rejects a notebook without one, naming it', () => {
    const nb = notebook([codeCell('let x: number = 1;')]);
    expect(() => findParametersCell(nb, 'notebooks/x.ipynb')).toThrow(UsageError);
    expect(() => findParametersCell(nb, 'notebooks/x.ipynb')).toThrow(/notebooks\/x\.ipynb has no code cell tagged "parameters"/);
  });

  it('rejects two parameters cells', () => {
    const nb = notebook([parametersCell('let a: number = 1;'), parametersCell('let b: number = 2;')]);
    expect(() => findParametersCell(nb, 'two.ipynb')).toThrow(/two\.ipynb has 2 code cells tagged "parameters"; it needs exactly one/);
  });

  it('ignores a markdown cell carrying the tag', () => {
    const nb = notebook([markdownCell('let a: number = 1;', ['parameters']), parametersCell('let b: number = 2;')]);
    expect(findParametersCell(nb)).toBe(1);
  });
});

describe('parseParameterDeclarations', () => {
  it('reads names, types and defaults, skipping blank and comment lines', () => {
    const source = `// Which worker\n${DEFAULTS}\n\nlet ratio: number = -1.5e3; // a comment\nlet quoted: string = 'it\\'s "fine"';`;
    expect(parseParameterDeclarations(source)).toEqual([
      { name: 'workerId', type: 'string', defaultValue: '' },
      { name: 'source', type: 'string', defaultValue: 'demo' },
      { name: 'asOf', type: 'string', defaultValue: '' },
      { name: 'hours', type: 'number', defaultValue: 24 },
      { name: 'verbose', type: 'boolean', defaultValue: false },
      { name: 'ratio', type: 'number', defaultValue: -1500 },
      { name: 'quoted', type: 'string', defaultValue: 'it\'s "fine"' },
    ]);
  });

  it('decodes escapes in string defaults', () => {
    expect(parseParameterDeclarations('let s: string = "a\\"b\\\\c\\nd // not a comment";')[0]?.defaultValue).toBe('a"b\\c\nd // not a comment');
  });

  it('infers the type from the literal when it is not annotated', () => {
    expect(parseParameterDeclarations('let hours = 6;\nlet on = true;')).toEqual([
      { name: 'hours', type: 'number', defaultValue: 6 },
      { name: 'on', type: 'boolean', defaultValue: true },
    ]);
  });

  it('rejects a line that is not a typed let declaration, naming the line', () => {
    expect(() => parseParameterDeclarations('let a: number = 1;\nconst b: number = 2;', 'nb.ipynb')).toThrow(
      /nb\.ipynb, parameters cell line 2: expected `let name: string\|number\|boolean = value;`/,
    );
    expect(() => parseParameterDeclarations('let a: number = compute();')).toThrow(UsageError);
    expect(() => parseParameterDeclarations('let a: string = "unterminated;')).toThrow(UsageError);
    expect(() => parseParameterDeclarations('let a: number = 1; extra();')).toThrow(UsageError);
  });

  it('rejects a default of another type than declared, and a name declared twice', () => {
    expect(() => parseParameterDeclarations('let hours: number = "6";')).toThrow(/hours is declared number but its default is a string/);
    expect(() => parseParameterDeclarations('let a: number = 1;\nlet a: number = 2;')).toThrow(/a is declared twice/);
  });
});

describe('parseParameterArgs', () => {
  it('splits name=value at the first equals sign', () => {
    expect(parseParameterArgs(['hours=6', 'note=a=b', 'workerId='])).toEqual({ hours: '6', note: 'a=b', workerId: '' });
  });

  it('rejects an argument without a name, and a name given twice', () => {
    expect(() => parseParameterArgs(['hours'])).toThrow(/-p expects name=value, got "hours"/);
    expect(() => parseParameterArgs(['=6'])).toThrow(UsageError);
    expect(() => parseParameterArgs(['hours=1', 'hours=2'])).toThrow(/-p hours is given twice/);
  });
});

describe('injectParameters', () => {
  it('inserts a cell tagged injected-parameters right after the parameters cell', () => {
    const nb = injectParameters(investigation(), { workerId: 'gpu-7', hours: '6' }, { now: NOW });
    expect(tags(nb)).toEqual([[], ['parameters'], ['injected-parameters'], [], []]);
    const lines = sourceOf(nb.cells[2]).split('\n');
    expect(lines[0]).toMatch(/^\/\/ Injected by worker-forensics /);
    expect(lines.slice(1)).toEqual(['let workerId: string = "gpu-7";', 'let hours: number = 6;']);
    expect(nb.cells[2]).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null });
  });

  it('writes declarations that read back as the same values', () => {
    const nb = injectParameters(investigation(), { hours: 0.25, verbose: 'true', workerId: 'w' });
    const reread = parseParameterDeclarations(sourceOf(nb.cells[2]));
    expect(reread).toEqual([
      { name: 'workerId', type: 'string', defaultValue: 'w' },
      { name: 'hours', type: 'number', defaultValue: 0.25 },
      { name: 'verbose', type: 'boolean', defaultValue: true },
    ]);
  });

  it('replaces an injected cell from an earlier run, wherever it is', () => {
    const earlier = investigation();
    earlier.cells.push(codeCell('// old\nlet workerId: string = "gpu-old";', ['injected-parameters']));
    const nb = injectParameters(earlier, { workerId: 'gpu-new' });
    expect(tags(nb).filter((t) => t.includes('injected-parameters'))).toHaveLength(1);
    expect(tags(nb)[2]).toEqual(['injected-parameters']);
    expect(JSON.stringify(nb)).not.toContain('gpu-old');
  });

  it('removes an earlier injected cell and injects none when no value is given', () => {
    const earlier = investigation();
    earlier.cells.splice(2, 0, codeCell('let hours: number = 1;', ['injected-parameters']));
    const nb = injectParameters(earlier, {});
    expect(tags(nb)).toEqual([[], ['parameters'], [], []]);
  });

  it('records the given values for papermill and every effective value for worker-forensics', () => {
    const nb = injectParameters(investigation(), { workerId: 'gpu-7', hours: '6', asOf: undefined }, { now: NOW });
    expect(nb.metadata['papermill']).toEqual({ parameters: { workerId: 'gpu-7', hours: 6 } });
    expect(nb.metadata['worker_forensics']).toEqual({
      parameters: { workerId: 'gpu-7', source: 'demo', asOf: '', hours: 6, verbose: false },
      rendered_at: '2025-10-17T13:00:00.000Z',
      tool: expect.stringMatching(/^worker-forensics \d+\.\d+\.\d+/),
    });
    expect(nb.metadata['kernelspec']).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => injectParameters(investigation(), { worker: 'gpu-7' }, { label: 'inv.ipynb' })).toThrow(
      'inv.ipynb has no parameter "worker" (its parameters: workerId, source, asOf, hours, verbose)',
    );
  });

  it('rejects values of the wrong type', () => {
    expect(() => injectParameters(investigation(), { hours: 'abc' })).toThrow('parameter hours is a number, got "abc"');
    expect(() => injectParameters(investigation(), { hours: '' })).toThrow(UsageError);
    expect(() => injectParameters(investigation(), { hours: Number.NaN })).toThrow(UsageError);
    expect(() => injectParameters(investigation(), { verbose: 'yes' })).toThrow('parameter verbose is a boolean, got "yes"');
    expect(() => injectParameters(investigation(), { workerId: 7 })).toThrow('parameter workerId is a string, got 7');
  });

  it('escapes strings so that quotes, backslashes, newlines and </script> cannot break out', () => {
    const tricky = 'a "quoted" \\ back\nslash </script><!-- \u2028 é 🚀';
    const nb = injectParameters(investigation(), { workerId: tricky });
    const source = sourceOf(nb.cells[2]);
    expect(source).not.toMatch(/<\/?script|<!--/i);
    expect(source.split('\n')).toHaveLength(2);
    expect(parseParameterDeclarations(source)[0]?.defaultValue).toBe(tricky);
    expect(JSON.parse(typescriptLiteral(tricky))).toBe(tricky);
    expect(typescriptLiteral(-2.5)).toBe('-2.5');
    expect(typescriptLiteral(false)).toBe('false');
  });

  it('never writes a secret into the injected cell or the metadata', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const canary = 'canary-7f3a9c2e-d41d8cd9';
    registerSecret(canary);
    const nb = injectParameters(investigation(), { workerId: `key ${jwt}`, source: canary });
    const text = JSON.stringify(nb);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('c2lnbmF0dXJl');
    expect(text).not.toContain(canary);
    expect(sourceOf(nb.cells[2])).toContain('let workerId: string = "key [REDACTED]";');
    expect(nb.metadata['papermill']).toEqual({ parameters: { workerId: 'key [REDACTED]', source: '[REDACTED]' } });
  });

  it('does not modify the notebook it is given', () => {
    const original = investigation();
    const before = JSON.stringify(original);
    injectParameters(original, { workerId: 'gpu-7' });
    expect(JSON.stringify(original)).toBe(before);
  });

  it('gives every cell an id and makes the notebook nbformat 4.5', () => {
    const old: Notebook = {
      nbformat: 4,
      nbformat_minor: 2,
      metadata: {},
      cells: [
        { cell_type: 'code', metadata: { tags: ['parameters'] }, source: ['let a: number = 1;\n', 'let b: string = "x";'], outputs: [], execution_count: null },
        { cell_type: 'markdown', metadata: {}, source: 'text' },
      ],
    };
    const nb = injectParameters(old, { b: 'y' });
    expect(nb.nbformat_minor).toBe(5);
    const ids = nb.cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(declaredParameters(nb)).toEqual([
      { name: 'a', type: 'number', defaultValue: 1 },
      { name: 'b', type: 'string', defaultValue: 'x' },
    ]);
  });
});

describe('stripOutputs and readNotebook', () => {
  it('clears outputs and execution counts and drops an earlier failure note', () => {
    const nb = stripOutputs(readNotebook(writeStaleNotebook()));
    expect(JSON.stringify(nb)).not.toContain('stale output');
    expect(JSON.stringify(nb)).not.toContain('stale display');
    expect(nb.cells.some((c) => c.metadata.tags?.includes('execution-failure'))).toBe(false);
    for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) expect(cell).toMatchObject({ outputs: [], execution_count: null });
    expect(cellSource(nb.cells[0]!)).toBe('let workerId: string = "gpu-default";');
  });

  it('names a missing or malformed file', () => {
    expect(() => readNotebook('/nonexistent/x.ipynb')).toThrow('notebook /nonexistent/x.ipynb does not exist');
    expect(() => readNotebook(fixtureNotebook('../../notebook/parameters.test.ts'))).toThrow(/is not a notebook: not valid JSON/);
  });
});

/** Building nbformat 4.5 notebooks in tests, and the fixture notebooks under test/fixtures/notebooks. */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateJupyter, requireKernel } from '../../src/notebook/jupyter.js';
import { cellSource, type Notebook, type NotebookCell } from '../../src/notebook/parameters.js';

export const FIXTURE_NOTEBOOKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/notebooks');

export function fixtureNotebook(name: string): string {
  return path.join(FIXTURE_NOTEBOOKS, name);
}

let nextId = 0;

export function codeCell(source: string, tags: string[] = [], outputs: unknown[] = []): NotebookCell {
  return {
    cell_type: 'code',
    id: `code-${nextId++}`,
    metadata: tags.length ? { tags } : {},
    source,
    outputs,
    execution_count: outputs.length ? 1 : null,
  };
}

export function parametersCell(source: string): NotebookCell {
  return codeCell(source, ['parameters']);
}

export function markdownCell(source: string, tags: string[] = []): NotebookCell {
  return { cell_type: 'markdown', id: `markdown-${nextId++}`, metadata: tags.length ? { tags } : {}, source };
}

export function notebook(cells: NotebookCell[], metadata: Record<string, unknown> = {}): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      ...metadata,
    },
    cells,
  };
}

export function readJson(file: string): Notebook {
  return JSON.parse(readFileSync(file, 'utf8')) as Notebook;
}

/** Every text a code cell's outputs hold (stream text and each MIME type's data), joined. */
export function outputText(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .map((output) => {
      const o = output as { text?: string | string[]; data?: Record<string, unknown> };
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text ?? '');
      const data = Object.values(o.data ?? {}).map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('') : JSON.stringify(v)));
      return [text, ...data].join('\n');
    })
    .join('\n');
}

export function codeCells(nb: Notebook): NotebookCell[] {
  return nb.cells.filter((c) => c.cell_type === 'code');
}

export function sourceOf(cell: NotebookCell | undefined): string {
  return cell ? cellSource(cell) : '';
}

/** Process ids of the tslab kernels running in `dir` (from /proc: Linux only). */
export function tslabKernelsIn(dir: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tslab') && readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false; // ended meanwhile, or not ours to read
      }
    });
}

/** Polls `condition` every 100 ms; throws `message` if it is still false after `limitMs`. */
export async function waitFor(condition: () => boolean, message: string, limitMs = 30_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 100) {
    if (waited >= limitMs) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** For a `beforeAll`: fails (never skips) tests that execute notebooks when Jupyter or the tslab kernel is missing. */
export async function requireJupyter(): Promise<void> {
  try {
    requireKernel(await locateJupyter());
  } catch (error) {
    throw new Error(`these tests execute notebooks through Jupyter and the tslab kernel: ${(error as Error).message}`);
  }
}

/**
 * A notebook as an earlier run left it: outputs, execution counts, an injected cell and a failure
 * note at the top. Written to a temporary folder by the tests (committed notebooks stay clean).
 */
export function writeStaleNotebook(): string {
  const nb = notebook([
    markdownCell('## Failed — This run stopped at code cell 9', ['execution-failure']),
    parametersCell('let workerId: string = "gpu-default";'),
    { ...codeCell('console.log(`worker is ${workerId}`);', [], [{ output_type: 'stream', name: 'stdout', text: 'stale output from an earlier run\n' }]), execution_count: 7 },
    {
      ...codeCell('// injected by an earlier run\nlet workerId: string = "gpu-stale";', ['injected-parameters'], [{ output_type: 'display_data', metadata: {}, data: { 'text/html': '<p>stale display</p>' } }]),
      execution_count: 8,
    },
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'wf-stale-')), 'stale.ipynb');
  writeFileSync(file, JSON.stringify(nb, null, 1));
  return file;
}

/**
 * The PostgREST-protocol contract server of the tests (test/support/postgrest-server.ts), loaded by
 * the benchmark at run time.
 *
 * Why not a copy under src/bench: round trips are only worth counting against the server the
 * Supabase source is tested against (the silent 1000-row cap, Content-Range, counts, 416s as
 * PostgREST computes them); a second, simplified server could drift from it unnoticed. The file
 * lives under test/ and is not compiled into dist/, so it is transpiled here with the project's
 * own TypeScript (a devDependency, present wherever `npm run bench` runs: scripts/setup.sh
 * installs devDependencies) into .bench/build/, with its imports of src/ pointed at the
 * compiled dist/ files. Any other relative import is refused, so a change to the server's
 * dependencies fails here with a clear message instead of at a confusing later point.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of the contract server's interface the benchmark uses (its types live under test/). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: { range?: string; prefer?: string; accept?: string };
  status: number | null;
  fault: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface ContractServer {
  url: string;
  /** Every request the server received (here: those the bench front could not answer from its store). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ContractServerModule {
  CONTRACT_TEST_KEY: string;
  DEFAULT_MAX_ROWS: number;
  startPostgrestServer(options: { rows?: Record<string, readonly Record<string, unknown>[]>; maxRows?: number | null }): Promise<ContractServer>;
}

const SERVER_SOURCE = path.join('test', 'support', 'postgrest-server.ts');

export async function loadContractServer(root: string): Promise<ContractServerModule> {
  const sourcePath = path.join(root, SERVER_SOURCE);
  let source: string;
  try {
    source = await readFile(sourcePath, 'utf8');
  } catch {
    throw new Error(`the round-trip benchmark needs the contract server ${SERVER_SOURCE}: run it from a checkout`);
  }
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new Error('the round-trip benchmark transpiles the contract server with TypeScript: install the devDependencies (npm ci)');
  }
  const output = ts.transpileModule(source, {
    fileName: sourcePath,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;

  const sourceDir = path.dirname(sourcePath);
  const srcDir = path.join(root, 'src') + path.sep;
  const rewritten = output.replace(/(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g, (_match, lead: string, quote: string, specifier: string) => {
    const target = path.resolve(sourceDir, specifier);
    if (!target.startsWith(srcDir) || !target.endsWith('.js')) {
      throw new Error(`${SERVER_SOURCE} imports ${specifier}, which the benchmark cannot map to dist/: extend src/bench/contract-server.ts`);
    }
    const compiled = path.join(root, 'dist', target.slice(srcDir.length));
    return `${lead}${quote}${pathToFileURL(compiled).href}${quote}`;
  });
  const buildDir = path.join(root, '.bench', 'build');
  await mkdir(buildDir, { recursive: true });
  const file = path.join(buildDir, 'postgrest-server.mjs');
  await writeFile(file, `// Transpiled from ${SERVER_SOURCE} by src/bench/contract-server.ts; do not edit.\n${rewritten}`);
  return (await import(pathToFileURL(file).href)) as ContractServerModule;
}

/**
 * Choosing and opening a source. Default: Supabase when SUPABASE_URL is set, else Postgres when
 * DATABASE_URL is set, else the embedded demo fleet; `--source` overrides. One line on stderr says
 * which (the caller prints it), and for the demo fleet that it is simulated.
 */
import { UsageError } from '../errors.js';
import { formatInstant } from '../rows/time.js';
import { openDemoSource } from './demo.js';
import type { Source } from './types.js';

export type SourceSpec =
  | { kind: 'demo' }
  | { kind: 'supabase' }
  | { kind: 'postgres' }
  | { kind: 'snapshot'; file: string };

export const SOURCE_SPEC_HELP = 'demo|supabase|postgres|snapshot:<file>';

export function parseSourceSpec(text: string): SourceSpec {
  const value = text.trim();
  if (value === 'demo' || value === 'supabase' || value === 'postgres') return { kind: value };
  if (value.startsWith('snapshot:')) {
    const file = value.slice('snapshot:'.length);
    if (file === '') throw new UsageError('--source snapshot: needs a file, e.g. --source snapshot:evidence.json.gz');
    return { kind: 'snapshot', file };
  }
  throw new UsageError(`invalid --source "${value}": expected ${SOURCE_SPEC_HELP}`);
}

export function defaultSourceSpec(env: NodeJS.ProcessEnv): SourceSpec {
  if (env['SUPABASE_URL']) return { kind: 'supabase' };
  if (env['DATABASE_URL']) return { kind: 'postgres' };
  return { kind: 'demo' };
}

export interface OpenSourceOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Per-request timeout for network sources. */
  requestTimeoutMs?: number;
}

export async function openSource(spec: SourceSpec, options: OpenSourceOptions = {}): Promise<Source> {
  const env = options.env ?? process.env;
  switch (spec.kind) {
    case 'demo':
      return openDemoSource();
    case 'snapshot': {
      const { openSnapshotSource } = await import('./snapshot.js');
      return openSnapshotSource(spec.file);
    }
    case 'supabase': {
      const url = env['SUPABASE_URL'];
      const key = env['SUPABASE_SERVICE_ROLE_KEY'] || env['SUPABASE_KEY'];
      if (!url) throw new UsageError('--source supabase needs SUPABASE_URL (environment or .env)');
      if (!key) throw new UsageError('SUPABASE_URL is set but neither SUPABASE_SERVICE_ROLE_KEY nor SUPABASE_KEY is');
      try {
        new URL(url);
      } catch {
        throw new UsageError('SUPABASE_URL is not a valid URL (expected e.g. https://<project>.supabase.co)');
      }
      const { openSupabaseSource } = await import('./supabase.js');
      return openSupabaseSource({
        url,
        key,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      });
    }
    case 'postgres': {
      const url = env['DATABASE_URL'];
      if (!url) throw new UsageError('--source postgres needs DATABASE_URL (environment or .env)');
      const { openPostgresSource } = await import('./postgres.js');
      return openPostgresSource({
        url,
        ...(env['DATABASE_SCHEMA'] ? { schema: env['DATABASE_SCHEMA'] } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
  }
}

/** The line printed on stderr when a source is opened; `chosen`: it was asked for with --source. */
export function sourceNotice(source: Source, chosen = false): string {
  if (source.kind === 'demo') {
    const at = source.frozenAt === null ? '' : ` as of ${formatInstant(source.frozenAt)}`;
    const why = chosen ? '--source demo' : 'no SUPABASE_URL or DATABASE_URL set';
    return `worker-forensics: ${why}: using the embedded demo fleet (simulated data${at})${chosen ? '' : '; see .env.example'}`;
  }
  return `worker-forensics: reading ${source.label}`;
}

/**
 * A read session: configuration loaded, source chosen and opened, as-of fixed. The CLI and the
 * notebooks open their sources through this one function, so they read the same rows the same way.
 */
import * as path from 'node:path';
import { BUILT_IN_VOCABULARY, MARKERS_ENV, readMarkersFile, type Vocabulary } from '../config/vocabulary.js';
import { UsageError } from '../errors.js';
import { shownInput } from '../redact.js';
import { loadEnvironment } from '../env.js';
import { readContext, type ReadContext } from './load.js';
import { defaultSourceSpec, openSource, parseSourceSpec, sourceNotice, type SourceSpec } from '../sources/open.js';
import { SnapshotSource } from '../sources/snapshot.js';
import type { ReadOptions, Source } from '../sources/types.js';
import { formatInstant, instantFromDate, parseInstant, type Instant } from '../rows/time.js';

/** --as-of may run ahead of this machine's clock by this much (clock skew), not more. */
export const AS_OF_FUTURE_TOLERANCE_S = 300;

export interface SessionOptions {
  /** `demo`, `supabase`, `postgres`, `snapshot:<file>`; empty or absent: chosen from the environment. */
  source?: string;
  /** ISO-8601; empty or absent: the source's frozen instant (demo, snapshot), else now. */
  asOf?: string;
  /** A markers file extending the built-in vocabulary; empty or absent: WORKER_FORENSICS_MARKERS, else none. */
  markers?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => Instant;
  read?: ReadOptions;
}

export interface Session {
  source: Source;
  asOf: Instant;
  vocabulary: Vocabulary;
  read: ReadContext;
  /** The line that says where the rows come from (and, for the demo fleet, that they are simulated). */
  notice: string;
  close(): Promise<void>;
}

/** Parses an --as-of value; rejects what is not an instant or lies in the future. */
export function parseAsOf(text: string, now: Instant): Instant {
  const asOf = parseInstant(text);
  if (asOf === null) throw new UsageError(`--as-of "${shownInput(text)}" is not an ISO-8601 instant (e.g. 2025-10-17T13:00:00Z)`);
  if (asOf > now + AS_OF_FUTURE_TOLERANCE_S * 1_000_000) {
    throw new UsageError(`--as-of ${formatInstant(asOf)} is in the future (now is ${formatInstant(now)})`);
  }
  return asOf;
}

/**
 * Loads `.env` into the environment and checks --source and --as-of without opening anything
 * (for commands that hand them on to a notebook kernel).
 */
export function checkSessionOptions(options: SessionOptions = {}): { spec: SourceSpec; asOf: Instant | undefined; vocabulary: Vocabulary } {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => instantFromDate(new Date()));
  const cwd = options.cwd ?? process.cwd();
  loadEnvironment(env, cwd);
  const markers = options.markers || env[MARKERS_ENV];
  return {
    asOf: options.asOf ? parseAsOf(options.asOf, now()) : undefined,
    spec: options.source ? parseSourceSpec(options.source) : defaultSourceSpec(env),
    vocabulary: markers ? readMarkersFile(path.resolve(cwd, markers)) : BUILT_IN_VOCABULARY,
  };
}

export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => instantFromDate(new Date()));
  const { asOf: givenAsOf, spec, vocabulary } = checkSessionOptions(options);
  const source = await openSource(spec, { env, ...(options.read?.signal ? { signal: options.read.signal } : {}) });
  const asOf = givenAsOf ?? source.frozenAt ?? now();
  const notices = [sourceNotice(source, Boolean(options.source))];
  if (vocabulary.replaced.length > 0) notices.push(`worker-forensics: markers from ${vocabulary.origin} (replacing the built-in ${vocabulary.replaced.join(', ')})`);
  if (source instanceof SnapshotSource && source.asOfRecorded && source.frozenAt !== null && asOf > source.frozenAt) {
    notices.push(
      `worker-forensics: warning: --as-of ${formatInstant(asOf)} is after the snapshot's as-of ${formatInstant(source.frozenAt)}: nothing after that is in the file, so ages and silences are longer than the database would say`,
    );
  }
  return {
    source,
    asOf,
    vocabulary,
    read: readContext(source, asOf, { dataAt: source.frozenAt ?? now(), vocabulary, ...(options.read ? { read: options.read } : {}) }),
    notice: notices.join('\n'),
    close: () => source.close(),
  };
}

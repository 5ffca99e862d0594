/**
 * Evidence snapshots: `{"meta": {…}, "workers": […], "tasks": […], "system_logs": […]}`, plain or
 * gzipped, with rows as Supabase returns them. Logs are deleted after a retention period (48 h by
 * default), so a postmortem's evidence must be saved; every command reads a snapshot exactly as it
 * reads the database it came from.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { OutputRefusedError, SourceError, UsageError, messageOf } from '../errors.js';
import { WHOLE_TABLE, type RowProblem } from '../rows/parse.js';
import type { SystemLog, Task, Worker } from '../rows/schemas.js';
import { logToSupabase, taskToSupabase, workerToSupabase } from '../rows/supabase-shape.js';
import { findSecretsDeep, redactDeep } from '../redact.js';
import { formatInstant, parseInstant, type Instant } from '../rows/time.js';
import { MemorySource, type RawTables } from './memory.js';

export interface SnapshotMeta {
  /** When the snapshot was written (ISO-8601). */
  created_at: string;
  /** The as-of instant of the reads it holds: the default as-of when it is read back. */
  as_of: string;
  /** Where the rows came from, e.g. `Supabase at https://abc.supabase.co` (never a key). */
  source: string;
  /** What it holds: the workers asked for, or the fleet window. */
  scope: { workers: string[] } | { hours: number };
  tool: string;
  counts: { workers: number; tasks: number; system_logs: number };
}

const TABLE_KEYS = ['workers', 'tasks', 'system_logs'] as const;

export interface SnapshotFile {
  meta: Partial<SnapshotMeta> | null;
  tables: RawTables;
  /** Problems with the file's shape (a table missing or not a list): reported, read as empty. */
  problems: RowProblem[];
}

/** Reads and checks a snapshot file's shape; rows are validated later, one by one. */
export async function readSnapshotFile(file: string): Promise<SnapshotFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SourceError(`snapshot ${file} does not exist`);
    if (code === 'EISDIR') throw new SourceError(`snapshot ${file} is a directory, not a file`);
    throw new SourceError(`cannot read snapshot ${file}: ${messageOf(error)}`);
  }
  let text: string;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch {
      throw new SourceError(`snapshot ${file} is not a complete gzip file (truncated or corrupt)`);
    }
  } else {
    text = bytes.toString('utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the file's text, control characters and line breaks included.
    const hint = text.trim().length === 0 ? 'the file is empty' : messageOf(error).replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
    throw new SourceError(`snapshot ${file} is not valid JSON (truncated?): ${hint}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SourceError(
      `snapshot ${file} has the wrong shape: expected an object with "workers", "tasks" and "system_logs" lists`,
    );
  }
  const document = parsed as Record<string, unknown>;
  if (!TABLE_KEYS.some((key) => key in document)) {
    throw new SourceError(`snapshot ${file} has none of the keys "workers", "tasks", "system_logs"`);
  }
  const problems: RowProblem[] = [];
  const table = (key: (typeof TABLE_KEYS)[number]): unknown[] => {
    const value = document[key];
    if (Array.isArray(value)) return value;
    problems.push({
      table: key,
      rowId: WHOLE_TABLE,
      field: key,
      message: value === undefined ? `missing from snapshot ${file}; read as empty` : `not a list in snapshot ${file}; read as empty`,
    });
    return [];
  };
  const meta = document['meta'];
  return {
    meta: meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Partial<SnapshotMeta>) : null,
    tables: { workers: table('workers'), tasks: table('tasks'), system_logs: table('system_logs') },
    problems,
  };
}

export class SnapshotSource extends MemorySource {
  private readonly fileProblems: RowProblem[];
  /** The file recorded the as-of of its reads (`meta.as_of`); otherwise frozenAt is inferred from the rows. */
  readonly asOfRecorded: boolean;

  /** The default as-of is the snapshot's recorded as-of, else the latest instant in its rows. */
  constructor(file: string, snapshot: SnapshotFile) {
    super(snapshot.tables, {
      kind: 'snapshot',
      label: `snapshot ${path.basename(file)}`,
      frozenAt: parseInstant(snapshot.meta?.as_of ?? null) ?? 'latest',
    });
    this.fileProblems = snapshot.problems;
    this.asOfRecorded = parseInstant(snapshot.meta?.as_of ?? null) !== null;
  }

  override async workers(...args: Parameters<MemorySource['workers']>) {
    const result = await super.workers(...args);
    return { rows: result.rows, problems: [...this.problemsOf('workers'), ...result.problems] };
  }

  override async tasks(...args: Parameters<MemorySource['tasks']>) {
    const result = await super.tasks(...args);
    return { rows: result.rows, problems: [...this.problemsOf('tasks'), ...result.problems] };
  }

  override async logs(...args: Parameters<MemorySource['logs']>) {
    const result = await super.logs(...args);
    return { rows: result.rows, problems: [...this.problemsOf('system_logs'), ...result.problems] };
  }

  /** A problem with the file's shape concerns every read of it (the caller de-duplicates). */
  private problemsOf(_table: RowProblem['table']): RowProblem[] {
    return this.fileProblems;
  }
}

export async function openSnapshotSource(file: string): Promise<SnapshotSource> {
  return new SnapshotSource(file, await readSnapshotFile(file));
}

export interface SnapshotContents {
  workers: readonly Worker[];
  tasks: readonly Task[];
  system_logs: readonly SystemLog[];
}

/**
 * Writes a snapshot atomically (a temporary file renamed into place: never half-written).
 * Secret-shaped text inside rows (a key a worker logged by mistake) is redacted first; should
 * redaction ever miss one, nothing is written (as for rendered notebooks).
 */
export async function writeSnapshotFile(file: string, contents: SnapshotContents, meta: SnapshotMeta): Promise<number> {
  const document = redactDeep({
    meta,
    workers: contents.workers.map(workerToSupabase),
    tasks: contents.tasks.map(taskToSupabase),
    system_logs: contents.system_logs.map(logToSupabase),
  });
  const leaks = findSecretsDeep(document);
  if (leaks.length > 0) throw new OutputRefusedError(`refusing to write ${file}: after redaction it still contains ${leaks.join(', ')}`);
  const json = JSON.stringify(document);
  const bytes = file.endsWith('.gz') ? gzipSync(json) : Buffer.from(json, 'utf8');
  const temporary = `${file}.${process.pid}.partial`;
  try {
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await fs.writeFile(temporary, bytes, { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new UsageError(`cannot write snapshot ${file}: ${messageOf(error)}`);
  }
  return bytes.length;
}

export function snapshotMeta(
  asOf: Instant,
  source: string,
  scope: SnapshotMeta['scope'],
  counts: SnapshotMeta['counts'],
  createdAt: Instant,
  tool: string,
): SnapshotMeta {
  return { created_at: formatInstant(createdAt), as_of: formatInstant(asOf), source, scope, tool, counts };
}

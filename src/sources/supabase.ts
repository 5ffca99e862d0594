/**
 * The Supabase source: rows read through supabase-js (PostgREST), read-only, complete despite the
 * silent max-rows cap, and fit to print (no key in any label or message).
 *
 * Why reads are shaped as they are:
 * - PostgREST truncates every answer to its max-rows setting (1000 on Supabase) without saying so.
 *   Every read pages with `range()` over a total order (the time column, then the unique id) and
 *   asks for an exact count; a first page shorter than asked while the count says more exist
 *   reveals a cap smaller than the page size, and the rest is read in pages of that size.
 * - The first page fixes the total and the page size; the remaining pages are independent, so
 *   they are fetched concurrently under a bound: a worker's whole log arrives in two rounds.
 * - Every page asks for the count again: if it moved, rows were inserted or deleted inside the
 *   window while offsets were being read (duplicates or holes); the read is done once more and
 *   fails if it still does not add up. Log reads are bounded by `until` (normally the as-of), so
 *   lines written during the read fall after the window and do not move offsets.
 * - `in.(…)` filters with hundreds of ids overflow URI limits (414): id lists are split into
 *   batches read concurrently, merged back into the global order and de-duplicated by id.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { compareLogs } from '../rows/order.js';
import { SourceError, UsageError, isForensicsError, messageOf } from '../errors.js';
import { redact, REDACTED } from '../redact.js';
import { parseRows, type Parsed } from '../rows/parse.js';
import { SELECTED_COLUMNS, type RowOf, type TableName } from '../rows/schemas.js';
import { formatInstant, type Instant } from '../rows/time.js';
import { createGuardedFetch, tableOf, type RetryOptions } from './http-policy.js';
import { escapeLikePattern } from './like.js';
import { WORKER_SOURCE_TYPE } from '../config/markers.js';
import type { FamilyMatcher } from '../config/vocabulary.js';
import type { LogQuery, ReadOptions, Source, TaskQuery, WorkerQuery } from './types.js';

export interface SupabaseSourceConfig {
  /** Project URL, e.g. `https://<ref>.supabase.co`. */
  url: string;
  /** Service-role (or anon) key: sent as headers only, never printed. */
  key: string;
  /** Rows asked per page (default 1000); a smaller server cap is detected and followed. */
  pageSize?: number;
  /** Requests in flight at once for one source (default 4). */
  concurrency?: number;
  requestTimeoutMs?: number;
  /** Cancels every request of this source: the command was interrupted. */
  signal?: AbortSignal;
  /** The fetch that actually sends (tests; default the global one). */
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_CONCURRENCY = 4;
/** URL-encoded characters of values per `in.(…)` filter: well under the ~8 KB URI limit of gateways. */
export const MAX_IN_LIST_CHARS = 4000;

type RawRow = Record<string, unknown>;
/**
 * Node 20 has no global WebSocket and supabase-js refuses to start without one; `ws` works
 * (platform notes) but its constructor type is wider than realtime-js declares.
 */
type RealtimeTransport = NonNullable<NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport']>;

interface Condition {
  column: string;
  operator: string;
  value: string;
}

interface InList {
  column: string;
  values: readonly string[];
}

/** What is asked of the server. */
interface RequestPlan {
  table: TableName;
  conditions: Condition[];
  /** Split into batches that keep each URL short; every batch is read in full. */
  inLists: InList[];
  order: ReadonlyArray<{ column: string; ascending: boolean }>;
  limit: number | undefined;
}

interface ReadPlan<K extends TableName> extends RequestPlan {
  table: K;
  /** Applied after parsing, when a filter cannot be said exactly in PostgREST's syntax. */
  keep: ((row: RowOf[K]) => boolean) | undefined;
  compare: (a: RowOf[K], b: RowOf[K]) => number;
}

interface Page {
  rows: RawRow[];
  count: number;
}

/** An error answer from PostgREST, with the status the pager needs (416: the rows moved). */
class PostgrestHttpError extends SourceError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type BatchOutcome = { consistent: true; rows: RawRow[] } | { consistent: false; reason: string };

export function openSupabaseSource(config: SupabaseSourceConfig): Source {
  const origin = originOf(config.url);
  if (typeof config.key !== 'string' || config.key.trim() === '') throw new UsageError('No Supabase key was given');
  const pageSize = positiveInteger(config.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize');
  const concurrency = positiveInteger(config.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
  const key = config.key;
  const scrub = (text: string): string => scrubMessage(text, key);

  const guarded = createGuardedFetch({
    ...(config.fetch !== undefined && { fetch: config.fetch }),
    ...(config.requestTimeoutMs !== undefined && { requestTimeoutMs: config.requestTimeoutMs }),
    ...(config.signal !== undefined && { signal: config.signal }),
    ...(config.retry !== undefined && { retry: config.retry }),
  });
  const checkedFetch = rejectErrorAnswers(guarded, origin, scrub);

  let client: SupabaseClient;
  try {
    client = createClient(config.url, key, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as unknown as RealtimeTransport },
      global: { fetch: checkedFetch },
    });
  } catch (error) {
    throw new UsageError(`Cannot use the Supabase URL ${origin}: ${scrub(messageOf(error))}`);
  }
  const limiter = createLimiter(concurrency);

  async function fetchPage(plan: RequestPlan, batch: readonly Condition[], from: number, to: number, signal: AbortSignal): Promise<Page> {
    let query = client.from(plan.table).select(SELECTED_COLUMNS[plan.table].join(','), { count: 'exact' });
    for (const condition of [...plan.conditions, ...batch]) query = query.filter(condition.column, condition.operator, condition.value);
    for (const term of plan.order) query = query.order(term.column, { ascending: term.ascending });
    // Retries belong to the guarded fetch alone: postgrest-js's own would multiply them.
    const request = query.range(from, to).abortSignal(signal).retry(false).throwOnError();
    let answer: { data: unknown; count: number | null };
    try {
      answer = await request;
    } catch (error) {
      if (isForensicsError(error)) throw error;
      if (error instanceof Error && error.name === 'PostgrestError') {
        throw new SourceError(`Supabase at ${origin} sent an unreadable answer for ${plan.table}`);
      }
      throw new SourceError(`Supabase read of ${plan.table} failed: ${scrub(messageOf(error))}`);
    }
    if (!Array.isArray(answer.data) || typeof answer.count !== 'number') {
      throw new SourceError(`Supabase at ${origin} answered ${plan.table} without rows or an exact count (Content-Range)`);
    }
    return { rows: answer.data as RawRow[], count: answer.count };
  }

  async function readBatchOnce(
    plan: RequestPlan,
    batch: readonly Condition[],
    signal: AbortSignal,
    progress: BatchProgress,
  ): Promise<BatchOutcome> {
    const firstSize = plan.limit === undefined ? pageSize : Math.min(pageSize, plan.limit);
    const first = await limiter(() => fetchPage(plan, batch, 0, firstSize - 1, signal));
    const total = first.count;
    const wanted = plan.limit === undefined ? total : Math.min(total, plan.limit);
    progress.firstPage(first.rows.length, wanted);
    if (first.rows.length >= wanted) return assemble([first.rows], wanted);
    if (first.rows.length === 0) return { consistent: false, reason: `the first page was empty although ${total} rows were counted` };

    // Fewer rows than asked while more exist: the server's cap is smaller than the page size.
    const step = Math.min(first.rows.length, firstSize);
    const offsets: number[] = [];
    for (let offset = first.rows.length; offset < wanted; offset += step) offsets.push(offset);
    let rangeGone = false;
    const pages = await Promise.all(
      offsets.map((offset) =>
        limiter(async () => {
          try {
            const page = await fetchPage(plan, batch, offset, Math.min(offset + step, wanted) - 1, signal);
            progress.page(page.rows.length);
            return page;
          } catch (error) {
            // 416: the offset now lies past the end; rows were deleted during the read.
            if (error instanceof PostgrestHttpError && error.status === 416) {
              rangeGone = true;
              return null;
            }
            throw error;
          }
        }),
      ),
    );
    if (rangeGone) return { consistent: false, reason: `rows were deleted (an offset fell past the end of ${total})` };
    const changed = pages.find((page) => page !== null && page.count !== total);
    if (changed) return { consistent: false, reason: `the count moved from ${total} to ${changed.count}` };
    return assemble([first.rows, ...pages.map((page) => page?.rows ?? [])], wanted);
  }

  async function readBatch(plan: RequestPlan, batch: readonly Condition[], signal: AbortSignal, progress: BatchProgress): Promise<RawRow[]> {
    const first = await readBatchOnce(plan, batch, signal, progress);
    if (first.consistent) return first.rows;
    progress.restart();
    const second = await readBatchOnce(plan, batch, signal, progress);
    if (second.consistent) return second.rows;
    throw new SourceError(`Supabase rows of ${plan.table} changed during the read, twice in a row (${second.reason}); try again`);
  }

  async function read<K extends TableName>(plan: ReadPlan<K>, options: ReadOptions = {}): Promise<Parsed<RowOf[K]>> {
    if (plan.inLists.some((list) => list.values.length === 0) || plan.limit === 0) return { rows: [], problems: [] };
    const batches = batchesOf(plan.inLists);
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
    const progress = createProgress(plan.table, batches.length, options.onProgress);
    let perBatch: RawRow[][];
    try {
      perBatch = await Promise.all(batches.map((batch, index) => readBatch(plan, batch, signal, progress.batch(index))));
    } catch (error) {
      stop.abort(); // the other batches' queued pages are not sent
      throw error;
    }
    const parsed = parseRows(plan.table, dedupeById(perBatch.flat()));
    let rows = plan.keep ? parsed.rows.filter(plan.keep) : parsed.rows;
    // Batches arrive separately; one sort restores the global order. Ids compare by code unit, as the
    // analyses order rows (compareLogs), whatever collation the database uses for text ids.
    rows.sort(plan.compare);
    if (plan.limit !== undefined) rows = rows.slice(0, plan.limit);
    return { rows, problems: parsed.problems };
  }

  return {
    kind: 'supabase',
    label: `Supabase at ${origin}`,
    frozenAt: null,
    workers(query: WorkerQuery, options?: ReadOptions) {
      return read(workersPlan(query), options);
    },
    tasks(query: TaskQuery, options?: ReadOptions) {
      return read(tasksPlan(query), options);
    },
    async logs(query: LogQuery, options?: ReadOptions) {
      if (query.families === undefined) return read(logsPlan(query), options);
      // One read per family (PostgREST's `or` would need every expression quoted in its own
      // grammar), merged in the one order: a fixed number of reads, whatever the fleet's size.
      const families = query.families.filter((f) => f.pg !== null);
      const reads = await Promise.all(families.map((family) => read(logsPlan(query, family), options)));
      const seen = new Set<string>();
      const rows = reads.flatMap((r) => r.rows).filter((row) => !seen.has(row.id) && seen.add(row.id)).sort(compareLogs);
      return { rows, problems: reads.flatMap((r) => r.problems) };
    },
    async close() {
      await client.removeAllChannels();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Query objects → PostgREST filters

function workersPlan(query: WorkerQuery): ReadPlan<'workers'> {
  const conditions: Condition[] = [...timeBounds('created_at', query.createdFrom, query.createdTo)];
  const prefix = query.idPrefix === undefined ? undefined : likeLiteral(query.idPrefix);
  if (prefix) conditions.push({ column: 'id', operator: 'like', value: `${prefix.pattern}%` });
  const inexact = prefix?.inexact === true;
  const idPrefix = query.idPrefix ?? '';
  return {
    table: 'workers',
    conditions,
    inLists: inLists({ id: query.ids, status: query.statuses }),
    order: [
      { column: 'created_at', ascending: true },
      { column: 'id', ascending: true },
    ],
    // When the server's match is wider than asked, the limit applies after the exact filter.
    limit: inexact ? undefined : query.limit,
    keep: inexact ? (row) => row.id.startsWith(idPrefix) : undefined,
    compare: (a, b) => compareInstantThenId(a.created_at, a.id, b.created_at, b.id),
  };
}

function tasksPlan(query: TaskQuery): ReadPlan<'tasks'> {
  const ascending = query.newestFirst !== true;
  return {
    table: 'tasks',
    conditions: [...timeBounds('created_at', query.createdFrom, query.createdTo), ...timeBounds('updated_at', query.updatedFrom, query.updatedTo)],
    inLists: inLists({ id: query.ids, worker_id: query.workerIds, status: query.statuses }),
    order: [
      { column: 'created_at', ascending },
      { column: 'id', ascending },
    ],
    limit: query.limit,
    keep: undefined,
    compare: (a, b) => (ascending ? 1 : -1) * compareInstantThenId(a.created_at, a.id, b.created_at, b.id),
  };
}

/**
 * A read of log lines; of one marker family when `family` is given: its writer's lines that its
 * expression matches (PostgREST `match` is PostgreSQL `~`, which the expression is printed for).
 */
function logsPlan(query: LogQuery, family?: FamilyMatcher): ReadPlan<'system_logs'> {
  const conditions: Condition[] = [...timeBounds('timestamp', query.since, query.until)];
  // Levels in either case, as the rows are read (upper-cased): a case-insensitive anchored match.
  if (query.levels !== undefined) conditions.push({ column: 'log_level', operator: 'imatch', value: levelsPattern(query.levels) });
  if (family) {
    conditions.push({ column: 'source_type', operator: family.writer === 'worker' ? 'eq' : 'neq', value: WORKER_SOURCE_TYPE });
    conditions.push({ column: 'message', operator: 'match', value: family.pg! });
  }
  return {
    table: 'system_logs',
    conditions,
    inLists: inLists({ worker_id: query.workerIds, task_id: query.taskIds }),
    order: [
      { column: 'timestamp', ascending: true },
      { column: 'id', ascending: true },
    ],
    limit: undefined,
    keep: undefined,
    compare: compareLogs,
  };
}

/** `^(?:ERROR|CRITICAL)$`: the levels as literal text (anything not a letter, digit or `_` escaped). */
function levelsPattern(levels: readonly string[]): string {
  if (levels.length === 0) return '^$.';
  return `^(?:${levels.map((level) => level.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)).join('|')})$`;
}

function timeBounds(column: string, from: Instant | undefined, to: Instant | undefined): Condition[] {
  const bounds: Condition[] = [];
  if (from !== undefined) bounds.push({ column, operator: 'gte', value: formatInstant(from) });
  if (to !== undefined) bounds.push({ column, operator: 'lte', value: formatInstant(to) });
  return bounds;
}

function inLists(lists: Record<string, readonly string[] | undefined>): InList[] {
  return Object.entries(lists)
    .filter((entry): entry is [string, readonly string[]] => entry[1] !== undefined)
    .map(([column, values]) => ({ column, values: [...new Set(values)] }));
}

/**
 * Text taken literally inside a LIKE pattern. PostgREST turns every `*` into `%` before PostgreSQL
 * sees the pattern, escaped or not, so a literal `*` cannot be said: it is sent as `_` (any one
 * character) and the rows are then filtered exactly here (`inexact`).
 */
function likeLiteral(text: string): { pattern: string; inexact: boolean } {
  return { pattern: escapeLikePattern(text).replaceAll('*', '_'), inexact: text.includes('*') };
}

/** One `in` filter value per PostgREST's list grammar: quoted when it holds `,()"\` or edge whitespace. */
function listItem(value: string): string {
  if (value === '' || /[,()"\\]/.test(value) || value.trim() !== value) return `"${value.replace(/["\\]/g, '\\$&')}"`;
  return value;
}

function encodedLength(text: string): number {
  return new URLSearchParams({ v: text }).toString().length - 2;
}

/** Each list cut into chunks of at most MAX_IN_LIST_CHARS encoded characters; a batch takes one chunk of every list. */
function batchesOf(lists: readonly InList[]): Condition[][] {
  let batches: Condition[][] = [[]];
  for (const list of lists) {
    const chunks: string[][] = [];
    let chunk: string[] = [];
    let length = 0;
    for (const value of list.values) {
      const item = listItem(value);
      const cost = encodedLength(item) + 3; // and its encoded comma
      if (chunk.length > 0 && length + cost > MAX_IN_LIST_CHARS) {
        chunks.push(chunk);
        chunk = [];
        length = 0;
      }
      chunk.push(item);
      length += cost;
    }
    chunks.push(chunk);
    batches = batches.flatMap((batch) =>
      chunks.map((items) => [...batch, { column: list.column, operator: 'in', value: `(${items.join(',')})` }]),
    );
  }
  return batches;
}

// ---------------------------------------------------------------------------------------------
// Paging helpers

/** Pages of one batch; rows without a usable id are kept (parseRows reports them). */
function assemble(pages: readonly RawRow[][], wanted: number): BatchOutcome {
  const rows = dedupeById(pages.flat());
  if (rows.length !== wanted) return { consistent: false, reason: `${rows.length} distinct rows for ${wanted} counted` };
  return { consistent: true, rows };
}

function dedupeById(rows: readonly RawRow[]): RawRow[] {
  const seen = new Set<string>();
  const out: RawRow[] = [];
  for (const row of rows) {
    const id = row['id'];
    if (typeof id === 'string' || typeof id === 'number') {
      const key = String(id);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(row);
  }
  return out;
}

function compareInstantThenId(aAt: Instant, aId: string, bAt: Instant, bId: string): number {
  if (aAt !== bAt) return aAt - bAt;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

interface BatchProgress {
  firstPage(rows: number, wanted: number): void;
  page(rows: number): void;
  restart(): void;
}

/** Progress over all batches of one read: rows so far, and the total once every batch has counted. */
function createProgress(
  table: TableName,
  batchCount: number,
  onProgress: ReadOptions['onProgress'],
): { batch(index: number): BatchProgress } {
  const received = new Array<number>(batchCount).fill(0);
  const wanted = new Array<number | null>(batchCount).fill(null);
  const report = (): void => {
    if (!onProgress) return;
    const rows = received.reduce((sum, n) => sum + n, 0);
    const total = wanted.every((n) => n !== null) ? wanted.reduce<number>((sum, n) => sum + (n ?? 0), 0) : null;
    onProgress({ table, rows, total });
  };
  return {
    batch(index) {
      return {
        firstPage(rows, total) {
          received[index] = rows;
          wanted[index] = total;
          report();
        },
        page(rows) {
          received[index] = (received[index] ?? 0) + rows;
          report();
        },
        restart() {
          received[index] = 0;
          wanted[index] = null;
        },
      };
    },
  };
}

/** At most `concurrency` tasks running at once, shared by every read of the source. */
function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Errors and configuration

/**
 * Turns PostgREST's error answers into SourceErrors before supabase-js sees them, while the HTTP
 * status is still known (supabase-js's thrown errors drop it): a rejected key reads differently
 * from a bad query.
 */
function rejectErrorAnswers(send: typeof fetch, origin: string, scrub: (text: string) => string): typeof fetch {
  const checked = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const response = await send(input, init);
    if (response.ok) return response;
    const table = tableOf(input);
    const error = postgrestErrorOf(await response.text());
    const said = [error.message, error.code ? `(${error.code})` : ''].filter(Boolean).join(' ');
    const detail = said ? `: ${scrub(said)}` : '';
    const keyRejected =
      response.status === 401 || response.status === 403 || ['PGRST300', 'PGRST301', 'PGRST302', 'PGRST303', '42501'].includes(error.code ?? '');
    if (keyRejected) {
      throw new PostgrestHttpError(`Supabase at ${origin} rejected the key reading ${table} (HTTP ${response.status}${detail})`, response.status);
    }
    throw new PostgrestHttpError(`Supabase could not read ${table} (HTTP ${response.status}${detail})`, response.status);
  };
  return checked as typeof fetch;
}

function postgrestErrorOf(body: string): { message: string | null; code: string | null } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const { message, code } = parsed as { message?: unknown; code?: unknown };
      return { message: typeof message === 'string' ? message : null, code: typeof code === 'string' && code !== '' ? code : null };
    }
  } catch {
    // Not JSON (a gateway's HTML page): fall through with what little the text says.
  }
  const text = body.replace(/<[^>]*>/g, ' ').trim();
  return { message: text === '' ? null : text, code: null };
}

/** One short line with neither the configured key nor anything shaped like a secret. */
function scrubMessage(text: string, key: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const safe = redact(flat.split(key).join(REDACTED));
  return safe.length > 200 ? safe.slice(0, 197) + '...' : safe;
}

function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('The Supabase URL is not a valid URL (expected e.g. https://<project>.supabase.co)');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`The Supabase URL must start with https:// (got ${parsed.protocol})`);
  }
  return parsed.origin;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`Supabase ${name} must be a positive integer (got ${value})`);
  return value;
}

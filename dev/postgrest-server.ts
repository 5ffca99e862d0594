/**
 * A local HTTP server that speaks the read side of PostgREST 12's protocol, as served behind
 * Supabase's gateway, so that the Supabase source is tested against the protocol rather than
 * against mocks of supabase-js. PostgREST itself cannot be installed here.
 *
 * What it mirrors (checked in test/dev/postgrest-server.test.ts against PostgREST's documentation and
 * source): `select=`, horizontal filters (eq, neq, gt, gte, lt, lte, like, ilike, match, imatch, in,
 * is, `not.`),
 * repeated filters on one column, `order=` with PostgreSQL's null placement, `limit`/`offset` and the
 * `Range` header, the silent `db-max-rows` cap, `Content-Range` and 200/206/416 as PostgREST's
 * RangeQuery.hs computes them, `Prefer: count=exact`, single-object responses, PostgREST's JSON
 * errors, the gateway's 401 without a valid key and 414 for an over-long URI.
 *
 * What it adds for tests: only GET/HEAD are served (405 otherwise) and every request is recorded;
 * deterministic faults (503, connection resets, hangs); an `onRequest` hook that runs before the
 * query is evaluated (to change rows while a paged read is under way); rows that tie on the order
 * keys come back in a shuffled order, as a real planner may return them, so that a client paging
 * without a unique tie-breaker is caught.
 *
 * Documented simplifications: text compares by code unit (the "C" collation); a stored value that
 * does not fit its column type (only possible here, to test malformed rows) reads as NULL in filters
 * and ordering but is returned as stored; `match`/`imatch` (PostgreSQL's `~`/`~*`) run the pattern
 * with JavaScript's engine in Unicode mode, which reads the syntax the tools send (config/
 * portable-regex.ts prints only what both engines read alike; a pattern it cannot compile is
 * PostgreSQL's 2201B), and `imatch` folds case as JavaScript does rather than by a locale;
 * `count=planned|estimated` are answered exactly; `is.not_null`
 * is accepted as a shorthand for `not.is.null`; embedding, `or=`/`and=`, JSON paths and casts are
 * refused with a 400 saying so.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseInstant } from '../src/rows/time.js';

export type ColumnType =
  | 'text'
  | 'uuid'
  | 'integer'
  | 'boolean'
  | 'timestamptz'
  | 'jsonb'
  | { readonly enumName: string; readonly values: readonly string[] };

export type TableColumns = Readonly<Record<string, ColumnType>>;
export type Row = Record<string, unknown>;

const TASK_STATUS: ColumnType = { enumName: 'task_status', values: ['Queued', 'In Progress', 'Complete', 'Failed', 'Cancelled'] };

/** The orchestrator's tables with their real column types (reference/orchestrator-schema.md). */
export const ORCHESTRATOR_TABLES: Readonly<Record<string, TableColumns>> = {
  workers: {
    id: 'text',
    instance_type: 'text',
    created_at: 'timestamptz',
    last_heartbeat: 'timestamptz',
    status: 'text',
    metadata: 'jsonb',
  },
  tasks: {
    id: 'uuid',
    task_type: 'text',
    params: 'jsonb',
    status: TASK_STATUS,
    worker_id: 'text',
    attempts: 'integer',
    error_message: 'text',
    result_data: 'jsonb',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    generation_started_at: 'timestamptz',
    generation_processed_at: 'timestamptz',
  },
  system_logs: {
    id: 'uuid',
    timestamp: 'timestamptz',
    source_type: 'text',
    source_id: 'text',
    log_level: 'text',
    message: 'text',
    task_id: 'uuid',
    worker_id: 'text',
    cycle_number: 'integer',
    metadata: 'jsonb',
  },
};

/** The key the server accepts unless told otherwise; shaped so that no redaction pattern hides a leak. */
export const CONTRACT_TEST_KEY = 'contract-test-key-5e1f9a7c2b';

export interface FaultOptions {
  /** Seeds the fault sequence: the same seed and request order give the same faults. */
  seed?: number;
  /** Fraction of requests answered 503 (PostgREST's "schema cache" answer). */
  unavailableRate?: number;
  /** Retry-After header value sent with those 503s. */
  retryAfter?: string;
  /** Fraction of requests whose connection is destroyed, before the response or mid-body. */
  resetRate?: number;
  /** Fraction of requests never answered. */
  hangRate?: number;
}

export type FaultKind = 'unavailable' | 'reset' | 'hang';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  /** Range, Prefer and Accept as received (never the key headers). */
  headers: { range?: string; prefer?: string; accept?: string };
  /** Null while unanswered, and for resets and hangs. */
  status: number | null;
  fault: FaultKind | null;
  /** performance.now() when the request arrived and when its response was handed to the socket. */
  startedAt: number;
  finishedAt: number | null;
}

export type RequestHook = (request: RecordedRequest) => void | Promise<void>;

export interface PostgrestServerOptions {
  tables?: Readonly<Record<string, TableColumns>>;
  rows?: Readonly<Record<string, readonly Row[]>>;
  /** db-max-rows; null for no cap. Default 1000, Supabase's default. */
  maxRows?: number | null;
  /** Longest request URI (path and query) served; longer ones get 414. Default 8000. */
  maxUriLength?: number;
  apiKeys?: readonly string[];
  faults?: FaultOptions;
  onRequest?: RequestHook;
  /** Seeds the shuffling of rows that tie on the order keys. */
  tieSeed?: number;
}

export interface PostgrestServer {
  /** Base URL to give supabase-js, e.g. `http://127.0.0.1:54321`. */
  url: string;
  requests: RecordedRequest[];
  tables: Record<string, Row[]>;
  insert(table: string, rows: readonly Row[]): void;
  setFaults(faults: FaultOptions): void;
  setOnRequest(hook: RequestHook | null): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_URI_LENGTH = 8000;

export async function startPostgrestServer(options: PostgrestServerOptions = {}): Promise<PostgrestServer> {
  const definitions = options.tables ?? ORCHESTRATOR_TABLES;
  const tables: Record<string, Row[]> = {};
  for (const name of Object.keys(definitions)) tables[name] = [...(options.rows?.[name] ?? [])];
  for (const name of Object.keys(options.rows ?? {})) {
    if (!(name in definitions)) throw new Error(`rows given for unknown table ${name}`);
  }
  const maxRows = options.maxRows === undefined ? DEFAULT_MAX_ROWS : options.maxRows;
  const maxUriLength = options.maxUriLength ?? DEFAULT_MAX_URI_LENGTH;
  const apiKeys = new Set(options.apiKeys ?? [CONTRACT_TEST_KEY]);
  const requests: RecordedRequest[] = [];
  let faults: FaultOptions = options.faults ?? {};
  let faultRandom = mulberry32(faults.seed ?? 1);
  const tieRandom = mulberry32(options.tieSeed ?? 7);
  let onRequest: RequestHook | null = options.onRequest ?? null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: pickHeaders(req),
      status: null,
      fault: null,
      startedAt: performance.now(),
      finishedAt: null,
    };
    requests.push(record);
    res.on('finish', () => {
      record.finishedAt = performance.now();
    });

    const fault = drawFault();
    const resetMidBody = fault === 'reset' && faultRandom() < 0.5;
    if (fault === 'hang') {
      record.fault = 'hang';
      return;
    }
    if (fault === 'reset' && !resetMidBody) {
      record.fault = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault === 'unavailable') {
      record.fault = 'unavailable';
      const headers: Record<string, string> = {};
      if (faults.retryAfter !== undefined) headers['Retry-After'] = faults.retryAfter;
      send(res, record, req.method === 'HEAD', {
        status: 503,
        headers,
        body: pgrstError('PGRST002', 'Could not query the database for the schema cache. Retrying.'),
      });
      return;
    }

    const answer = await answerRequest(req, record);
    if (resetMidBody) {
      // Headers and half the body, then the connection dies: the client sees a truncated body.
      record.fault = 'reset';
      const body = Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body));
      res.writeHead(answer.status, { ...answer.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setImmediate(() => req.socket.destroy());
      return;
    }
    send(res, record, req.method === 'HEAD', answer);
  }

  async function answerRequest(req: IncomingMessage, record: RecordedRequest): Promise<Answer> {
    const rawUrl = req.url ?? '/';
    // The gateway refuses long URIs before anything else looks at the request.
    if (rawUrl.length > maxUriLength) return { status: 414, headers: {}, body: { message: 'Request-URI Too Large' } };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        status: 405,
        headers: { Allow: 'GET, HEAD' },
        body: pgrstError('PGRST117', `Unsupported HTTP method: ${req.method ?? ''}`, 'The contract server is read-only.'),
      };
    }
    const url = new URL(rawUrl, 'http://contract.invalid');
    const apiKey = headerValue(req, 'apikey') ?? url.searchParams.get('apikey');
    if (apiKey === null) {
      return {
        status: 401,
        headers: {},
        body: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' },
      };
    }
    if (!apiKeys.has(apiKey)) {
      return {
        status: 401,
        headers: {},
        body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
      };
    }
    const authorization = headerValue(req, 'authorization');
    if (authorization === null) return { status: 401, headers: {}, body: pgrstError('PGRST302', 'Anonymous access is disabled') };
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    if (bearer === undefined || !apiKeys.has(bearer)) {
      return {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="JWSError JWSInvalidSignature"' },
        body: pgrstError('PGRST301', 'JWSError JWSInvalidSignature'),
      };
    }
    if (onRequest) await onRequest(record);
    try {
      return readTable(url, req);
    } catch (error) {
      if (error instanceof ProtocolError) return { status: error.status, headers: {}, body: error.body };
      throw error;
    }
  }

  function readTable(url: URL, req: IncomingMessage): Answer {
    const match = /^\/rest\/v1\/([^/]+)\/?$/.exec(url.pathname);
    if (!match?.[1]) throw new ProtocolError(404, pgrstError('PGRST125', 'Invalid path specified in request URL'));
    const table = decodeURIComponent(match[1]);
    const columns = definitions[table];
    const rows = tables[table];
    if (!columns || !rows) {
      throw new ProtocolError(404, pgrstError('PGRST205', `Could not find the table 'public.${table}' in the schema cache`));
    }
    const query = parseQuery(table, columns, url.searchParams);
    const range = requestedRange(url.searchParams, headerValue(req, 'range'), maxRows);
    const media = negotiate(headerValue(req, 'accept'));
    const wantsCount = /\bcount=(exact|planned|estimated)\b/.test(headerValue(req, 'prefer') ?? '');

    const matching = rows.filter((row) => query.filters.every((filter) => filter(row) === true));
    const total = matching.length;
    const ordered = orderRows(matching, query.order, columns);
    const page = range.upper < range.lower ? [] : ordered.slice(range.lower, range.upper + 1);

    const lower = range.lower;
    const upper = lower + page.length - 1;
    if (wantsCount && lower > total) {
      throw new ProtocolError(
        416,
        pgrstError('PGRST103', 'Requested range not satisfiable', null, `An offset of ${lower} was requested, but there are only ${total} rows.`),
      );
    }
    const totalText = wantsCount ? String(total) : '*';
    const rangeText = (!wantsCount || total !== 0) && lower <= upper ? `${lower}-${upper}` : '*';
    const status = wantsCount && page.length < total ? 206 : 200;
    const projected = page.map((row) => project(row, query.select, media.stripNulls));

    if (media.singleObject) {
      if (projected.length !== 1) {
        throw new ProtocolError(
          406,
          pgrstError('PGRST116', 'Cannot coerce the result to a single JSON object', null, `The result contains ${projected.length} rows`),
        );
      }
      return {
        status,
        headers: { 'Content-Range': `${rangeText}/${totalText}`, 'Content-Type': 'application/vnd.pgrst.object+json; charset=utf-8' },
        body: projected[0],
      };
    }
    return { status, headers: { 'Content-Range': `${rangeText}/${totalText}` }, body: projected };
  }

  function orderRows(rows: Row[], terms: readonly OrderTerm[], columns: TableColumns): Row[] {
    // Rows that tie on every key come back in no particular order, as from a real planner.
    const shuffled = [...rows];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(tieRandom() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as Row, shuffled[i] as Row];
    }
    if (terms.length === 0) return shuffled;
    const keyed = shuffled.map((row) => ({ row, keys: terms.map((term) => cellValue(row, term.column, columns)) }));
    keyed.sort((a, b) => {
      for (let k = 0; k < terms.length; k++) {
        const term = terms[k] as OrderTerm;
        const order = compareForOrder(a.keys[k] ?? null, b.keys[k] ?? null, term, columns[term.column] as ColumnType);
        if (order !== 0) return order;
      }
      return 0;
    });
    return keyed.map((entry) => entry.row);
  }

  function drawFault(): FaultKind | null {
    const unavailable = faults.unavailableRate ?? 0;
    const reset = faults.resetRate ?? 0;
    const hang = faults.hangRate ?? 0;
    if (unavailable + reset + hang <= 0) return null;
    const draw = faultRandom();
    if (draw < unavailable) return 'unavailable';
    if (draw < unavailable + reset) return 'reset';
    if (draw < unavailable + reset + hang) return 'hang';
    return null;
  }

  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(pgrstError('XX000', error instanceof Error ? error.message : String(error))));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tables,
    insert(table, newRows) {
      const rows = tables[table];
      if (!rows) throw new Error(`unknown table ${table}`);
      rows.push(...newRows);
    },
    setFaults(next) {
      faults = next;
      faultRandom = mulberry32(next.seed ?? 1);
    },
    setOnRequest(hook) {
      onRequest = hook;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Responses and errors

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface PgrstErrorBody {
  code: string;
  details: string | null;
  hint: string | null;
  message: string;
}

function pgrstError(code: string, message: string, hint: string | null = null, details: string | null = null): PgrstErrorBody {
  return { code, details, hint, message };
}

/** A request PostgREST would refuse: carries the status and PostgREST's JSON error. */
class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly body: PgrstErrorBody,
  ) {
    super(body.message);
  }
}

function send(res: ServerResponse, record: RecordedRequest, isHead: boolean, answer: Answer): void {
  const body = Buffer.from(JSON.stringify(answer.body));
  record.status = answer.status;
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    ...answer.headers,
    'Content-Length': String(body.length),
  });
  res.end(isHead ? undefined : body);
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function pickHeaders(req: IncomingMessage): RecordedRequest['headers'] {
  const picked: RecordedRequest['headers'] = {};
  const range = headerValue(req, 'range');
  const prefer = headerValue(req, 'prefer');
  const accept = headerValue(req, 'accept');
  if (range !== null) picked.range = range;
  if (prefer !== null) picked.prefer = prefer;
  if (accept !== null) picked.accept = accept;
  return picked;
}

function negotiate(accept: string | null): { singleObject: boolean; stripNulls: boolean } {
  if (accept === null) return { singleObject: false, stripNulls: false };
  const offered = accept.split(',').map((part) => part.trim());
  for (const media of offered) {
    const [type = '', ...params] = media.split(';').map((part) => part.trim().toLowerCase());
    const stripNulls = params.includes('nulls=stripped');
    if (type === 'application/vnd.pgrst.object+json') return { singleObject: true, stripNulls };
    if (type === 'application/json' || type === 'application/vnd.pgrst.array+json' || type === '*/*' || type === 'application/*') {
      return { singleObject: false, stripNulls };
    }
  }
  throw new ProtocolError(406, pgrstError('PGRST107', `None of these media types are available: ${offered.join(', ')}`));
}

// ---------------------------------------------------------------------------------------------
// Query string: select, filters, order

type Trilean = boolean | null;
type RowFilter = (row: Row) => Trilean;

interface SelectItem {
  column: string;
  alias: string;
}

interface OrderTerm {
  column: string;
  descending: boolean;
  nullsFirst: boolean;
}

interface ParsedQuery {
  select: SelectItem[];
  filters: RowFilter[];
  order: OrderTerm[];
}

const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'apikey']);
const SIMPLE_OPERATORS = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);
/** Operators PostgREST knows that this server does not implement (refused with a 400, never ignored). */
const UNIMPLEMENTED_OPERATORS = new Set(['cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'fts', 'plfts', 'phfts', 'wfts', 'isdistinct']);

function parseQuery(table: string, columns: TableColumns, params: URLSearchParams): ParsedQuery {
  const select = parseSelect(table, columns, params.get('select') ?? '*');
  const filters: RowFilter[] = [];
  const orderTexts: string[] = [];
  for (const [key, value] of params) {
    if (key === 'order') {
      orderTexts.push(value);
      continue;
    }
    if (key === 'or' || key === 'and' || key.includes('.')) {
      throw new ProtocolError(400, pgrstError('PGRST100', `"${key}" is not implemented by the contract server`));
    }
    if (RESERVED_PARAMS.has(key) || value === '') continue;
    // PostgREST treats a parameter as a filter only when its value starts with an operator;
    // anything else is an RPC argument, ignored on a table read.
    if (!hasOperator(value)) continue;
    filters.push(parseFilter(table, columns, key, value));
  }
  const order = orderTexts.flatMap((text) => parseOrder(table, columns, text));
  return { select, filters, order };
}

function hasOperator(value: string): boolean {
  const parts = value.split('.');
  const first = parts[0] ?? '';
  if (first === 'not') return parts.length >= 2;
  return first === 'is' || first === 'in' || SIMPLE_OPERATORS.has(first) || UNIMPLEMENTED_OPERATORS.has(first);
}

function undefinedColumn(table: string, column: string): ProtocolError {
  return new ProtocolError(400, pgrstError('42703', `column ${table}.${column} does not exist`));
}

function parseSelect(table: string, columns: TableColumns, text: string): SelectItem[] {
  const items: SelectItem[] = [];
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    if (item === '*') {
      for (const column of Object.keys(columns)) items.push({ column, alias: column });
      continue;
    }
    if (/[()]|->|::|!/.test(item)) {
      throw new ProtocolError(400, pgrstError('PGRST100', `failed to parse select parameter (${text})`, null, 'embedding, JSON paths and casts are not implemented by the contract server'));
    }
    const aliased = /^([^:]+):([^:]+)$/.exec(item);
    const column = (aliased ? aliased[2] : item)?.trim() ?? '';
    const alias = (aliased ? aliased[1] : item)?.trim() ?? '';
    if (column === '') throw new ProtocolError(400, pgrstError('PGRST100', `failed to parse select parameter (${text})`));
    if (!(column in columns)) throw undefinedColumn(table, column);
    items.push({ column, alias });
  }
  return items;
}

function parseOrder(table: string, columns: TableColumns, text: string): OrderTerm[] {
  return text.split(',').map((rawTerm) => {
    const parts = rawTerm.trim().split('.');
    const column = parts[0] ?? '';
    let rest = parts.slice(1);
    let descending = false;
    if (rest[0] === 'asc' || rest[0] === 'desc') {
      descending = rest[0] === 'desc';
      rest = rest.slice(1);
    }
    // PostgreSQL's defaults: NULLS LAST for ASC, NULLS FIRST for DESC.
    let nullsFirst = descending;
    if (rest[0] === 'nullsfirst' || rest[0] === 'nullslast') {
      nullsFirst = rest[0] === 'nullsfirst';
      rest = rest.slice(1);
    }
    if (column === '' || rest.length > 0) {
      throw new ProtocolError(400, pgrstError('PGRST100', `"failed to parse order (${text})"`, null, `unexpected "${rest[0] ?? ''}" expecting "asc", "desc", "nullsfirst" or "nullslast"`));
    }
    if (!(column in columns)) throw undefinedColumn(table, column);
    return { column, descending, nullsFirst };
  });
}

function parseFilter(table: string, columns: TableColumns, column: string, text: string): RowFilter {
  const negated = text.startsWith('not.');
  const expression = negated ? text.slice(4) : text;
  const dot = expression.indexOf('.');
  const operator = dot < 0 ? expression : expression.slice(0, dot);
  const operand = dot < 0 ? '' : expression.slice(dot + 1);
  const parseFailure = (details: string): ProtocolError =>
    new ProtocolError(400, pgrstError('PGRST100', `"failed to parse filter (${text})"`, null, details));
  if (dot < 0) throw parseFailure('expecting delimiter (.)');
  if (UNIMPLEMENTED_OPERATORS.has(operator)) throw parseFailure(`operator ${operator} is not implemented by the contract server`);
  if (operator !== 'in' && operator !== 'is' && !SIMPLE_OPERATORS.has(operator)) {
    throw parseFailure(`unknown single value operator ${operator}`);
  }
  const type = columns[column];
  if (type === undefined) throw undefinedColumn(table, column);

  let test: RowFilter;
  if (operator === 'is') {
    test = isFilter(column, type, columns, operand, parseFailure);
  } else if (operator === 'in') {
    const values = parseList(operand, parseFailure).map((value) => literal(type, value));
    test = (row) => {
      const cell = cellValue(row, column, columns);
      if (cell === null) return null;
      return values.some((value) => compareValues(cell, value, type) === 0);
    };
  } else if (operator === 'match' || operator === 'imatch') {
    if (type !== 'text') {
      throw new ProtocolError(
        404,
        pgrstError('42883', `operator does not exist: ${pgTypeName(type)} ${operator === 'match' ? '~' : '~*'} unknown`, 'No operator matches the given name and argument types. You might need to add explicit type casts.'),
      );
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(operand, operator === 'match' ? 'u' : 'iu');
    } catch (error) {
      throw new ProtocolError(400, pgrstError('2201B', `invalid regular expression: ${(error as Error).message}`));
    }
    test = (row) => {
      const cell = cellValue(row, column, columns);
      return cell === null ? null : pattern.test(cell as string);
    };
  } else if (operator === 'like' || operator === 'ilike') {
    if (type !== 'text') {
      throw new ProtocolError(
        404,
        pgrstError('42883', `operator does not exist: ${pgTypeName(type)} ${operator === 'like' ? '~~' : '~~*'} unknown`, 'No operator matches the given name and argument types. You might need to add explicit type casts.'),
      );
    }
    const pattern = likePattern(operand, operator === 'ilike');
    test = (row) => {
      const cell = cellValue(row, column, columns);
      return cell === null ? null : pattern.test(cell as string);
    };
  } else {
    if (type === 'jsonb') throw parseFailure(`${operator} on a jsonb column is not implemented by the contract server`);
    const value = literal(type, operand);
    const accept = COMPARISONS[operator] as (order: number) => boolean;
    test = (row) => {
      const cell = cellValue(row, column, columns);
      return cell === null ? null : accept(compareValues(cell, value, type));
    };
  }
  if (!negated) return test;
  return (row) => {
    const result = test(row);
    return result === null ? null : !result;
  };
}

const COMPARISONS: Readonly<Record<string, (order: number) => boolean>> = {
  eq: (o) => o === 0,
  neq: (o) => o !== 0,
  gt: (o) => o > 0,
  gte: (o) => o >= 0,
  lt: (o) => o < 0,
  lte: (o) => o <= 0,
};

function isFilter(column: string, type: ColumnType, columns: TableColumns, operand: string, parseFailure: (details: string) => ProtocolError): RowFilter {
  const value = operand.toLowerCase();
  if (value === 'null') return (row) => cellValue(row, column, columns) === null;
  if (value === 'not_null') return (row) => cellValue(row, column, columns) !== null;
  if (value === 'true' || value === 'false' || value === 'unknown') {
    if (type !== 'boolean') {
      throw new ProtocolError(400, pgrstError('42804', `argument of IS ${value.toUpperCase()} must be type boolean, not type ${pgTypeName(type)}`));
    }
    if (value === 'unknown') return (row) => cellValue(row, column, columns) === null;
    const wanted = value === 'true';
    return (row) => cellValue(row, column, columns) === wanted;
  }
  throw parseFailure('expecting null or trilean value (unknown, true, false)');
}

/**
 * `(a,b,"quoted, value")` as PostgREST's pListVal parses it: blanks after `(` are skipped; a value
 * in double quotes (with `\` escaping the next character) counts only when a `,` or the end follows
 * it, otherwise the text is taken raw, quotes included.
 */
function parseList(text: string, parseFailure: (details: string) => ProtocolError): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) throw parseFailure('expecting "("');
  const inner = trimmed.slice(1, -1).replace(/^[ \t]+/, '');
  const values: string[] = [];
  let i = 0;
  for (;;) {
    const quoted = inner[i] === '"' ? quotedValueAt(inner, i) : null;
    if (quoted) {
      values.push(quoted.value);
      i = quoted.end;
    } else {
      const comma = inner.indexOf(',', i);
      const end = comma < 0 ? inner.length : comma;
      values.push(inner.slice(i, end));
      i = end;
    }
    if (i >= inner.length) return values;
    i++; // the comma
  }
}

function quotedValueAt(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let j = start + 1;
  while (j < text.length && text[j] !== '"') {
    if (text[j] === '\\' && j + 1 < text.length) j++;
    value += text[j];
    j++;
  }
  const end = j + 1;
  if (j >= text.length || (end < text.length && text[end] !== ',')) return null;
  return { value, end };
}

/** A LIKE pattern as PostgreSQL reads it, after PostgREST turned every `*` into `%`. */
function likePattern(operand: string, caseInsensitive: boolean): RegExp {
  const chars = Array.from(operand.replaceAll('*', '%'));
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw new ProtocolError(400, pgrstError('22025', 'LIKE pattern must not end with escape character'));
      source += escapeRegExp(next);
      i++;
    } else if (c === '%') {
      source += '[\\s\\S]*';
    } else if (c === '_') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

/** Escapes RegExp syntax characters (only those: the `u` flag rejects needless escapes such as `\-`). */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Values: literals from the query string, cells from stored rows, comparison

type Value = string | number | boolean;

function pgTypeName(type: ColumnType): string {
  if (typeof type === 'object') return type.enumName;
  return type === 'timestamptz' ? 'timestamp with time zone' : type;
}

const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** A filter value cast to the column's type, failing as PostgreSQL does for a bad literal. */
function literal(type: ColumnType, text: string): Value {
  const invalid = (code: string, message: string): ProtocolError => new ProtocolError(400, pgrstError(code, message));
  if (typeof type === 'object') {
    if (!type.values.includes(text)) throw invalid('22P02', `invalid input value for enum ${type.enumName}: "${text}"`);
    return type.values.indexOf(text);
  }
  switch (type) {
    case 'text':
      return text;
    case 'uuid': {
      const m = UUID.exec(text.trim());
      if (!m) throw invalid('22P02', `invalid input syntax for type uuid: "${text}"`);
      return m.slice(1).join('-').toLowerCase();
    }
    case 'integer': {
      const trimmed = text.trim();
      const n = Number(trimmed);
      if (!/^[+-]?\d+$/.test(trimmed) || n > 2147483647 || n < -2147483648) {
        throw invalid('22P02', `invalid input syntax for type integer: "${text}"`);
      }
      return n;
    }
    case 'boolean': {
      const lowered = text.trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(lowered)) return true;
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(lowered)) return false;
      throw invalid('22P02', `invalid input syntax for type boolean: "${text}"`);
    }
    case 'timestamptz': {
      const instant = parseInstant(text);
      if (instant === null) throw invalid('22007', `invalid input syntax for type timestamp with time zone: "${text}"`);
      return instant;
    }
    case 'jsonb':
      return text;
  }
}

const instantCache = new Map<string, number | null>();

/** A stored cell as its column type reads it; null for SQL NULL (and for a value that does not fit the type). */
function cellValue(row: Row, column: string, columns: TableColumns): Value | null {
  const raw = row[column];
  if (raw === undefined || raw === null) return null;
  const type = columns[column] as ColumnType;
  if (typeof type === 'object') {
    const index = typeof raw === 'string' ? type.values.indexOf(raw) : -1;
    return index < 0 ? null : index;
  }
  switch (type) {
    case 'text':
      return typeof raw === 'string' ? raw : null;
    case 'uuid':
      return typeof raw === 'string' ? raw.toLowerCase() : null;
    case 'integer':
      return typeof raw === 'number' && Number.isInteger(raw) ? raw : null;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
    case 'timestamptz': {
      if (typeof raw !== 'string') return null;
      let instant = instantCache.get(raw);
      if (instant === undefined) {
        instant = parseInstant(raw);
        instantCache.set(raw, instant);
      }
      return instant;
    }
    case 'jsonb':
      return JSON.stringify(raw);
  }
}

function compareValues(a: Value, b: Value, type: ColumnType): number {
  if (type === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareForOrder(a: Value | null, b: Value | null, term: OrderTerm, type: ColumnType): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === term.nullsFirst ? -1 : 1;
  }
  const order = compareValues(a, b, type);
  return term.descending ? -order : order;
}

function project(row: Row, select: readonly SelectItem[], stripNulls: boolean): Row {
  const out: Row = {};
  for (const { column, alias } of select) {
    const value = row[column] ?? null;
    if (stripNulls && value === null) continue;
    out[alias] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ranges: limit/offset, the Range header and db-max-rows, as PostgREST's RangeQuery.hs combines them

interface RowRange {
  lower: number;
  /** Inclusive; Infinity when open-ended; below `lower` for an empty range (limit=0). */
  upper: number;
}

function requestedRange(params: URLSearchParams, rangeHeader: string | null, maxRows: number | null): RowRange {
  const limit = integerParam(params.get('limit'));
  const offset = integerParam(params.get('offset'));
  if ((limit !== null && limit < 0) || (offset !== null && offset < 0)) {
    throw new ProtocolError(416, pgrstError('PGRST103', 'Requested range not satisfiable', null, 'limit and offset must not be negative'));
  }
  let lower = offset ?? 0;
  let upper = limit === null ? Infinity : lower + limit - 1;
  // A Range header that does not parse is ignored, as PostgREST's rangeParse does.
  const header = rangeHeader === null ? null : /^(\d+)-(\d*)$/.exec(rangeHeader.trim());
  if (header) {
    const headerLower = Number(header[1]);
    const headerUpper = header[2] === '' ? Infinity : Number(header[2]);
    if (headerUpper < headerLower) {
      throw new ProtocolError(
        416,
        pgrstError('PGRST103', 'Requested range not satisfiable', null, 'The lower boundary must be lower than or equal to the upper boundary in the Range header.'),
      );
    }
    lower = Math.max(lower, headerLower);
    upper = Math.min(upper, headerUpper);
  }
  if (maxRows !== null) upper = Math.min(upper, lower + maxRows - 1);
  return { lower, upper };
}

/** PostgREST reads limit/offset with readMaybe: anything that is not an integer is ignored. */
function integerParam(text: string | null): number | null {
  if (text === null || !/^-?\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}

// ---------------------------------------------------------------------------------------------

/** Small seeded PRNG (mulberry32): deterministic faults and tie orders from a seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

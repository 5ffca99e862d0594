/**
 * The contract server checked against PostgREST 12's documented behaviour (docs.postgrest.org
 * "Pagination and Count", "Tables and Views" operators, error codes; RangeQuery.hs for the status
 * and Content-Range rules; QueryParams.hs for the list and order grammar).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import {
  CONTRACT_TEST_KEY,
  startPostgrestServer,
  type PostgrestServer,
  type PostgrestServerOptions,
  type Row,
} from '../../dev/postgrest-server.js';

const servers: PostgrestServer[] = [];

async function start(options: PostgrestServerOptions = {}): Promise<PostgrestServer> {
  const server = await startPostgrestServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const AUTH = { apikey: CONTRACT_TEST_KEY, Authorization: `Bearer ${CONTRACT_TEST_KEY}` };

function get(server: PostgrestServer, pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetch(server.url + pathAndQuery, { method, headers: { ...AUTH, ...headers } });
}

async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text());
}

async function ids(response: Response): Promise<unknown[]> {
  const body = (await json(response)) as Row[];
  return body.map((row) => row['id']);
}

/** `n` log lines of worker w1, one second apart, ids l0000… */
function logRows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    timestamp: new Date(Date.UTC(2025, 9, 17, 12, 0, 0) + i * 1000).toISOString().replace('Z', '+00:00'),
    source_type: 'worker',
    source_id: 'w1',
    log_level: 'INFO',
    message: `line ${i}`,
    task_id: null,
    worker_id: 'w1',
    cycle_number: i,
    metadata: {},
  }));
}

const PEOPLE_TABLES = {
  people: { id: 'integer', name: 'text', active: 'boolean', born: 'timestamptz', note: 'text' },
} as const;

const PEOPLE: Row[] = [
  { id: 1, name: 'Ada', active: true, born: '2025-01-01T00:00:00+00:00', note: '100% sure' },
  { id: 2, name: 'bob', active: false, born: '2025-01-01T01:00:00+01:00', note: 'snake_case' },
  { id: 3, name: 'Cy, Jr.', active: null, born: null, note: 'back\\slash' },
  { id: 4, name: 'say "hi"', active: true, born: '2025-01-03T00:00:00Z', note: null },
  { id: 5, name: 'ADA', active: false, born: '2025-01-02T00:00:00.5Z', note: '100 percent' },
];

describe('gateway behaviour: keys, methods, URI length', () => {
  it('answers 401 without an apikey, with a wrong one, and without a valid bearer token', async () => {
    const server = await start({ rows: { system_logs: logRows(3) } });
    const none = await fetch(`${server.url}/rest/v1/system_logs`);
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ message: 'No API key found in request' });

    const wrong = await get(server, '/rest/v1/system_logs', { apikey: 'nope', Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toMatchObject({ message: 'Invalid API key' });

    const noBearer = await fetch(`${server.url}/rest/v1/system_logs`, { headers: { apikey: CONTRACT_TEST_KEY } });
    expect(noBearer.status).toBe(401);
    expect(await json(noBearer)).toMatchObject({ code: 'PGRST302' });

    const badBearer = await get(server, '/rest/v1/system_logs', { Authorization: 'Bearer forged' });
    expect(badBearer.status).toBe(401);
    expect(await json(badBearer)).toMatchObject({ code: 'PGRST301' });

    expect((await get(server, '/rest/v1/system_logs')).status).toBe(200);
  });

  it('answers 405 to every method but GET and HEAD, and records every request', async () => {
    const server = await start({ rows: { system_logs: logRows(3) } });
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await get(server, '/rest/v1/system_logs?id=eq.00000000-0000-4000-8000-000000000000', {}, method);
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      await response.arrayBuffer();
    }
    expect(server.tables['system_logs']).toHaveLength(3);
    expect(server.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 405],
      ['PATCH', 405],
      ['PUT', 405],
      ['DELETE', 405],
      ['OPTIONS', 405],
    ]);
    expect(server.requests.every((r) => r.url.startsWith('/rest/v1/system_logs?id=eq.'))).toBe(true);
  });

  it('answers 414 to a URI over the limit and serves one at the limit', async () => {
    const server = await start({ maxUriLength: 200 });
    const base = '/rest/v1/workers?id=eq.';
    const atLimit = base + 'x'.repeat(200 - base.length);
    expect((await get(server, atLimit)).status).toBe(200);
    const over = await get(server, atLimit + 'x');
    expect(over.status).toBe(414);
    const defaults = await start();
    expect((await get(defaults, `${base}${'y'.repeat(8100)}`)).status).toBe(414);
    expect(defaults.requests[0]?.status).toBe(414);
  });
});

describe('pagination and count', () => {
  it('caps every answer at db-max-rows silently, after limit and offset', async () => {
    const server = await start({ rows: { system_logs: logRows(2500) }, maxRows: 1000 });
    const all = await get(server, '/rest/v1/system_logs?select=id&order=id.asc');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-range')).toBe('0-999/*');
    expect(await json(all)).toHaveLength(1000);

    const window = await get(server, '/rest/v1/system_logs?select=id&order=id.asc&limit=2000&offset=100');
    expect(window.headers.get('content-range')).toBe('100-1099/*');
    const got = await ids(window);
    expect(got).toHaveLength(1000);
    expect(got[0]).toBe('00000000-0000-4000-8000-000000000100');

    const tail = await get(server, '/rest/v1/system_logs?select=id&order=id.asc&offset=2400');
    expect(tail.headers.get('content-range')).toBe('2400-2499/*');
    expect(await json(tail)).toHaveLength(100);
  });

  it('gives the total in Content-Range only with Prefer: count=exact, and 206 when partial', async () => {
    const server = await start({ rows: { system_logs: logRows(2500) }, maxRows: 1000 });
    const counted = await get(server, '/rest/v1/system_logs?select=id&limit=10', { Prefer: 'count=exact' });
    expect(counted.status).toBe(206);
    expect(counted.headers.get('content-range')).toBe('0-9/2500');

    const uncounted = await get(server, '/rest/v1/system_logs?select=id&limit=10');
    expect(uncounted.status).toBe(200);
    expect(uncounted.headers.get('content-range')).toBe('0-9/*');

    // The cap makes an unbounded counted read partial too.
    const capped = await get(server, '/rest/v1/system_logs?select=id', { Prefer: 'count=exact' });
    expect(capped.status).toBe(206);
    expect(capped.headers.get('content-range')).toBe('0-999/2500');

    const whole = await get(server, '/rest/v1/system_logs?select=id&cycle_number=lt.5', { Prefer: 'count=exact' });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-range')).toBe('0-4/5');
  });

  it('writes empty results as */* without a count and */0 with one', async () => {
    const server = await start({ rows: { system_logs: logRows(5) } });
    const empty = await get(server, '/rest/v1/system_logs?worker_id=eq.nobody');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-range')).toBe('*/*');
    expect(await json(empty)).toEqual([]);

    const emptyCounted = await get(server, '/rest/v1/system_logs?worker_id=eq.nobody', { Prefer: 'count=exact' });
    expect(emptyCounted.status).toBe(200);
    expect(emptyCounted.headers.get('content-range')).toBe('*/0');

    const limitZero = await get(server, '/rest/v1/system_logs?limit=0', { Prefer: 'count=exact' });
    expect(limitZero.status).toBe(206);
    expect(limitZero.headers.get('content-range')).toBe('*/5');
  });

  it('answers 416 (PGRST103) to an offset past the counted total, and an empty page without a count', async () => {
    const server = await start({ rows: { system_logs: logRows(5) } });
    const past = await get(server, '/rest/v1/system_logs?offset=10', { Prefer: 'count=exact' });
    expect(past.status).toBe(416);
    expect(await json(past)).toEqual({
      code: 'PGRST103',
      details: 'An offset of 10 was requested, but there are only 5 rows.',
      hint: null,
      message: 'Requested range not satisfiable',
    });
    const uncounted = await get(server, '/rest/v1/system_logs?offset=10');
    expect(uncounted.status).toBe(200);
    expect(uncounted.headers.get('content-range')).toBe('*/*');
  });

  it('honours the Range header like limit/offset, intersected with them', async () => {
    const server = await start({ rows: { system_logs: logRows(50) } });
    const ranged = await get(server, '/rest/v1/system_logs?select=id&order=id.asc', { Range: '5-9', 'Range-Unit': 'items', Prefer: 'count=exact' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('5-9/50');
    expect(await ids(ranged)).toEqual([5, 6, 7, 8, 9].map((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));

    const openEnded = await get(server, '/rest/v1/system_logs?select=id', { Range: '45-' });
    expect(openEnded.headers.get('content-range')).toBe('45-49/*');

    const both = await get(server, '/rest/v1/system_logs?select=id&offset=7&limit=100', { Range: '0-9' });
    expect(both.headers.get('content-range')).toBe('7-9/*');

    const inverted = await get(server, '/rest/v1/system_logs', { Range: '9-5' });
    expect(inverted.status).toBe(416);
    expect(await json(inverted)).toMatchObject({ code: 'PGRST103' });
  });

  it('answers HEAD with the same status and headers and no body', async () => {
    const server = await start({ rows: { system_logs: logRows(30) } });
    const head = await get(server, '/rest/v1/system_logs?limit=10', { Prefer: 'count=exact' }, 'HEAD');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe('0-9/30');
    expect(await head.text()).toBe('');
  });
});

describe('ordering', () => {
  it('puts NULLs last ascending and first descending by default, and obeys nullsfirst/nullslast', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    expect(await ids(await get(server, '/rest/v1/people?order=born.asc,id'))).toEqual([1, 2, 5, 4, 3]);
    expect(await ids(await get(server, '/rest/v1/people?order=born.desc,id'))).toEqual([3, 4, 5, 1, 2]);
    expect(await ids(await get(server, '/rest/v1/people?order=born,id'))).toEqual([1, 2, 5, 4, 3]);
    expect(await ids(await get(server, '/rest/v1/people?order=born.asc.nullsfirst,id'))).toEqual([3, 1, 2, 5, 4]);
    expect(await ids(await get(server, '/rest/v1/people?order=born.desc.nullslast,id'))).toEqual([4, 5, 1, 2, 3]);
  });

  it('orders by several keys, comparing timestamptz as instants whatever their offset', async () => {
    // 2025-01-01T01:00:00+01:00 is midnight UTC: it ties with Ada's birth, so id breaks the tie.
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    expect(await ids(await get(server, '/rest/v1/people?order=born.asc,id.desc&born=not.is.null'))).toEqual([2, 1, 5, 4]);
    expect(await ids(await get(server, '/rest/v1/people?order=active.desc.nullslast,id.asc'))).toEqual([1, 4, 2, 5, 3]);
  });

  it('rejects an order on an unknown column (42703) and a malformed order (PGRST100)', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const unknown = await get(server, '/rest/v1/people?order=height.asc');
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toMatchObject({ code: '42703', message: 'column people.height does not exist' });
    const malformed = await get(server, '/rest/v1/people?order=id.upward');
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toMatchObject({ code: 'PGRST100' });
  });
});

describe('select and horizontal filters', () => {
  it('selects listed columns (with aliases) or all with *, and rejects unknown ones with 42703', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    expect(await json(await get(server, '/rest/v1/people?select=id,who:name&id=eq.1'))).toEqual([{ id: 1, who: 'Ada' }]);
    expect(Object.keys(((await json(await get(server, '/rest/v1/people?id=eq.1'))) as Row[])[0] ?? {})).toEqual([
      'id',
      'name',
      'active',
      'born',
      'note',
    ]);
    const unknown = await get(server, '/rest/v1/people?select=id,height');
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toEqual({ code: '42703', details: null, hint: null, message: 'column people.height does not exist' });
  });

  it('compares with eq, neq, gt, gte, lt, lte by column type; NULLs never match a comparison', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/people?order=id&${query}`).then(ids);
    expect(await q('id=eq.2')).toEqual([2]);
    expect(await q('id=neq.2')).toEqual([1, 3, 4, 5]);
    expect(await q('id=gt.3')).toEqual([4, 5]);
    expect(await q('id=gte.3')).toEqual([3, 4, 5]);
    expect(await q('id=lt.3')).toEqual([1, 2]);
    expect(await q('id=lte.1')).toEqual([1]);
    // Instants, not text: "+01:00" at 01:00 equals midnight UTC.
    expect(await q(`born=eq.${encodeURIComponent('2025-01-01T00:00:00+00:00')}`)).toEqual([1, 2]);
    expect(await q('born=gt.2025-01-02T00:00:00Z')).toEqual([4, 5]);
    expect(await q('note=neq.snake_case')).toEqual([1, 3, 5]);
    expect(await q('note=not.eq.snake_case')).toEqual([1, 3, 5]);
  });

  it('combines several filters on one column (repeated keys) with AND', async () => {
    const server = await start({ rows: { system_logs: logRows(20) } });
    const response = await get(
      server,
      '/rest/v1/system_logs?select=cycle_number&order=id&timestamp=gte.2025-10-17T12:00:05Z&timestamp=lte.2025-10-17T12:00:08Z',
    );
    expect(((await json(response)) as Row[]).map((r) => r['cycle_number'])).toEqual([5, 6, 7, 8]);
  });

  it('matches like and ilike with * or % as wildcards, _ as one character, and \\ escapes', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/people?order=id&${query}`).then(ids);
    expect(await q('name=like.A*')).toEqual([1, 5]);
    expect(await q('name=like.Ad*')).toEqual([1]);
    expect(await q('name=ilike.ad*')).toEqual([1, 5]);
    expect(await q(`name=ilike.${encodeURIComponent('%d%')}`)).toEqual([1, 5]);
    expect(await q('name=like.b_b')).toEqual([2]);
    expect(await q('name=like.b_')).toEqual([]);
    // 100\% matches a literal percent sign only.
    expect(await q(`note=like.${encodeURIComponent('100\\%*')}`)).toEqual([1]);
    expect(await q(`note=like.${encodeURIComponent('100%')}`)).toEqual([1, 5]);
    expect(await q(`note=like.${encodeURIComponent('snake\\_case')}`)).toEqual([2]);
    expect(await q(`note=like.${encodeURIComponent('snake\\_*')}`)).toEqual([2]);
    expect(await q(`note=like.${encodeURIComponent('back\\\\slash')}`)).toEqual([3]);
    expect(await q(`note=not.ilike.${encodeURIComponent('*PERCENT*')}`)).toEqual([1, 2, 3]);
    // PostgREST turns every * into %, even an escaped one: \* is a literal percent sign.
    expect(await q(`note=like.${encodeURIComponent('100\\*')}`)).toEqual([]);
    const dangling = await get(server, `/rest/v1/people?note=like.${encodeURIComponent('abc\\')}`);
    expect(dangling.status).toBe(400);
    expect(await json(dangling)).toMatchObject({ code: '22025' });
  });

  it('matches match (~) and imatch (~*) as regular expressions; NULL never matches; a bad pattern is 2201B', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/people?order=id&${query}`).then(ids);
    expect(await q(`name=match.${encodeURIComponent('^A')}`)).toEqual([1, 5]);
    expect(await q(`name=match.${encodeURIComponent('^Ad')}`)).toEqual([1]);
    expect(await q(`name=imatch.${encodeURIComponent('^ad')}`)).toEqual([1, 5]);
    expect(await q(`note=match.${encodeURIComponent('^100[% ]')}`)).toEqual([1, 5]);
    expect(await q(`note=not.match.${encodeURIComponent('\\d')}`)).toEqual([2, 3]);
    // What the tools send: lookaround, \u escapes, classes spelled out (config/portable-regex.ts).
    expect(await q(`name=match.${encodeURIComponent('(?<![0-9A-Z_a-z])[Bb][Oo][Bb](?![0-9A-Z_a-z])')}`)).toEqual([2]);
    expect(await q(`note=match.${encodeURIComponent('back\\u005cslash')}`)).toEqual([3]);
    const bad = await get(server, `/rest/v1/people?name=match.${encodeURIComponent('(unclosed')}`);
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ code: '2201B' });
    const notText = await get(server, `/rest/v1/people?id=match.1`);
    expect(notText.status).toBe(404);
    expect(await json(notText)).toMatchObject({ code: '42883' });
  });

  it('matches patterns holding RegExp syntax and other punctuation literally', async () => {
    const server = await start({
      rows: { workers: ['gpu-2025-a.b', 'gpu-2025-aXb', 'x(1)+[2]{3}|^$?/'].map((id) => ({ id, created_at: '2025-10-17T12:00:00Z', status: 'active' })) },
    });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/workers?order=id&${query}`).then(ids);
    expect(await q('id=like.gpu-2025-*')).toEqual(['gpu-2025-a.b', 'gpu-2025-aXb']);
    expect(await q('id=like.gpu-2025-a.b')).toEqual(['gpu-2025-a.b']);
    expect(await q(`id=like.${encodeURIComponent('x(1)+[2]{3}|^$?/')}`)).toEqual(['x(1)+[2]{3}|^$?/']);
  });

  it('refuses like on a non-text column as PostgreSQL does (42883, 404)', async () => {
    const server = await start({ rows: { system_logs: logRows(3) } });
    const response = await get(server, '/rest/v1/system_logs?timestamp=like.2025*');
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ code: '42883', message: 'operator does not exist: timestamp with time zone ~~ unknown' });
  });

  it('reads in.(…) lists with quoted values holding commas and escaped quotes', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/people?order=id&${query}`).then(ids);
    expect(await q('name=in.(Ada,bob)')).toEqual([1, 2]);
    expect(await q(`name=in.(${encodeURIComponent('"Cy, Jr.",ADA')})`)).toEqual([3, 5]);
    expect(await q(`name=in.(${encodeURIComponent('"say \\"hi\\""')})`)).toEqual([4]);
    expect(await q('id=in.(2,4,99)')).toEqual([2, 4]);
    expect(await q('id=not.in.(2,4)')).toEqual([1, 3, 5]);
    // A NULL is neither in nor not in a list.
    expect(await q('active=not.in.(true)')).toEqual([2, 5]);
  });

  it('tests is.null, is.not_null, not.is.null, is.true and is.false', async () => {
    const server = await start({ tables: PEOPLE_TABLES, rows: { people: PEOPLE } });
    const q = (query: string): Promise<unknown[]> => get(server, `/rest/v1/people?order=id&${query}`).then(ids);
    expect(await q('born=is.null')).toEqual([3]);
    expect(await q('born=is.not_null')).toEqual([1, 2, 4, 5]);
    expect(await q('born=not.is.null')).toEqual([1, 2, 4, 5]);
    expect(await q('active=is.true')).toEqual([1, 4]);
    expect(await q('active=is.false')).toEqual([2, 5]);
    expect(await q('active=is.unknown')).toEqual([3]);
    const notBoolean = await get(server, '/rest/v1/people?name=is.true');
    expect(notBoolean.status).toBe(400);
    expect(await json(notBoolean)).toMatchObject({ code: '42804' });
  });

  it('rejects bad literals and unknown columns or tables with PostgreSQL/PostgREST codes', async () => {
    const server = await start({ rows: { system_logs: logRows(3) } });
    const cases: Array<[string, number, string]> = [
      ['/rest/v1/system_logs?id=eq.not-a-uuid', 400, '22P02'],
      ['/rest/v1/system_logs?cycle_number=gt.many', 400, '22P02'],
      ['/rest/v1/system_logs?timestamp=gte.yesterday-ish', 400, '22007'],
      ['/rest/v1/tasks?status=eq.Completed', 400, '22P02'],
      ['/rest/v1/system_logs?colour=eq.red', 400, '42703'],
      ['/rest/v1/system_logs?cycle_number=not.between.1', 400, 'PGRST100'],
      ['/rest/v1/nothing_here', 404, 'PGRST205'],
    ];
    for (const [path, status, code] of cases) {
      const response = await get(server, path);
      expect(response.status, path).toBe(status);
      expect(await json(response), path).toMatchObject({ code });
    }
    // A value without an operator is an RPC argument, not a filter: ignored on a table read.
    expect(await json(await get(server, '/rest/v1/system_logs?worker_id=w1'))).toHaveLength(3);
  });

  it('returns a single object for application/vnd.pgrst.object+json, and 406 (PGRST116) otherwise', async () => {
    const server = await start({ rows: { system_logs: logRows(3) } });
    const one = await get(server, '/rest/v1/system_logs?select=cycle_number&cycle_number=eq.1', { Accept: 'application/vnd.pgrst.object+json' });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toContain('application/vnd.pgrst.object+json');
    expect(await json(one)).toEqual({ cycle_number: 1 });
    const none = await get(server, '/rest/v1/system_logs?cycle_number=eq.9', { Accept: 'application/vnd.pgrst.object+json' });
    expect(none.status).toBe(406);
    expect(await json(none)).toMatchObject({ code: 'PGRST116', details: 'The result contains 0 rows' });
    const csv = await get(server, '/rest/v1/system_logs', { Accept: 'text/csv' });
    expect(csv.status).toBe(406);
  });

  it('returns rows that tie on the order keys in varying order, as a planner may', async () => {
    const tied = logRows(40).map((row) => ({ ...row, timestamp: '2025-10-17T12:00:00+00:00' }));
    const server = await start({ rows: { system_logs: tied } });
    const orders = new Set<string>();
    for (let i = 0; i < 5; i++) orders.add(JSON.stringify(await ids(await get(server, '/rest/v1/system_logs?select=id&order=timestamp'))));
    expect(orders.size).toBeGreaterThan(1);
    const stable = new Set<string>();
    for (let i = 0; i < 3; i++) stable.add(JSON.stringify(await ids(await get(server, '/rest/v1/system_logs?select=id&order=timestamp,id'))));
    expect(stable.size).toBe(1);
  });
});

describe('supabase-js 2.109 against the server', () => {
  it('sends range() as offset/limit query parameters, count as Prefer, single() as the object media type', async () => {
    const server = await start({ rows: { system_logs: logRows(30) } });
    const client = createClient(server.url, CONTRACT_TEST_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
    });
    const page = await client.from('system_logs').select('id', { count: 'exact' }).order('id').range(10, 19);
    expect(page.error).toBeNull();
    expect(page.count).toBe(30);
    expect(page.data).toHaveLength(10);
    const single = await client.from('system_logs').select('cycle_number').eq('cycle_number', 3).single();
    expect(single.data).toEqual({ cycle_number: 3 });

    const [rangeRequest, singleRequest] = server.requests;
    const rangeUrl = new URL(rangeRequest?.url ?? '', server.url);
    expect(rangeUrl.searchParams.get('offset')).toBe('10');
    expect(rangeUrl.searchParams.get('limit')).toBe('10');
    expect(rangeRequest?.headers.range).toBeUndefined();
    expect(rangeRequest?.headers.prefer).toBe('count=exact');
    expect(rangeRequest?.status).toBe(206);
    expect(singleRequest?.headers.accept).toBe('application/vnd.pgrst.object+json');
    await client.removeAllChannels();
  });
});

describe('faults and hooks', () => {
  it('answers 503 with Retry-After for the configured fraction, deterministically from the seed', async () => {
    const statuses = async (): Promise<Array<number | null>> => {
      const server = await start({ rows: { system_logs: logRows(3) }, faults: { seed: 11, unavailableRate: 0.5, retryAfter: '2' } });
      for (let i = 0; i < 20; i++) await (await get(server, '/rest/v1/system_logs')).arrayBuffer();
      const unavailable = server.requests.filter((r) => r.fault === 'unavailable');
      expect(unavailable.every((r) => r.status === 503)).toBe(true);
      return server.requests.map((r) => r.status);
    };
    const first = await statuses();
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
    expect(await statuses()).toEqual(first);

    const server = await start({ faults: { unavailableRate: 1, retryAfter: '2' } });
    const response = await get(server, '/rest/v1/workers');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await json(response)).toMatchObject({ code: 'PGRST002' });
  });

  it('resets connections (before the response or mid-body) and hangs when told to', async () => {
    const server = await start({ rows: { system_logs: logRows(200) }, faults: { seed: 3, resetRate: 1 } });
    for (let i = 0; i < 6; i++) {
      await expect(get(server, '/rest/v1/system_logs').then((r) => r.text())).rejects.toThrow(TypeError);
    }
    expect(server.requests.every((r) => r.fault === 'reset' && r.status === null)).toBe(true);

    server.setFaults({ hangRate: 1 });
    await expect(fetch(`${server.url}/rest/v1/system_logs`, { headers: AUTH, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(server.requests.at(-1)?.fault).toBe('hang');

    server.setFaults({});
    expect((await get(server, '/rest/v1/system_logs')).status).toBe(200);
  });

  it('runs onRequest before evaluating the query, so rows it inserts are visible to that request', async () => {
    const server = await start({ rows: { system_logs: logRows(2) } });
    server.setOnRequest((request) => {
      if (request.url.includes('cycle_number=gte.0')) server.insert('system_logs', logRows(5).slice(2));
    });
    const response = await get(server, '/rest/v1/system_logs?cycle_number=gte.0', { Prefer: 'count=exact' });
    expect(response.headers.get('content-range')).toBe('0-4/5');
    expect(server.tables['system_logs']).toHaveLength(5);
  });

  it('records method, path and query, status and start/finish times of each request', async () => {
    const server = await start({ rows: { system_logs: logRows(2) } });
    await (await get(server, '/rest/v1/system_logs?select=id&limit=1')).arrayBuffer();
    await (await get(server, '/rest/v1/system_logs?select=nope')).arrayBuffer();
    expect(server.requests.map(({ method, url, status }) => ({ method, url, status }))).toEqual([
      { method: 'GET', url: '/rest/v1/system_logs?select=id&limit=1', status: 200 },
      { method: 'GET', url: '/rest/v1/system_logs?select=nope', status: 400 },
    ]);
    const [a, b] = server.requests;
    expect(a?.finishedAt).not.toBeNull();
    expect((a?.finishedAt ?? Infinity) <= (b?.startedAt ?? -Infinity)).toBe(true);
  });
});

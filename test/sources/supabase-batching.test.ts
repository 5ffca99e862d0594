/**
 * No N+1 on the Supabase path: a command issues the same set of query shapes whatever the fleet
 * size; a bigger fleet only adds pages and `in` batches, never a query per worker or per task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { formatInstant } from '../../src/rows/time.js';
import { runCli } from '../support/cli.js';
import { CONTRACT_TEST_KEY, startPostgrestServer, type PostgrestServer } from '../../dev/postgrest-server.js';

const large = simulateFleet();
/** A third of the same fleet: its first workers, with their tasks and lines. */
const kept = new Set(large.workers.slice(0, Math.ceil(large.workers.length / 3)).map((w) => w['id']));
const small = {
  ...large,
  workers: large.workers.filter((w) => kept.has(w['id'])),
  tasks: large.tasks.filter((t) => kept.has(t['worker_id'])),
  system_logs: large.system_logs.filter((l) => kept.has(l['worker_id'])),
};
const AS_OF = formatInstant(large.asOf);
let servers: { small: PostgrestServer; large: PostgrestServer };

beforeAll(async () => {
  const serve = (fleet: typeof small) => startPostgrestServer({ rows: { workers: fleet.workers, tasks: fleet.tasks, system_logs: fleet.system_logs } });
  servers = { small: await serve(small), large: await serve(large) };
});
afterAll(async () => {
  await servers.small.close();
  await servers.large.close();
});

/** A request as a query shape: paging and the members of `in` lists left out. */
function shape(url: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.delete('offset');
  u.searchParams.delete('limit');
  const params = [...u.searchParams.entries()].map(([k, v]) => `${k}=${v.replace(/^in\.\(.*\)$/, 'in.(…)')}`).sort();
  return `${u.pathname}?${params.join('&')}`;
}

async function run(server: PostgrestServer, args: string[]) {
  server.requests.length = 0;
  const r = await runCli([...args, '--source', 'supabase', '--as-of', AS_OF, '--json'], { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: CONTRACT_TEST_KEY });
  expect(r.code, r.stderr).toBe(0);
  return { json: r.json(), requests: [...server.requests] };
}

const FLEET_COMMANDS = [['classify', '--hours', '24'], ['orphans'], ['report', '--hours', '24'], ['model-load-crashes', '--hours', '24'], ['crash-timing', '--hours', '24'], ['active'], ['stale'], ['failed-tasks'], ['health', '--minutes', '480'], ['errors', '--hours', '24']];

describe('fleet commands on the Supabase path', () => {
  it.each(FLEET_COMMANDS)('%s: the same query shapes for 3× the workers, and no query for a single worker', async (...args) => {
    const a = await run(servers.small, args);
    const b = await run(servers.large, args);
    expect([...new Set(b.requests.map((r) => shape(r.url)))].sort()).toEqual([...new Set(a.requests.map((r) => shape(r.url)))].sort());
    for (const r of b.requests) {
      expect(r.url, 'a query per worker').not.toMatch(/[?&](worker_)?id=eq\./);
      expect(r.method).toMatch(/^(GET|HEAD)$/);
    }
  });

  it('classify reads the workers once, their tasks and logs in batched `in` lists', async () => {
    const { json, requests } = await run(servers.large, ['classify', '--hours', '24']);
    const workerCount = json.workers.length;
    expect(workerCount).toBeGreaterThan(40);
    const batched = requests.filter((r) => /worker_id=in\./.test(r.url));
    const idsPerRequest = batched.map((r) => decodeURIComponent(new URL(r.url, 'http://x').searchParams.get('worker_id')!).split(',').length);
    expect(Math.max(...idsPerRequest)).toBeGreaterThan(20);
    expect(requests.length).toBeLessThan(workerCount);
  });
});

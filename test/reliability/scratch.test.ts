import { it } from 'vitest';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { formatInstant } from '../../src/time.js';
import { runCli } from '../support/cli.js';
import { startPostgrestServer, CONTRACT_TEST_KEY } from '../support/postgrest-server.js';

it('timing', async () => {
  let t = Date.now();
  const fleet = simulateFleet();
  console.log('simulate', Date.now() - t, fleet.workers.length, fleet.tasks.length, fleet.system_logs.length);
  const counts = new Map<string, number>();
  for (const l of fleet.system_logs) counts.set(String(l['worker_id']), (counts.get(String(l['worker_id'])) ?? 0) + 1);
  console.log([...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5));
  const server = await startPostgrestServer({ rows: { workers: fleet.workers, tasks: fleet.tasks, system_logs: fleet.system_logs } });
  const asOf = formatInstant(fleet.asOf);
  const env = { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: CONTRACT_TEST_KEY };
  const cl = await runCli(['classify', '--hours', '24', '--json', '--as-of', asOf, '--source', 'demo']);
  const ws = cl.json().workers as { id: string; pattern: string }[];
  console.log(Object.entries(cl.json().counts));
  const w = ws.find((x) => x.pattern === 'oom_model_load')!.id;
  const long = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const cmds: string[][] = [['status', w], ['logs', w], ['logs', long], ['tasks', w], ['heartbeats', long], ['model-switch', w], ['check', w], ['memory-profile', w], ['classify', w], ['checklist', w], ['heartbeat-cadence', w],
    ['active'], ['recent', '--hours', '8'], ['stale'], ['failed-tasks'], ['orphans'], ['report', '--hours', '8'], ['classify', '--hours', '24'], ['model-load-crashes', '--hours', '24'], ['crash-timing', '--hours', '24']];
  for (const c of cmds) {
    const n0 = server.requests.length;
    t = Date.now();
    const r = await runCli([...c, '--json', '--as-of', asOf, '--source', 'supabase'], env);
    const t1 = Date.now() - t;
    t = Date.now();
    const d = await runCli([...c, '--json', '--as-of', asOf, '--source', 'demo'], env);
    console.log(c.join(' '), r.code, t1, 'ms', server.requests.length - n0, 'req; demo', Date.now() - t, 'ms', JSON.stringify(r.json()) === JSON.stringify(d.json()), r.code !== 0 ? r.stderr : '');
  }
  await server.close();
}, 300_000);

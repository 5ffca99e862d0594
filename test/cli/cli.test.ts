/**
 * The CLI contract (issue: foundation §5): every command on the demo fleet, its --json keys, exit
 * codes and one-line errors; and the same answers from an evidence snapshot of the same data.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-cli-'));

/** Demo workers picked by what their rows show, not by the simulator's labels. */
let deadWorker = '';
let healthyWorker = '';
beforeAll(async () => {
  const r = await runCli(['classify', '--json', '--source', 'demo']);
  const workers = r.json().workers as { id: string; pattern: string }[];
  deadWorker = workers.find((w) => w.pattern === 'oom_model_load')!.id;
  healthyWorker = workers.find((w) => w.pattern === 'no_crash')!.id;
});

const WORKER_COMMANDS: [string, string[]][] = [
  ['status', ['id', 'status', 'created_at', 'last_heartbeat', 'heartbeat_age_s', 'heartbeat_state', 'ram_tier', 'gpu_type']],
  ['logs', ['worker_id', 'total', 'logs', 'last_worker_log', 'silence_s']],
  ['tasks', ['worker_id', 'tasks']],
  ['heartbeats', ['worker_id', 'logged_heartbeats', 'gaps']],
  ['model-switch', ['worker_id', 'switch_at', 'logs_after', 'crashed', 'crash_after_s']],
  ['check', ['status', 'logs', 'tasks']],
  ['memory-profile', ['worker_id', 'memory_profile', 'line']],
  ['classify', ['as_of', 'workers']],
  ['checklist', ['checklist', 'verdict']],
  ['heartbeat-cadence', ['worker_id', 'db_cadence_s', 'logged_heartbeats']],
  ['timeline', ['worker_id', 'events', 'idle_before_end_s', 'ended_by']],
];

const FLEET_COMMANDS: [string[], string[]][] = [
  [['active'], ['workers']],
  [['recent', '--hours', '6'], ['workers']],
  [['stale'], ['threshold_s', 'workers', 'never_heartbeat']],
  [['failed-tasks'], ['tasks']],
  [['orphans'], ['tasks']],
  [['report', '--hours', '6'], ['window_hours', 'workers', 'tasks', 'success_rate', 'failure_rate', 'avg_lifetime_s']],
  [['classify', '--hours', '24'], ['as_of', 'workers']],
  [['model-load-crashes', '--hours', '24'], ['workers']],
  [['crash-timing', '--hours', '24', '--by', 'ram_tier'], ['by', 'overall', 'groups']],
];

describe('every command on the demo fleet', () => {
  it.each(WORKER_COMMANDS)('%s <worker> --json has the contract keys', async (command, keys) => {
    const r = await runCli([command, deadWorker, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = r.json();
    for (const key of keys) expect(json).toHaveProperty(key);
    expect(r.stderr).toMatch(/embedded demo fleet \(simulated data/);
  });

  it.each(FLEET_COMMANDS)('%s --json has the contract keys', async (args, keys) => {
    const r = await runCli([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    for (const key of keys) expect(r.json()).toHaveProperty(key);
  });

  it('prints human tables by default', async () => {
    const r = await runCli(['status', deadWorker]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Last DB heartbeat');
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it('instants are ISO-8601 UTC and durations are seconds', async () => {
    const json = (await runCli(['status', deadWorker, '--json'])).json();
    expect(json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/);
    expect(typeof json.heartbeat_age_s).toBe('number');
  });

  it('report: six states sum to the total and rates are 0–1', async () => {
    const json = (await runCli(['report', '--hours', '8', '--json'])).json();
    const w = json.workers;
    expect(w.alive + w.aging + w.stale + w.never + w.terminated + w.error).toBe(w.total);
    expect(json.success_rate).toBeGreaterThan(0);
    expect(json.success_rate).toBeLessThanOrEqual(1);
  });

  it('classify finds each simulated crash pattern on exactly the workers simulated with it', async () => {
    // The simulator's scenario lists are ground truth for tests only; the classifier reads rows.
    const fleet = simulateFleet();
    const s = fleet.scenarios;
    const json = (await runCli(['classify', '--hours', '24', '--json'])).json();
    type Row = { id: string; pattern: string; confidence: string | null };
    const byPattern = (p: string) => json.workers.filter((w: Row) => w.pattern === p).map((w: Row) => w.id).sort();
    const sorted = (...lists: readonly string[][]) => lists.flat().sort();
    // Versions that word their lines differently or log no heartbeat lines are judged all the same (issue 9).
    expect(byPattern('oom_model_load')).toEqual(sorted(s.oom_during_model_loading, s.oom_without_heartbeat_lines, s.ram_climb_before_oom));
    expect(byPattern('init_failure')).toEqual(sorted(s.initialization_failure, s.init_failure_with_startup_lines));
    expect(byPattern('vlm_loading_hang')).toEqual(sorted(s.vlm_loading_hang));
    expect(byPattern('stalled')).toEqual(sorted(s.stalled));
    // Near misses of a pattern may still be dead (then unexplained), never that pattern; clean ends and healthy lives are no crash.
    for (const id of s.near_miss) expect(['unexplained', 'no_crash'], id).toContain(json.workers.find((w: Row) => w.id === id)?.pattern);
    for (const id of [...s.healthy, ...s.terminated_cleanly, ...s.long_silent_step, ...s.idle_heartbeats_only, ...s.clean_idle_shutdown, ...s.startup_then_normal_life]) {
      expect(json.workers.find((w: Row) => w.id === id)?.pattern, id).toBe('no_crash');
    }
    // Every verdict but "unexplained" comes with a confidence.
    for (const w of json.workers as Row[]) {
      if (w.pattern === 'unexplained') expect(w.confidence, w.id).toBeNull();
      else expect(['strong', 'likely', 'weak'], w.id).toContain(w.confidence);
    }
  });

  it('--as-of changes "now": the same worker is alive earlier in the day', async () => {
    const later = (await runCli(['status', deadWorker, '--json'])).json();
    const earlier = (await runCli(['status', deadWorker, '--json', '--as-of', later.created_at])).json();
    expect(earlier.as_of).toBe(later.created_at);
    expect(earlier.heartbeat_age_s).toBeLessThan(later.heartbeat_age_s);
  });

  it('--help for the tool and for every command', async () => {
    const tool = await runCli(['--help']);
    expect(tool.code).toBe(0);
    for (const [command] of WORKER_COMMANDS) expect(tool.stdout).toContain(command);
    for (const [command] of [...WORKER_COMMANDS, ['snapshot'], ['report'], ['orphans']]) {
      const r = await runCli([command!, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`worker-forensics ${command}`);
    }
  });
});

describe('exit codes and one-line errors', () => {
  const oneLine = (text: string) => text.trim().split('\n').filter((l) => !l.includes('demo fleet'));

  it.each([
    [['nonsense'], /unknown command "nonsense"/],
    [['stauts', 'x'], /did you mean "status"/],
    [['status'], /status needs <worker>/],
    [['status', 'a', 'b'], /takes <worker>, got 2 arguments/],
    [['active', '--bogus'], /unknown option --bogus for "active"/],
    [['report', '--hours', 'abc'], /--hours must be a positive number/],
    [['report', '--hours', '-3'], /option --hours got a value starting with "-"/],
    [['report', '--hours=-3'], /--hours must be a positive number/],
    [['report', '--hours', '0'], /--hours must be a positive number/],
    [['status', 'gpu-1', '--as-of', 'yesterday'], /--as-of "yesterday" is not an ISO-8601 instant/],
    [['status', 'gpu-1', '--as-of', '2099-01-01T00:00:00Z'], /is in the future/],
    [['status', 'gpu 1; drop table workers'], /malformed worker id/],
    [['status', 'x', '--source', 'mysql'], /invalid --source "mysql"/],
    [['logs', 'x', '--level', 'LOUD'], /--level must be one of/],
    [['crash-timing', '--by', 'color'], /--by must be one of/],
    [['snapshot', '--hours', '2'], /snapshot needs --out FILE/],
    [['recent', '--hours', '1e12'], /--hours must be at most 1000000/],
  ])('%j → exit 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('unknown worker → exit 3, naming the source searched and near matches by prefix', async () => {
    const typo = deadWorker.slice(0, -1) + (deadWorker.endsWith('0') ? '1' : '0');
    const r = await runCli(['status', typo]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`worker ${typo} not found in embedded demo fleet`);
    expect(r.stderr).toContain(`did you mean ${deadWorker}`);
  });

  it('failed tasks of a worker the source has never heard of: not found, not "none"', async () => {
    const r = await runCli(['failed-tasks', '--worker', 'gpu-20990101_000000-00000000']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gpu-20990101_000000-00000000 not found');
  });

  it('says the demo fleet was asked for when --source demo chose it over configured credentials', async () => {
    const r = await runCli(['active', '--source', 'demo'], { SUPABASE_URL: 'https://example.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'not-used-here-123' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--source demo: using the embedded demo fleet (simulated data');
    expect(r.stderr).not.toContain('no SUPABASE_URL');
  });

  it('one unknown worker among several: the known ones are still classified, exit 3', async () => {
    const r = await runCli(['classify', deadWorker, 'gpu-20990101_000000-00000000', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().workers.map((w: { id: string }) => w.id)).toEqual([deadWorker]);
    expect(r.stderr).toContain('gpu-20990101_000000-00000000 not found');
  });

  it('a missing, truncated or non-JSON snapshot → exit 4 with one line', async () => {
    const truncated = path.join(tmp, 'truncated.json');
    writeFileSync(truncated, '{"workers": [{"id": "a"');
    const notJson = path.join(tmp, 'not.json');
    writeFileSync(notJson, 'hello');
    for (const [file, message] of [
      [path.join(tmp, 'missing.json'), /does not exist/],
      [truncated, /not valid JSON \(truncated\?\)/],
      [notJson, /not valid JSON/],
    ] as const) {
      const r = await runCli(['active', '--source', `snapshot:${file}`]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(message);
    }
  });

  it('malformed rows in a snapshot: named on stderr, the good rows still shown, exit 4', async () => {
    const file = path.join(tmp, 'bad-rows.json');
    writeFileSync(
      file,
      JSON.stringify({
        workers: [
          { id: 'gpu-20251017_120000-aaaaaaaa', created_at: '2025-10-17T12:00:00+00:00', last_heartbeat: '2025-10-17T12:59:50+00:00', status: 'active', metadata: null },
          { id: 'gpu-20251017_120000-bbbbbbbb', created_at: 'noon', last_heartbeat: null, status: 'active', metadata: null },
        ],
        system_logs: [],
      }),
    );
    const r = await runCli(['active', '--json', '--source', `snapshot:${file}`, '--as-of', '2025-10-17T13:00:00Z']);
    expect(r.code).toBe(4);
    expect(r.json().workers.map((w: { id: string }) => w.id)).toEqual(['gpu-20251017_120000-aaaaaaaa']);
    expect(r.stderr).toContain('workers[id=gpu-20251017_120000-bbbbbbbb].created_at: expected an ISO-8601 instant');
    expect(r.stderr).toContain('tasks: missing from snapshot');
  });

  it('a malformed .env line → exit 2 naming file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wf-env-'));
    writeFileSync(path.join(dir, '.env'), '# comment\nSUPABASE_URL=https://x.supabase.co\nthis is not a setting\n');
    const r = await runCli(['active'], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.env:3: expected NAME=value/);
  });
});

describe('snapshot: the same answers from the evidence file', () => {
  it('worker snapshot: every worker command gives identical JSON at the same --as-of', async () => {
    const file = path.join(tmp, 'workers.json.gz');
    const asOf = (await runCli(['status', deadWorker, '--json'])).json().as_of;
    const written = await runCli(['snapshot', deadWorker, healthyWorker, '--out', file, '--as-of', asOf]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toMatch(/holds log text/);
    for (const id of [deadWorker, healthyWorker]) {
      for (const [command] of WORKER_COMMANDS.filter(([c]) => c !== 'checklist')) {
        const live = await runCli([command, id, '--json', '--as-of', asOf]);
        const saved = await runCli([command, id, '--json', '--as-of', asOf, '--source', `snapshot:${file}`]);
        expect(saved.code, `${command} ${id}: ${saved.stderr}`).toBe(0);
        expect(saved.json(), `${command} ${id}`).toEqual(live.json());
      }
    }
    // The snapshot's own as-of is the default when reading it back.
    const implicit = await runCli(['status', deadWorker, '--json', '--source', `snapshot:${file}`]);
    expect(implicit.json().as_of).toBe(asOf);
    expect(implicit.stderr).not.toContain('warning');
    // A later as-of than the snapshot's is allowed, with a warning: nothing after it is in the file.
    const later = await runCli(['status', deadWorker, '--json', '--source', `snapshot:${file}`, '--as-of', '2025-12-01T00:00:00Z']);
    expect(later.code).toBe(0);
    expect(later.stderr).toContain("is after the snapshot's as-of");
  });

  it('fleet snapshot: every fleet command gives identical JSON for the same window', async () => {
    const file = path.join(tmp, 'fleet.json');
    const written = await runCli(['snapshot', '--hours', '6', '--out', file, '--json']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.json().system_logs).toBeGreaterThan(1000);
    const commands: string[][] = [['active'], ['recent', '--hours', '6'], ['stale'], ['failed-tasks'], ['orphans'], ['report', '--hours', '6'], ['classify', '--hours', '6'], ['model-load-crashes', '--hours', '6'], ['crash-timing', '--hours', '6', '--by', 'memory_profile']];
    for (const args of commands) {
      const live = await runCli([...args, '--json']);
      const saved = await runCli([...args, '--json', '--source', `snapshot:${file}`]);
      expect(saved.code, `${args.join(' ')}: ${saved.stderr}`).toBe(0);
      expect(saved.json(), args.join(' ')).toEqual(live.json());
    }
  });

  it('refuses to write a snapshot for an unknown worker (nothing half-written)', async () => {
    const file = path.join(tmp, 'never.json');
    const r = await runCli(['snapshot', deadWorker, 'gpu-20990101_000000-00000000', '--out', file]);
    expect(r.code).toBe(3);
    await expect(import('node:fs').then((fs) => fs.existsSync(file))).resolves.toBe(false);
  });
});

/** `health` (issue 11): its printer over fixed results made from hand-built rows, and its exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFleet } from '../../../src/sources/demo-fleet.js';
import { runCli } from '../../support/cli.js';
import { fleetHealth } from '../../../src/analyses/fleet-health.js';
import { orphanedTasks } from '../../../src/analyses/orphaned-tasks.js';
import { HEALTH_EXIT_CODES, printHealth } from '../../../src/cli/commands/fleet-health.js';
import type { Task, Worker } from '../../../src/rows/schemas.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { at, task, worker } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const finishedAt = (status: 'Complete' | 'Failed', updated: string): Task => ({
  ...task({ id: `7a5c0000-0000-4000-8000-${updated.replace(/:/g, '').padStart(12, '0')}`, status, created: '13:00:00', ...(status === 'Failed' ? { error: 'boom' } : {}) }),
  updated_at: at(updated),
});
/** As the check builds it: the window's minutes as asked for. */
function healthOf(tasks: Task[], workers: Worker[] = [], minutes = 30) {
  const orphans = orphanedTasks(tasks, workers, AS_OF);
  return { as_of: AS_OF, ...fleetHealth(tasks, workers, hoursWindow(AS_OF, minutes / 60), AS_OF, [], orphans.tasks), window_minutes: minutes };
}

describe('printHealth', () => {
  it('WARNING with a dead worker and its orphaned task', async () => {
    const dead = worker({ id: 'gpu-20251017_120000-0000dead', heartbeat: '13:40:00' });
    const tasks = [
      finishedAt('Complete', '13:35:00'),
      finishedAt('Failed', '13:40:00'),
      finishedAt('Failed', '13:50:00'),
      { ...task({ id: '7a5c0000-0000-4000-8000-00000000orph', worker: dead.id, status: 'In Progress', started: '13:30:00' }), updated_at: null },
    ];
    const text = printHealth(healthOf(tasks, [dead, worker({ id: 'gpu-20251017_120000-000alive' })]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/health-warning.txt');
    expect(text[1]).toBe('⚠️ WARNING: 66.7 % of 3 finished tasks failed (over 50.0 %)');
  });

  it('BLOCKED, OK and IDLE say why', async () => {
    const blocked = printHealth(healthOf(['13:31:00', '13:32:00', '13:33:00', '13:34:00', '13:35:00'].map((t) => finishedAt('Failed', t))));
    const ok = printHealth(healthOf([finishedAt('Complete', '13:31:00'), finishedAt('Failed', '13:32:00')], [], 45));
    const idle = printHealth(healthOf([]));
    await expect([...blocked, '', ...ok, '', ...idle].join('\n')).toMatchFileSnapshot('./output/health-verdicts.txt');
    expect(blocked[1]).toBe('❌ BLOCKED: 100.0 % of 5 finished tasks failed (over 80.0 %, at least 5 finished)');
    expect(ok[0]).toMatch(/^FLEET HEALTH – last 45 min /);
    expect(ok[1]).toBe('✅ OK: 50.0 % of 2 finished tasks failed (at most 50.0 %)');
    expect(idle[1]).toBe('💤 IDLE: no task finished in the window');
  });
});

describe('exit codes', () => {
  it('0 for OK and IDLE, 5 for WARNING, 6 for BLOCKED', () => {
    expect(HEALTH_EXIT_CODES).toEqual({ OK: 0, IDLE: 0, WARNING: 5, BLOCKED: 6 });
  });
});

// ---------------------------------------------------------------------------------------------
// Through the CLI: the exit codes (with and without --json), and the demo fleet's failure period.

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-health-'));
const SNAPSHOT_AS_OF = '2025-10-17T14:00:00Z';

/** A hand-written snapshot: `complete` and `failed` tasks finished at 13:45, one worker beating. */
function snapshotWith(name: string, complete: number, failed: number, extra: { tasks?: object[] } = {}): string {
  const row = (n: number, status: string) => ({
    id: `7a5c0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    task_type: 'travel_segment',
    status,
    worker_id: 'gpu-20251017_120000-aaaaaaaa',
    attempts: 1,
    error_message: status === 'Failed' ? 'Upload failed: storage returned HTTP 503' : null,
    created_at: '2025-10-17T13:40:00+00:00',
    updated_at: '2025-10-17T13:45:00+00:00',
    generation_started_at: '2025-10-17T13:40:10+00:00',
    generation_processed_at: status === 'Complete' ? '2025-10-17T13:45:00+00:00' : null,
  });
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      workers: [{ id: 'gpu-20251017_120000-aaaaaaaa', created_at: '2025-10-17T12:00:00+00:00', last_heartbeat: '2025-10-17T13:59:50+00:00', status: 'active', metadata: null }],
      tasks: [...Array.from({ length: complete }, (_, i) => row(i, 'Complete')), ...Array.from({ length: failed }, (_, i) => row(100 + i, 'Failed')), ...(extra.tasks ?? [])],
      system_logs: [],
    }),
  );
  return file;
}

const healthOn = (file: string, ...args: string[]) => runCli(['health', ...args, '--source', `snapshot:${file}`, '--as-of', SNAPSHOT_AS_OF]);

describe('health through the CLI: exit codes for cron and alert rules', () => {
  it.each([
    ['OK', 3, 1, 0],
    ['IDLE', 0, 0, 0],
    ['WARNING', 1, 2, 5],
    ['BLOCKED', 1, 5, 6],
  ] as const)('%s → exit %i, with --json too', async (verdict, complete, failed, code) => {
    const file = snapshotWith(verdict, complete, failed);
    const text = await healthOn(file);
    expect(text.code, text.stderr).toBe(code);
    expect(text.stdout).toContain(`${verdict}:`);
    const json = await healthOn(file, '--json');
    expect(json.code).toBe(code);
    expect(json.json()).toMatchObject({ verdict, finished: complete + failed, failed, window_minutes: 30 });
  });

  it('--minutes widens the window: tasks finished 15 min ago are outside a 10-minute window', async () => {
    const file = snapshotWith('window', 1, 2);
    const r = await healthOn(file, '--minutes', '10', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ verdict: 'IDLE', window_minutes: 10, finished: 0 });
  });

  it('a malformed row does not hide the alarm: WARNING still exits 5, the problem is named', async () => {
    const file = snapshotWith('malformed', 1, 2, { tasks: [{ id: 'broken', task_type: 'x', status: 'Done', created_at: 'noon' }] });
    const r = await healthOn(file, '--json');
    expect(r.code).toBe(5);
    expect(r.json().verdict).toBe('WARNING');
    expect(r.stderr).toContain('tasks[id=broken]');
  });

  it('a bad --minutes is a usage error (exit 2)', async () => {
    const r = await runCli(['health', '--minutes', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--minutes must be a positive number');
  });
});

describe('health on the demo fleet', () => {
  const demo = simulateFleet();
  /** The last 30 min's finished tasks, counted from the raw rows. */
  const finishedIn = (fromIso: string, toIso: string) =>
    demo.tasks.filter((t) => (t['status'] === 'Complete' || t['status'] === 'Failed') && typeof t['updated_at'] === 'string' && at(t['updated_at'] as string) >= at(fromIso) && at(t['updated_at'] as string) <= at(toIso));

  it('the storage outage of the last half hour makes it WARNING (exit 5): the failure rate the rows give', async () => {
    const r = await runCli(['health', '--json', '--source', 'demo']);
    expect(r.code, r.stderr).toBe(5);
    const json = r.json();
    const rows = finishedIn('13:30:00', '14:00:00');
    const failed = rows.filter((t) => t['status'] === 'Failed');
    expect(json).toMatchObject({ verdict: 'WARNING', finished: rows.length, failed: failed.length });
    expect(json.failure_rate).toBeGreaterThan(0.5);
    expect(json.failure_rate).toBeLessThanOrEqual(0.8);
    // The failures are the outage's: uploads.
    expect(failed.filter((t) => String(t['error_message']).startsWith('Upload failed')).length).toBeGreaterThan(failed.length / 2);
    for (const key of ['as_of', 'window_minutes', 'finished', 'failed', 'failure_rate', 'verdict', 'dead_workers', 'stalled_workers', 'orphaned_tasks']) expect(json).toHaveProperty(key);
  });

  it('before the outage, the same fleet is OK (exit 0)', async () => {
    const r = await runCli(['health', '--json', '--source', 'demo', '--as-of', '2025-10-17T13:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().verdict).toBe('OK');
    expect(r.json().finished).toBeGreaterThan(0);
  });

  it("lists the demo's stalled workers (classify's stalled pattern) with their tasks among the orphans", async () => {
    const json = (await runCli(['health', '--json', '--source', 'demo'])).json();
    const classified = (await runCli(['classify', '--hours', '24', '--json', '--source', 'demo'])).json();
    const stalled = classified.workers.filter((w: { pattern: string }) => w.pattern === 'stalled').map((w: { id: string }) => w.id).sort();
    expect(stalled.length).toBeGreaterThanOrEqual(2);
    const listed = json.stalled_workers.map((s: { worker_id: string }) => s.worker_id);
    for (const id of stalled) expect(listed).toContain(id);
    for (const s of json.stalled_workers) for (const t of s.task_ids) expect(json.orphaned_tasks.map((o: { id: string }) => o.id)).toContain(t);
  });
});

describe('health from a fleet snapshot', () => {
  it('the same JSON and exit code as the demo fleet it was taken from, for windows within the snapshot', async () => {
    const file = path.join(tmp, 'fleet.json');
    const written = await runCli(['snapshot', '--hours', '6', '--out', file, '--source', 'demo']);
    expect(written.code, written.stderr).toBe(0);
    for (const args of [['health'], ['health', '--minutes', '360']]) {
      const live = await runCli([...args, '--json', '--source', 'demo']);
      const saved = await runCli([...args, '--json', '--source', `snapshot:${file}`]);
      expect(saved.code, `${args.join(' ')}: ${saved.stderr}`).toBe(live.code);
      expect(saved.json(), args.join(' ')).toEqual(live.json());
    }
  });
});

/**
 * `timeline` (issue 11): its printer over fixed results made from hand-built rows, and the command
 * on the demo fleet, where it must find the cases (found from the rows, not by id): the
 * false idle kill and the task requeued after its worker crashed.
 */
import { describe, expect, it } from 'vitest';
import { workerTimeline } from '../../../src/analyses/worker-timeline.js';
import { printTimeline } from '../../../src/cli/commands/worker-timeline.js';
import { BUILT_IN_VOCABULARY } from '../../../src/config/vocabulary.js';
import { simulateFleet } from '../../../src/sources/demo-fleet.js';
import { formatDuration } from '../../../src/present/format.js';
import { parseInstant, secondsBetween } from '../../../src/rows/time.js';
import type { SystemLog, Task, Worker } from '../../../src/rows/schemas.js';
import { at, heartbeatLine, heartbeatsEvery, log, task, worker } from '../../support/rows.js';
import { runCli } from '../../support/cli.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const SECRET = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZSJ9.c2lnbmF0dXJlLXNlY3JldA';
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const resultOf = (w: Worker, tasks: Task[], logs: SystemLog[]) => ({ as_of: AS_OF, ...workerTimeline(w, tasks, logs, AS_OF, BUILT_IN_VOCABULARY) });

describe('printTimeline', () => {
  it('a worker killed as idle three minutes after its last task: runs collapsed, the secret redacted', async () => {
    const w = worker({
      id: W,
      status: 'terminated',
      heartbeat: '13:00:05',
      metadata: { startup_phase: 'ready', error_code: 'GPU_READY_NOT_CLAIMING', error_reason: 'idle for 20 minutes', error_time: '2025-10-17T13:00:00Z' },
    });
    const tasks = [task({ id: T1, status: 'Complete', type: 'join_clips', started: '12:50:00', processed: '12:57:00' })];
    const logs = [
      log('12:00:01', `🚀 Worker ${W} starting`),
      log('12:00:30', `Worker ${W} ready`),
      ...heartbeatsEvery('12:01:00', '12:49:30', 30),
      log('12:50:00', `[CLAIM] Claimed task ${T1}`, { task: T1 }),
      log('12:51:00', `Downloading https://hub.example.com/clip?token=${SECRET}`, { task: T1, level: 'WARNING' }),
      ...heartbeatsEvery('12:57:30', '12:59:30', 30),
      log('13:00:00', `WORKER_LIFECYCLE [Worker ${W}] MARKING AS ERROR: GPU_READY_NOT_CLAIMING - idle for 20 minutes`, { source: 'orchestrator_gpu', level: 'ERROR' }),
    ];
    const text = printTimeline(resultOf(w, tasks, logs));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/timeline-idle-kill.txt');
    expect(text.join('\n')).not.toContain(SECRET);
    expect(text).toContain('⚠️ Ended by: orchestrator kill at 2025-10-17T13:00:00.000Z (the orchestrator marked it as error while its DB heartbeat was alive or aging); crash pattern: Dead, no known pattern');
    expect(text).toContain(`Idle before the end: ${formatDuration(180)} (last task finished 2025-10-17T12:57:00.000Z, ${T1})`);
  });

  it('a crash mid-task, with no heartbeat lines: no idle time, and what the rows cannot show', async () => {
    const w = worker({ id: W, status: 'crashed', heartbeat: '13:10:00' });
    // T1 failed here, went back to the queue and was finished by another worker.
    const tasks = [
      task({ id: T1, status: 'Complete', worker: 'gpu-20251017_110000-bbbbbbbb', started: '13:03:00', processed: '13:04:30', error: 'RuntimeError: CUDA error' }),
      task({ id: T2, status: 'In Progress', started: '13:05:00' }),
    ];
    const logs = [
      log('13:01:00', `Working on ${T1}`, { task: T1 }),
      log('13:02:00', `❌ Task ${T1} failed (attempt 1/3)`, { task: T1, level: 'ERROR' }),
      log('13:09:58', 'Segmentation fault (core dumped)', { level: 'CRITICAL', task: T2 }),
    ];
    const text = printTimeline(resultOf(w, tasks, logs));
    expect(text.find((l) => l.includes('task left the worker'))).toContain(`${T1}: RuntimeError: CUDA error (now Complete on gpu-20251017_110000-bbbbbbbb)`);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/timeline-crash.txt');
    expect(text.at(-6)).toBe('❌ Ended by: crash at 2025-10-17T13:10:00.000Z (the worker reported status crashed); crash pattern: Dead, no known pattern');
    expect(text.at(-5)).toBe('Idle before the end: none: it held a task when it ended');
    expect(text.slice(-4)).toEqual([
      'Note: no heartbeat lines logged: the DB keeps only the last heartbeat, so the first one is unknown',
      'Note: no claim lines logged: claims timed from the tasks table or the first line for the task',
      'Note: no ready line logged: ready is the first task claim',
      'Note: no model-switch lines logged: a switch that never finished cannot be seen',
    ]);
  });

  it('a worker still running', async () => {
    const text = printTimeline(resultOf(worker({ id: W }), [], [log('12:00:01', `🚀 Worker ${W} starting`), heartbeatLine('13:59:40')]));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/timeline-running.txt');
    expect(text).toContain('Idle before the end: none yet: the worker is still running');
    expect(text.find((l) => l.includes('Ended by'))).toMatch(/^ℹ️ Ended by: still running \(/);
  });
});

describe('printTimeline with a limit', () => {
  it('shows the newest events and says how many earlier ones it left out; the counts still cover all', () => {
    const logs = [log('12:00:01', `🚀 Worker ${W} starting`), log('12:01:00', 'a', { level: 'WARNING' }), log('12:02:00', 'b', { level: 'WARNING' })];
    const result = resultOf(worker({ id: W }), [], logs);
    const total = result.events.length;
    const text = printTimeline(result, 2);
    expect(text[2]).toBe(`${total - 2} earlier event(s) not shown: the newest 2 of ${total} (--limit N shows more).`);
    expect(text.filter((l) => l.startsWith('  2025-'))).toHaveLength(2);
    expect(text.find((l) => l.startsWith('Events:'))).toContain('1 start-up line');
    expect(printTimeline(result, total).join('\n')).not.toContain('not shown');
  });
});

describe('timeline on the demo fleet', () => {
  const fleet = simulateFleet();
  const metadataOf = (row: Record<string, unknown>) =>
    (typeof row['metadata'] === 'string' ? JSON.parse(row['metadata']) : row['metadata']) as Record<string, unknown> | null;

  it('the false idle kill: ended by the orchestrator, idle measured from its last finished task, far below the idle it claimed', async () => {
    const killed = fleet.workers.filter((w) => metadataOf(w)?.['error_code'] === 'GPU_READY_NOT_CLAIMING');
    expect(killed).toHaveLength(1);
    const id = killed[0]!['id'] as string;
    const meta = metadataOf(killed[0]!)!;
    const killAt = parseInstant(meta['error_time'])!;
    const finished = fleet.tasks
      .filter((t) => t['worker_id'] === id && (t['status'] === 'Complete' || t['status'] === 'Failed'))
      .map((t) => parseInstant(t['generation_processed_at'] ?? t['updated_at'])!);
    const expectedIdle = secondsBetween(Math.max(...finished), killAt);

    const r = await runCli(['timeline', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = r.json();
    expect(json).toMatchObject({ worker_id: id, ended_by: 'orchestrator_kill', idle_unknown: null });
    expect(parseInstant(json.end_at)).toBe(killAt);
    expect(json.idle_before_end_s).toBeCloseTo(expectedIdle, 6);
    expect(json.idle_before_end_s).toBeLessThan(Number((meta['diagnostics'] as Record<string, unknown>)['idle_s']) / 1.5);
    expect(json.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['created', 'ready', 'task_completed', 'orchestrator_mark', 'last_heartbeat']));
  });

  it('the task requeued after its worker crashed: released by the crashed worker, now held by the one that finished it', async () => {
    const requeued = fleet.tasks.filter((t) => /^Requeued: worker crashed/.test(String(t['error_message'] ?? '')));
    expect(requeued.length).toBeGreaterThan(0);
    const t = requeued[0]!;
    const crashed = [
      ...new Set(
        fleet.system_logs.filter((l) => l['task_id'] === t['id'] && l['source_type'] === 'worker' && l['worker_id'] !== t['worker_id']).map((l) => l['worker_id']),
      ),
    ];
    expect(crashed).toHaveLength(1);
    const json = (await runCli(['timeline', String(crashed[0]), '--json'])).json();
    expect(json.ended_by).toBe('crash');
    expect(json.idle_unknown).toBe('busy_at_end');
    const released = json.events.filter((e: { kind: string }) => e.kind === 'task_released');
    expect(released).toContainEqual(expect.objectContaining({ task_id: t['id'], task_status: t['status'], task_worker_id: t['worker_id'] }));
    expect(released.find((e: { task_id: string }) => e.task_id === t['id']).detail).toContain(String(t['error_message']));
  });

  it('an unknown worker: exit 3, one line', async () => {
    const r = await runCli(['timeline', 'gpu-20990101_000000-ffffffff']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('worker gpu-20990101_000000-ffffffff not found');
  });
});

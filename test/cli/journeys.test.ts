/**
 * Issue 11's `task` and `why-killed` on the demo fleet: the issue's cases are found, each picked
 * from the rows (the requeued task by its error_message trace, the false kill by the age its
 * reason claims), never by the simulator's ids; and bad or unknown ids get one-line errors.
 */
import { describe, expect, it } from 'vitest';
import { readTaskTrace } from '../../src/analyses/task-journey.js';
import { readClaimedAge } from '../../src/analyses/why-killed.js';
import { THRESHOLDS } from '../../src/config/thresholds.js';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { parseInstant } from '../../src/rows/time.js';
import { runCli } from '../support/cli.js';

const DEMO = simulateFleet();
type Row = Record<string, any>;
const instant = (value: unknown) => parseInstant(value)!;
const seconds = (from: unknown, to: unknown) => (instant(to) - instant(from)) / 1e6;

/** The task the orchestrator requeued after its worker crashed, by the trace it left. */
const requeued = DEMO.tasks.find((t: Row) => {
  const trace = readTaskTrace(t['error_message']);
  return trace?.kind === 'requeued' && /crash/i.test(trace.reason ?? '');
}) as Row;
/** The workers whose lines carry its id. */
const writers = [...new Set(DEMO.system_logs.filter((l: Row) => l['task_id'] === requeued['id'] && l['source_type'] === 'worker').map((l: Row) => l['worker_id'] as string))];
const crashed = DEMO.workers.find((w: Row) => writers.includes(w['id']) && w['status'] === 'crashed') as Row;

/** The worker the orchestrator killed for being idle, by what its recorded reason claims. */
const idleKilled = DEMO.workers.find((w: Row) => readClaimedAge(w['metadata']?.['error_reason'] ?? null)?.kind === 'idle') as Row;

describe('task <id> on the demo fleet', () => {
  it('the task requeued after its worker crashed: the crash interrupted it, another worker completed it', async () => {
    expect(requeued, 'a task with a "Requeued: worker crashed" trace').toBeDefined();
    expect(crashed, 'a crashed worker wrote for it').toBeDefined();
    const r = await runCli(['task', requeued['id'], '--json', '--source', 'demo']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json();
    for (const key of ['id', 'status', 'task_type', 'attempts', 'queue_s', 'processing_s', 'workers', 'events', 'interrupted_by']) expect(j).toHaveProperty(key);
    expect(j.status).toBe(requeued['status']);
    expect(j.status).toBe('Complete');
    expect(j.interrupted_by).toHaveLength(1);
    expect(j.interrupted_by[0]).toMatchObject({ worker_id: crashed['id'], attempt: 1, trace_names_it: true });
    expect(instant(j.interrupted_by[0].died_at)).toBe(instant(crashed['last_heartbeat']));
    const finisher = requeued['worker_id'];
    expect(finisher).not.toBe(crashed['id']);
    const kinds = j.events.map((e: Row) => `${e.kind}:${e.worker_id === crashed['id'] ? 'crashed' : e.worker_id === finisher ? 'finisher' : '-'}`);
    const order = ['created:-', 'claimed:crashed', 'worker_died:crashed', 'requeued:crashed', 'claimed:finisher', 'completed:finisher'];
    const positions = order.map((k) => kinds.indexOf(k));
    expect(positions.every((p: number) => p >= 0), kinds.join(' ')).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Queue time: creation → first claim; processing: last claim → completion.
    const claims = j.events.filter((e: Row) => e.kind === 'claimed');
    expect(j.queue_s).toBeCloseTo(seconds(requeued['created_at'], claims[0].at), 6);
    expect(j.processing_s).toBeCloseTo(seconds(requeued['generation_started_at'], requeued['generation_processed_at']), 6);
  });

  it('an unknown task id: exit 3, naming the source; a malformed one: exit 2', async () => {
    const unknown = await runCli(['task', '00000000-0000-4000-8000-000000000000', '--source', 'demo']);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('task 00000000-0000-4000-8000-000000000000 not found in embedded demo fleet');
    const malformed = await runCli(['task', 'not-a-task', '--source', 'demo']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('malformed task id "not-a-task"');
  });
});

describe('why-killed <worker> on the demo fleet', () => {
  it('the kill "idle for 20 minutes" of a worker that finished a task minutes before is suspicious', async () => {
    expect(idleKilled, 'a worker killed for idling').toBeDefined();
    const r = await runCli(['why-killed', idleKilled['id'], '--json', '--source', 'demo']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json();
    for (const key of ['worker_id', 'killed_at', 'reason', 'error_code', 'claimed_idle_s', 'observed_idle_s', 'suspicious', 'evidence']) expect(j).toHaveProperty(key);
    const killedAt = idleKilled['metadata']['error_time'];
    const lastEnd = DEMO.tasks
      .filter((t: Row) => t['worker_id'] === idleKilled['id'] && t['status'] === 'Complete' && instant(t['generation_processed_at']) <= instant(killedAt))
      .map((t: Row) => t['generation_processed_at'])
      .sort((a: string, b: string) => instant(a) - instant(b))
      .at(-1);
    const observed = seconds(lastEnd, killedAt);
    expect(j).toMatchObject({ claim_kind: 'idle', claimed_idle_s: readClaimedAge(idleKilled['metadata']['error_reason'])!.seconds, error_code: idleKilled['metadata']['error_code'], suspicious: true });
    expect(j.observed_idle_s).toBeCloseTo(observed, 6);
    expect(j.claimed_idle_s).toBeGreaterThan(THRESHOLDS.whyKilledSuspiciousFactor * observed);
  });

  it('the stale-heartbeat kills tell the truth: claimed and observed ages agree', async () => {
    const stale = DEMO.workers.filter((w: Row) => readClaimedAge(w['metadata']?.['error_reason'] ?? null)?.kind === 'stale_heartbeat');
    expect(stale.length).toBeGreaterThan(0);
    for (const w of stale.slice(0, 3) as Row[]) {
      const j = (await runCli(['why-killed', w['id'], '--json', '--source', 'demo'])).json();
      expect(j, w['id']).toMatchObject({ claim_kind: 'stale_heartbeat', observed_from: 'db_heartbeat', suspicious: false });
      expect(j.observed_idle_s).toBeCloseTo(seconds(w['last_heartbeat'], j.killed_at), 6);
    }
  });

  it('a worker never killed: undecided, saying so, exit 0', async () => {
    const alive = DEMO.workers.find((w: Row) => w['status'] === 'active' && !w['metadata']?.['error_code']) as Row;
    const r = await runCli(['why-killed', alive['id'], '--source', 'demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Undecided: no kill found');
  });
});

/**
 * The benchmark measures nothing unless its two sides compute the same thing: the in-process fleet
 * analysis and python/bench_pandas.py must agree, worker by worker, on a small fleet, including
 * the cases where a careless pandas port would differ (timestamp ties broken by id, text pandas
 * reads as NA by default, quotes and newlines in the CSV hand-over). Also: the lock-step round gate
 * that defines "sequential round trips", and the byte-counting proxy. Correctness only: no timing.
 */
import { execFileSync } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import {
  analyseFleet,
  comparableResults,
  compareResults,
  pandasScript,
  parseFleet,
  runPandas,
  selectedColumns,
  writeFleetCsv,
  type RawFleet,
  type RawRow,
} from '../../bench/fleet-analysis.js';
import { createRoundGate, type GatedRequest } from '../../bench/round-trips.js';
import { startByteCountingProxy } from '../../bench/tcp-proxy.js';
import { packageRoot } from '../../src/package-root.js';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { addSeconds, formatInstant, parseInstant } from '../../src/rows/time.js';

const PANDAS_TIMEOUT_MS = 600_000; // apt-get may have to install python3-pandas first

/** The Python with pandas that npm run bench uses: scripts/bench-pandas.sh installs it if need be. */
function pandasPython(): string {
  return execFileSync('bash', [path.join(packageRoot(), 'scripts', 'bench-pandas.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Scale 1 plus rows made to catch a port that is only nearly right. */
interface TrickyFleet {
  raw: RawFleet;
  asOf: number;
  ooms: string[];
  quiet: string;
  /** Start-up failures given a line that only a careless reading of `\S` (A) or `\b` (B) takes for a ready or claim line. */
  startupA: string;
  startupB: string;
  /** An OOM but for a finished load, worded with a no-break space where the expression reads `\s`. */
  spaced: string;
  /** Healthy workers set `terminated` with nothing against them: a quiet end, also with an unreadable error_time or self_terminated 1; then with a real error_time. */
  quietEnds: string[];
  killed: string;
  /** Healthy workers set `terminated` with a clean end in their metadata (self_terminated, termination_reason). */
  cleanEnds: string[];
  /** OOM deaths but for a task finished after the switch, and a line saying the load finished. */
  taskFinished: string;
  loadFinished: string;
  /** A stalled worker whose task was claimed 5 min ago, after its last line: not silent long enough. */
  claimedLately: string;
  /** An OOM whose last [RAM] sample before the switch reads high memory: every criterion met. */
  ramHigh: string;
  /** A VLM line followed by heartbeat lines only: still silent (a heartbeat line is no word of the main loop). */
  vlmOpen: string;
  /** A stalled worker with an earlier VLM silence that ended: the current silence makes it stalled. */
  stalledAfterVlm: string;
}

function trickyFleet(): TrickyFleet {
  const fleet = simulateFleet({ scale: 1 });
  const logs: RawRow[] = [...fleet.system_logs];
  const ooms = fleet.scenarios.oom_during_model_loading;
  const line = (base: RawRow, id: string, fields: Partial<Record<string, unknown>>): RawRow => ({ ...base, id, ...fields });
  const switchOf = (worker: string) =>
    fleet.system_logs
      .filter((l) => l.worker_id === worker && l.source_type === 'worker' && String(l.message).includes('MODEL SWITCH'))
      .sort((a, b) => parseInstant(b['timestamp'])! - parseInstant(a['timestamp'])!)[0]!;
  // An ERROR at the very instant of the switch: after it by id (ffff…) it makes errors after the
  // switch, and the OOM pattern fails; before it by id (0000…) it changes nothing.
  const [first, second] = [switchOf(ooms[0]!), switchOf(ooms[1]!)];
  logs.push(line(first, 'ffffffff-0000-4000-8000-000000000001', { log_level: 'error', message: 'CUDA error: out of memory' }));
  logs.push(line(second, '00000000-0000-4000-8000-000000000001', { log_level: 'ERROR', message: 'CUDA error: out of memory' }));
  // Two heartbeats at one instant (a zero interval), and text pandas would read as NA by default.
  const heartbeat = fleet.system_logs.find((l) => l.source_type === 'worker' && String(l.message).includes('[HEARTBEAT]'))!;
  logs.push(line(heartbeat, '00000000-0000-4000-8000-000000000002', {}));
  for (const [i, message] of ['None', 'NA', 'null', '', 'say "hi", then\nleave'].entries()) {
    logs.push(line(heartbeat, `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`, { message, log_level: 'info' }));
  }
  // Markers fold ASCII letters only (JavaScript's /i): 'ſ' is not an 's', so this is no MODEL
  // SWITCH, although Python's re.IGNORECASE alone (or str.upper()) would make it one.
  const quiet = fleet.workers
    .map((w) => String(w['id']))
    .find((id) => {
      const own = fleet.system_logs.filter((l) => l.worker_id === id && l.source_type === 'worker');
      return own.length > 0 && !own.some((l) => String(l.message).includes('MODEL SWITCH'));
    })!;
  const quietLine = fleet.system_logs.find((l) => l.worker_id === quiet && l.source_type === 'worker')!;
  logs.push(line(quietLine, '00000000-0000-4000-8000-000000000003', { message: '🔄 MODEL ſWITCH: a -> b' }));
  // JavaScript's `.` stops at a carriage return (Python's only at a newline): no switch either.
  logs.push(line(quietLine, '00000000-0000-4000-8000-000000000004', { message: 'MODEL SWITCH:\rswitching from (current: a) to b' }));
  // JavaScript's `\s` takes a no-break space (Python's ASCII `\s` does not): the load finished, so no OOM.
  const spaced = ooms[4]!;
  const spacedSwitch = switchOf(spaced);
  logs.push(line(spacedSwitch, '00000000-0000-4000-8000-000000000005', { timestamp: formatInstant(addSeconds(parseInstant(spacedSwitch['timestamp'])!, 20)), message: 'Model switch completed in 12.3\u00a0s' }));

  // Marker classes are JavaScript's: `\S` excludes a no-break space (Python's ASCII `\S` takes it),
  // so this is no ready line and A still never left its start-up; `\b` is ASCII (Python's Unicode
  // `\b` sees no boundary after 'é'), so this is a task claim and B is no start-up failure.
  const base = comparableResults(analyseFleet(parseFleet(selectedColumns(fleet)), fleet.asOf));
  const ownLine = (worker: string) => fleet.system_logs.find((l) => l.worker_id === worker && l.source_type === 'worker');
  const [startupA, startupB] = [...fleet.scenarios.init_failure_with_startup_lines, ...fleet.scenarios.initialization_failure].filter(
    (id) => base.workers[id]?.pattern === 'init_failure' && ownLine(id) !== undefined,
  );
  logs.push(line(ownLine(startupA!)!, '00000000-0000-4000-8000-000000000201', { message: `Worker ${startupA}\u00a0is ready` }));
  logs.push(line(ownLine(startupB!)!, '00000000-0000-4000-8000-000000000202', { message: 'éClaimed task 0123abcd-0000-4000-8000-000000000000' }));

  // A status is not proof: `terminated` with no error recorded and no task left is a quiet end (no
  // crash, likely); an error_time that is no instant records nothing; a real one is a verdict.
  const idle = (id: string) => !fleet.tasks.some((t) => t.worker_id === id && t.status === 'In Progress');
  const [quietA, quietB, killed, cleanA, cleanB, quietC] = fleet.workers
    .filter((w) => w['status'] === 'active' && base.workers[String(w['id'])]?.pattern === 'no_crash' && idle(String(w['id'])))
    .map((w) => String(w['id']));
  const ended: Record<string, Record<string, unknown>> = {
    [quietA!]: {},
    [quietB!]: { error_time: 'not an instant' },
    [killed!]: { error_time: '2025-10-17T13:59:00Z' },
    [cleanA!]: { self_terminated: 'true' },
    [cleanB!]: { termination_reason: 'idle timeout' },
    // `self_terminated` is `true` or "true": a 1 (which Python's `==` takes for True) is nothing.
    [quietC!]: { self_terminated: 1 },
  };
  const workers = fleet.workers.map((w) => {
    const metadata = ended[String(w['id'])];
    return metadata === undefined ? w : { ...w, status: 'terminated', metadata };
  });
  const at = (row: RawRow, seconds: number) => formatInstant(addSeconds(parseInstant(row['timestamp'])!, seconds));
  const own = (worker: string) =>
    fleet.system_logs.filter((l) => l.worker_id === worker && l.source_type === 'worker').sort((a, b) => parseInstant(a['timestamp'])! - parseInstant(b['timestamp'])!);
  const spoken = (worker: string) => own(worker).filter((l) => !String(l.message).includes('[HEARTBEAT]'));

  // Memory: a [RAM] sample at 93.2 % a second before the switch.
  const ramHigh = ooms[1]!;
  logs.push(line(second, '00000000-0000-4000-8000-000000000301', {
    timestamp: at(second, -1),
    message: '[RAM] Before model switch: Process=11507MB (11.24GB) | System=93.2% used, 1.6GB/24.0GB available',
  }));

  // A hang whose VLM line is the worker's last but for a heartbeat line a minute later.
  const vlmOpen = fleet.scenarios.vlm_loading_hang.find((id) => base.workers[id]?.pattern === 'vlm_loading_hang' && spoken(id).at(-1)?.message === own(id).at(-1)?.message)!;
  const vlmLine = own(vlmOpen).at(-1)!;
  logs.push(line(vlmLine, '00000000-0000-4000-8000-000000000302', { timestamp: at(vlmLine, 60), message: `[HEARTBEAT] ✅ Sent for worker ${vlmOpen} with 0 logs` }));

  // A stalled worker that, before its current silence, spoke, loaded a VLM and said nothing for 6 min.
  const stalledAfterVlm = fleet.scenarios.stalled.find(
    (id) => base.workers[id]?.pattern === 'stalled' && fleet.asOf - parseInstant(spoken(id).at(-1)!['timestamp'])! >= 17 * 60 * 1e6,
  )!;
  const lastSpoken = spoken(stalledAfterVlm).at(-1)!;
  logs.push(line(lastSpoken, '00000000-0000-4000-8000-000000000303', { timestamp: at(lastSpoken, 1), message: 'Before VLM loading', log_level: 'INFO' }));
  logs.push(line(lastSpoken, '00000000-0000-4000-8000-000000000304', { timestamp: at(lastSpoken, 1 + 6 * 60), message: 'VLM loaded', log_level: 'INFO' }));

  // OOM deaths in all but one required criterion: a task finished after the switch; the load finished.
  const tasks: RawRow[] = [...fleet.tasks];
  const [taskFinished, loadFinished] = [ooms[2]!, ooms[3]!];
  const finishedSwitch = switchOf(taskFinished);
  const template = fleet.tasks.find((t) => t.worker_id === taskFinished)!;
  tasks.push({
    ...template,
    id: '00000000-0000-4000-8000-000000000401',
    status: 'Complete',
    created_at: at(finishedSwitch, -30),
    updated_at: at(finishedSwitch, 11),
    generation_started_at: at(finishedSwitch, -20),
    generation_processed_at: at(finishedSwitch, 10),
  });
  const loadSwitch = switchOf(loadFinished);
  logs.push(line(loadSwitch, '00000000-0000-4000-8000-000000000402', { timestamp: at(loadSwitch, 30), message: 'Model loaded: wan_2_2_i2v', log_level: 'INFO' }));

  // The stalled worker's silence runs from its task's claim when that came after its last line.
  const claimedLately = fleet.scenarios.stalled.find((id) => base.workers[id]?.pattern === 'stalled' && id !== stalledAfterVlm)!;
  const held = tasks.findIndex((t) => t.worker_id === claimedLately && t.status === 'In Progress');
  tasks[held] = { ...tasks[held]!, generation_started_at: formatInstant(fleet.asOf - 5 * 60 * 1e6) };

  return {
    cleanEnds: [cleanA!, cleanB!],
    taskFinished,
    loadFinished,
    claimedLately,
    ramHigh,
    vlmOpen,
    stalledAfterVlm,
    raw: selectedColumns({ workers, tasks, system_logs: logs }),
    asOf: fleet.asOf,
    ooms,
    quiet,
    spaced,
    startupA: startupA!,
    startupB: startupB!,
    quietEnds: [quietA!, quietB!, quietC!],
    killed: killed!,
  };
}

describe('benchmark part 1: in-process and pandas compute the same fleet analysis', () => {
  it(
    'agrees on every worker and every summary figure of a small fleet',
    async () => {
      const python = pandasPython();
      const { raw, asOf, ooms, quiet, spaced, startupA, startupB, quietEnds, killed, cleanEnds, taskFinished, loadFinished, claimedLately, ramHigh, vlmOpen, stalledAfterVlm } =
        trickyFleet();
      const typed = parseFleet(raw);
      expect(typed.problems).toEqual([]);
      const ours = comparableResults(analyseFleet(typed, asOf));
      // The rows above do what they are meant to (else this test would prove less than it says).
      expect(ours.workers[ooms[0]!]!.pattern).not.toBe('oom_model_load');
      expect(ours.workers[ooms[1]!]!.pattern).toBe('oom_model_load');
      expect(ours.workers[quiet]!.last_model_switch_us).toBeNull();
      expect(ours.workers[spaced]!.pattern).toBe('unexplained');
      expect(ours.workers[startupA]!.pattern).toBe('init_failure');
      expect(ours.workers[startupB]!.pattern).not.toBe('init_failure');
      for (const id of quietEnds) expect([ours.workers[id]!.pattern, ours.workers[id]!.confidence]).toEqual(['no_crash', 'likely']);
      expect([ours.workers[killed]!.pattern, ours.workers[killed]!.confidence]).toEqual(['unexplained', null]);
      expect([ours.workers[ramHigh]!.pattern, ours.workers[ramHigh]!.confidence]).toEqual(['oom_model_load', 'strong']);
      expect(ours.workers[vlmOpen]!.pattern).toBe('vlm_loading_hang');
      expect(ours.workers[stalledAfterVlm]!.pattern).toBe('stalled');
      for (const id of cleanEnds) expect([ours.workers[id]!.pattern, ours.workers[id]!.confidence]).toEqual(['no_crash', 'strong']);
      expect(ours.workers[taskFinished]!.pattern).toBe('unexplained');
      expect(ours.workers[loadFinished]!.pattern).toBe('unexplained');
      expect(ours.workers[claimedLately]!.pattern).toBe('no_crash');
      // Every confidence the fleet can show is there: strong and likely verdicts, and unexplained without one.
      expect(Object.keys(ours.confidence_counts)).toEqual(expect.arrayContaining(['no_crash likely', 'oom_model_load likely', 'init_failure strong', 'unexplained -']));

      const dir = await mkdtemp(path.join(tmpdir(), 'wf-bench-'));
      dirs.push(dir);
      await writeFleetCsv(dir, raw);
      const pandas = await runPandas(python, pandasScript(packageRoot()), dir, asOf, 1);
      expect(compareResults(ours, pandas.results)).toEqual([]);
      expect(pandas.results.pattern_counts).toEqual(ours.pattern_counts);
      expect(pandas.results.total_gaps).toBe(ours.total_gaps);
      expect(Object.keys(pandas.results.workers).length).toBe(Object.keys(ours.workers).length);
    },
    PANDAS_TIMEOUT_MS,
  );

  it('reports a disagreement instead of passing it over', () => {
    const { raw, asOf } = trickyFleet();
    const ours = comparableResults(analyseFleet(parseFleet(raw), asOf));
    const theirs = structuredClone(ours);
    const [id] = Object.keys(theirs.workers);
    theirs.workers[id!]!.gap_count += 1;
    theirs.total_gaps += 1;
    const differences = compareResults(ours, theirs);
    expect(differences).toHaveLength(2);
    expect(differences[1]).toContain(`worker ${id}: gap_count`);
  });

  it('reports a disagreement on confidence alone', () => {
    const { raw, asOf, quietEnds } = trickyFleet();
    const ours = comparableResults(analyseFleet(parseFleet(raw), asOf));
    const theirs = structuredClone(ours);
    const id = quietEnds[0]!;
    theirs.workers[id]!.confidence = 'strong';
    theirs.confidence_counts['no_crash likely']! -= 1;
    theirs.confidence_counts['no_crash strong']! += 1;
    const differences = compareResults(ours, theirs);
    expect(differences).toHaveLength(2);
    expect(differences[0]).toContain('crash verdicts with confidence');
    expect(differences[1]).toBe(`worker ${id}: confidence "likely" vs "strong"`);
  });
});

describe('benchmark part 3: lock-step rounds', () => {
  const request = (url: string): GatedRequest => ({ url, range: undefined, status: null, finishedAt: null });

  it('answers what was sent together in one round, and what followed an answer in the next', async () => {
    const gate = createRoundGate(20);
    try {
      const a = request('/rest/v1/workers');
      const b = request('/rest/v1/system_logs');
      const answer = async (r: GatedRequest) => {
        await gate.hook(r);
        r.finishedAt = performance.now();
      };
      await Promise.all([answer(a), answer(b)]);
      const c = request('/rest/v1/tasks');
      await answer(c);
      expect([gate.rounds.get(a), gate.rounds.get(b), gate.rounds.get(c)]).toEqual([1, 1, 2]);
    } finally {
      gate.stop();
    }
  });
});

describe('benchmark part 2: the byte-counting proxy', () => {
  it('counts every byte both ways', async () => {
    const echo = createServer((socket) => socket.pipe(socket));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const proxy = await startByteCountingProxy({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
    try {
      const client = connect(proxy.port, '127.0.0.1');
      await once(client, 'connect');
      client.write(Buffer.alloc(1000, 1));
      let received = 0;
      for await (const chunk of client) {
        received += (chunk as Buffer).length;
        if (received >= 1000) break;
      }
      client.destroy();
      expect(proxy.counts()).toEqual({ toServer: 1000, toClient: 1000 });
      proxy.reset();
      expect(proxy.counts()).toEqual({ toServer: 0, toClient: 0 });
    } finally {
      await proxy.close();
      echo.close();
    }
  });
});

/**
 * Part 3 of the benchmark: how many HTTP requests, and how many sequential round trips, one
 * worker's full investigation (`checks.investigation`) costs through the Supabase source, against
 * the PostgREST-protocol contract server (1000-row cap), for a worker with 1k, 10k and 100k lines.
 *
 * How sequential round trips are measured. By definition, a request's level is 1 + the
 * highest level among the requests whose response had arrived before it was sent (1 when none
 * had), and the depth is the highest level. Read off wall-clock times, that definition depends on
 * which unrelated response happens to finish first (a slow page of one read would push an
 * independent read of another one level deeper). So the server answers in lock-step rounds
 * instead (`createRoundGate`): it holds every request until the client has sent nothing new for a
 * quiet period, answers all the held requests, waits until each answer has been written, and only
 * then starts collecting the next round. Every response of a round thus "arrives" at the same
 * moment, as on a network where every round trip takes the same time, and a request answered in
 * round k was sent only once an answer of round k-1 had arrived: round number = level.
 * - With the source's concurrency bound lifted (10^6 requests in flight), the rounds are the
 *   dependency depth: requests wait only for the answers they need.
 * - With the source's default bound (4), they are the waves the investigation actually pays:
 *   each costs one network round trip of latency.
 * The gate sits in a small front server (`startGatedFront`) between the source and the contract
 * server, which answers every request; the front only records, holds and relays.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { investigation } from '../src/checks/index.js';
import { readContext } from '../src/checks/load.js';
import { MemorySource } from '../src/sources/memory.js';
import { DEFAULT_CONCURRENCY, openSupabaseSource } from '../src/sources/supabase.js';
import { simulateFleet, type DemoFleet } from '../src/sources/demo-fleet.js';
import { formatPostgrestInstant, parseInstant, type Instant } from '../src/rows/time.js';
import { CONTRACT_TEST_KEY, startPostgrestServer } from '../dev/postgrest-server.js';
import type { RawFleet, RawRow } from './fleet-analysis.js';

/** Lifts the source's bound: every request of a round is in flight at once. */
export const UNBOUNDED_CONCURRENCY = 1_000_000;
/** No request for this long (and two idle event-loop turns): the client has sent all it can this round. */
const QUIET_MS = 100;

/** A request as the gate sees it: answered once `finishedAt` is set. */
export interface GatedRequest {
  url: string;
  range: string | undefined;
  status: number | null;
  /** performance.now() when the answer was handed to the socket; null until then. */
  finishedAt: number | null;
}

export interface RoundGate {
  /** Round (1-based) in which each request was answered. */
  rounds: Map<GatedRequest, number>;
  hook: (request: GatedRequest) => Promise<void>;
  stop(): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lock-step answering: see the header. The server is in this process, so "written" is observable. */
export function createRoundGate(quietMs = QUIET_MS): RoundGate {
  const rounds = new Map<GatedRequest, number>();
  let held: { request: GatedRequest; release: () => void }[] = [];
  let round = 0;
  let arrivals = 0;
  let serving = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void releaseWhenQuiet(), quietMs);
  };

  async function releaseWhenQuiet(): Promise<void> {
    // A timer can fire late, right after a long synchronous stretch of the client that has just
    // sent a request still on its way through the loopback: two more short waits let it arrive.
    const seen = arrivals;
    await sleep(5);
    await sleep(5);
    if (arrivals !== seen) return arm();
    if (held.length === 0 || serving) return;
    round++;
    const batch = held;
    held = [];
    serving = true;
    for (const { request, release } of batch) {
      rounds.set(request, round);
      release();
    }
    while (!stopped && !batch.every(({ request }) => request.finishedAt !== null)) await sleep(2);
    serving = false;
    if (held.length > 0) arm();
  }

  return {
    rounds,
    hook(request) {
      arrivals++;
      return new Promise<void>((release) => {
        held.push({ request, release });
        if (!serving) arm();
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const { release } of held.splice(0)) release();
    },
  };
}

/** `table` or `table page` (a page after the first) for each request: the make-up of a round. */
function requestKind(request: GatedRequest): string {
  const table = /^\/rest\/v1\/([^/?]+)/.exec(request.url)?.[1] ?? '?';
  const offset = /[?&]offset=(\d+)/.exec(request.url)?.[1];
  const range = request.range ?? '';
  const later = (offset !== undefined && offset !== '0') || (range !== '' && !range.startsWith('0-'));
  return later ? `${table} page` : table;
}

export function describeRounds(gate: RoundGate): string[] {
  const byRound = new Map<number, Map<string, number>>();
  for (const [request, round] of gate.rounds) {
    const kinds = byRound.get(round) ?? new Map<string, number>();
    const kind = requestKind(request);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    byRound.set(round, kinds);
  }
  return [...byRound.entries()]
    .sort(([a], [b]) => a - b)
    .map(([round, kinds]) => `${round}: ${[...kinds.entries()].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ')}`);
}

/**
 * The front the Supabase source talks to: records every request, holds it at the round gate, then
 * relays the contract server's answer. Answers are kept by request (method, URL, Range, Prefer,
 * Accept): the run at the concurrency bound sends the requests of the unbounded run again, and the
 * contract server, which filters and sorts the whole table for every page (0.3–0.4 s a page for a
 * 100k-line worker on this machine), then need not evaluate them twice. The rows do not change
 * between runs, and ties are broken by unique ids, so a kept answer is the one the server would
 * give again.
 */
interface GatedFront {
  url: string;
  requests: GatedRequest[];
  setGate(gate: RoundGate | null): void;
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['apikey', 'authorization', 'range', 'range-unit', 'prefer', 'accept', 'accept-profile', 'x-client-info'];

async function startGatedFront(upstream: string): Promise<GatedFront> {
  const requests: GatedRequest[] = [];
  const answers = new Map<string, Promise<{ status: number; headers: [string, string][]; body: Buffer }>>();
  let gate: RoundGate | null = null;
  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const forward = async (req: IncomingMessage) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = header(req, name);
      if (value !== undefined) headers[name] = value;
    }
    const response = await fetch(upstream + (req.url ?? '/'), { method: req.method ?? 'GET', headers });
    const body = Buffer.from(await response.arrayBuffer());
    const kept = [...response.headers.entries()].filter(([name]) => ['content-type', 'content-range', 'www-authenticate', 'retry-after'].includes(name));
    return { status: response.status, headers: kept, body };
  };
  const server = createServer((req, res) => {
    const record: GatedRequest = { url: req.url ?? '', range: header(req, 'range'), status: null, finishedAt: null };
    requests.push(record);
    res.on('finish', () => {
      record.finishedAt = performance.now();
    });
    void (async () => {
      try {
        if (gate) await gate.hook(record);
        const key = [req.method, req.url, header(req, 'range'), header(req, 'prefer'), header(req, 'accept')].join('\n');
        let answer = answers.get(key);
        if (!answer) answers.set(key, (answer = forward(req)));
        const { status, headers, body } = await answer;
        record.status = status;
        res.writeHead(status, [...headers, ['content-length', String(body.length)]].flat());
        res.end(body);
      } catch (error) {
        record.status = 502;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `bench front: ${(error as Error).message}` }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setGate(next) {
      gate = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The fleet: the demo fleet, with one worker's log grown to the size asked

export interface InvestigatedFleet {
  raw: RawFleet;
  asOf: Instant;
  workerId: string;
  /** Lines carrying the worker's id up to as-of (the worker's and the orchestrator's). */
  workerLines: number;
}

/**
 * The demo fleet (scale 1) with the first OOM-during-model-loading worker, the usual subject of an
 * investigation, given `lines` log lines in all: ordinary worker lines are added between its
 * creation and its MODEL SWITCH, so its classification and the switch's aftermath do not change.
 */
export function fleetWithBigWorker(base: DemoFleet, lines: number): InvestigatedFleet {
  const workerId = base.scenarios.oom_during_model_loading[0];
  if (workerId === undefined) throw new Error('the demo fleet has no OOM worker to investigate');
  const worker = base.workers.find((w) => w.id === workerId)!;
  const own = base.system_logs.filter((l) => l.worker_id === workerId && parseInstant(l.timestamp)! <= base.asOf);
  const extra = lines - own.length;
  if (extra < 0) throw new Error(`worker ${workerId} already has ${own.length} lines, more than ${lines}`);
  const switchAt = own
    .filter((l) => l.source_type === 'worker' && /MODEL SWITCH/i.test(String(l.message)))
    .map((l) => parseInstant(l.timestamp)!)
    .sort((a, b) => a - b)[0];
  const from = parseInstant(worker['created_at'])!;
  const to = switchAt ?? base.asOf;
  const padding: RawRow[] = [];
  for (let i = 0; i < extra; i++) {
    const at = from + Math.floor(((i + 1) * (to - from)) / (extra + 1));
    padding.push({
      id: `b3c0ffee-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      timestamp: formatPostgrestInstant(at),
      source_type: 'worker',
      source_id: workerId,
      log_level: 'INFO',
      message: `Denoising step ${(i % 50) + 1}/50 (${(i % 7) * 0.13 + 1.1} s/it)`,
      task_id: null,
      worker_id: workerId,
      cycle_number: null,
      metadata: null,
    });
  }
  return {
    raw: { workers: base.workers, tasks: base.tasks, system_logs: [...base.system_logs, ...padding] },
    asOf: base.asOf,
    workerId,
    workerLines: lines,
  };
}

// ---------------------------------------------------------------------------------------------

export interface RoundTripRun {
  workerLines: number;
  concurrency: number;
  requests: number;
  rounds: number;
  makeUp: string[];
  seconds: number;
  /** The investigation equals the one computed from the same rows in memory. */
  sameAsMemory: boolean;
}

export interface RoundTripResult {
  workerId: string;
  fleetLines: number;
  runs: RoundTripRun[];
}

export async function runRoundTripBench(options: {
  seed: number;
  sizes: readonly number[];
  log: (line: string) => void;
}): Promise<RoundTripResult> {
  const { log } = options;
  const base = simulateFleet({ seed: options.seed, scale: 1 });
  const runs: RoundTripRun[] = [];
  let workerId = '';
  let fleetLines = 0;
  for (const size of options.sizes) {
    const fleet = fleetWithBigWorker(base, size);
    workerId = fleet.workerId;
    fleetLines = fleet.raw.system_logs.length;
    const memory = new MemorySource(fleet.raw, { kind: 'snapshot', label: 'memory', frozenAt: fleet.asOf });
    const expected = JSON.stringify((await investigation(readContext(memory, fleet.asOf), fleet.workerId)).investigation);
    const server = await startPostgrestServer({ rows: fleet.raw as Record<string, readonly Record<string, unknown>[]> });
    const front = await startGatedFront(server.url);
    try {
      for (const concurrency of [UNBOUNDED_CONCURRENCY, DEFAULT_CONCURRENCY]) {
        log(`bench: investigation of a worker with ${size} lines through the Supabase source, concurrency ${concurrency === UNBOUNDED_CONCURRENCY ? 'unbounded' : concurrency}`);
        runs.push(await investigateOnce(CONTRACT_TEST_KEY, front, fleet, concurrency, expected));
      }
    } finally {
      await front.close();
      await server.close();
    }
  }
  return { workerId, fleetLines, runs };
}

async function investigateOnce(
  key: string,
  server: GatedFront,
  fleet: InvestigatedFleet,
  concurrency: number,
  expected: string,
): Promise<RoundTripRun> {
  server.requests.length = 0;
  const gate = createRoundGate();
  server.setGate(gate);
  const source = openSupabaseSource({
    url: server.url,
    key,
    concurrency,
    // Rounds hold requests for a while, and a retry would be a request of its own: none.
    requestTimeoutMs: 600_000,
    retry: { attempts: 1 },
  });
  const started = performance.now();
  try {
    const result = await investigation(readContext(source, fleet.asOf), fleet.workerId);
    const seconds = (performance.now() - started) / 1000;
    const failed = server.requests.filter((r) => r.status !== 200 && r.status !== 206);
    if (failed.length > 0) throw new Error(`${failed.length} request(s) of the investigation failed (HTTP ${failed[0]!.status})`);
    return {
      workerLines: fleet.workerLines,
      concurrency,
      requests: server.requests.length,
      rounds: Math.max(0, ...gate.rounds.values()),
      makeUp: describeRounds(gate),
      seconds,
      sameAsMemory: JSON.stringify(result.investigation) === expected,
    };
  } finally {
    gate.stop();
    server.setGate(null);
    await source.close();
  }
}

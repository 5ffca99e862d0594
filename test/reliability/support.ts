/**
 * Shared by the reliability suite: the demo fleet's raw rows (the data every file serves), the
 * demo workers each file looks at (picked by what `classify --json` says of them, not by the
 * simulator's labels), the command lines of every CLI command, and runs of the CLI on a source.
 */
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { simulateFleet } from '../../src/sources/demo-fleet.js';
import { formatInstant } from '../../src/rows/time.js';
import { readTaskTrace } from '../../src/analyses/task-journey.js';
import { readClaimedAge } from '../../src/analyses/why-killed.js';
import { runCli, TEST_NOW, type CliRun } from '../support/cli.js';
import type { Row } from '../../dev/postgrest-server.js';

export const DEMO = simulateFleet();
/** Passed as --as-of to every run, so that every source judges at the fleet's instant. */
export const AS_OF = formatInstant(DEMO.asOf);

/** A type alias, not an interface: it must fit the contract server's `Record<string, Row[]>`. */
export type RawFleet = {
  workers: Row[];
  tasks: Row[];
  system_logs: Row[];
};

/** A fresh copy of the demo fleet's raw rows (servers and fixtures may append to it). */
export function demoRows(extra: Partial<RawFleet> = {}): RawFleet {
  return {
    workers: [...DEMO.workers, ...(extra.workers ?? [])],
    tasks: [...DEMO.tasks, ...(extra.tasks ?? [])],
    system_logs: [...DEMO.system_logs, ...(extra.system_logs ?? [])],
  };
}

function linesPerWorker(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of DEMO.system_logs) {
    const id = line['worker_id'];
    if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const classified = await runCli(['classify', '--hours', '24', '--json', '--source', 'demo', '--as-of', AS_OF]);
if (classified.code !== 0) throw new Error(`classify on the demo fleet failed: ${classified.stderr}`);
const classifications = classified.json().workers as { id: string; pattern: string }[];
const lineCounts = linesPerWorker();

function firstWithPattern(pattern: string): string {
  const found = classifications.find((c) => c.pattern === pattern);
  if (!found) throw new Error(`the demo fleet has no ${pattern} worker`);
  return found.id;
}

/** The no_crash worker with the most lines: more than three 1000-row pages through PostgREST. */
const longRunning = classifications
  .filter((c) => c.pattern === 'no_crash')
  .sort((a, b) => (lineCounts.get(b.id) ?? 0) - (lineCounts.get(a.id) ?? 0))[0]!.id;
if ((lineCounts.get(longRunning) ?? 0) <= 3000) throw new Error(`expected a demo worker with more than 3000 lines, ${longRunning} has ${lineCounts.get(longRunning)}`);

/** One demo worker per crash pattern, and the long-running healthy one. */
export const WORKERS = {
  oom: firstWithPattern('oom_model_load'),
  init: firstWithPattern('init_failure'),
  vlm: firstWithPattern('vlm_loading_hang'),
  unexplained: firstWithPattern('unexplained'),
  notStarted: firstWithPattern('not_started'),
  longRunning,
} as const;

export function lineCount(workerId: string): number {
  return lineCounts.get(workerId) ?? 0;
}

/** A worker whose row is gone while its log lines and tasks remain (the orphan case of the fleet). */
export const DELETED_WORKER = (() => {
  const rows = new Set(DEMO.workers.map((w) => w['id']));
  const id = [...lineCounts.keys()].find((worker) => !rows.has(worker));
  if (!id) throw new Error('the demo fleet has no deleted worker');
  return id;
})();

/** The worker commands, as command lines for one worker. */
export function workerCommands(id: string): string[][] {
  return [
    ['status', id],
    ['logs', id],
    ['tasks', id],
    ['heartbeats', id],
    ['model-switch', id],
    ['check', id],
    ['memory-profile', id],
    ['classify', id],
    ['heartbeat-cadence', id],
    ['failed-tasks', '--worker', id],
    ['why-killed', id],
    ['timeline', id],
  ];
}

/** Issue 11's demo cases, picked from the rows: the task requeued after its worker crashed (by its trace), the worker killed for idling (by its reason's claim). */
export const JOURNEY_TASK = (() => {
  const found = DEMO.tasks.find((t) => readTaskTrace((t['error_message'] as string | null) ?? null)?.kind === 'requeued');
  if (!found) throw new Error('the demo fleet has no requeued task');
  return found['id'] as string;
})();
export const IDLE_KILLED_WORKER = (() => {
  const found = DEMO.workers.find((w) => readClaimedAge(((w['metadata'] as Record<string, unknown> | null)?.['error_reason'] as string | undefined) ?? null)?.kind === 'idle');
  if (!found) throw new Error('the demo fleet has no worker killed for idling');
  return found['id'] as string;
})();

/** Issue 11's commands on those cases (a task id is no worker: these are not worker commands). */
export const JOURNEY_COMMANDS: readonly string[][] = [
  ['task', JOURNEY_TASK],
  ['why-killed', IDLE_KILLED_WORKER],
];

/** The fleet commands, over windows that hold the whole demo fleet. */
export const FLEET_COMMANDS: readonly string[][] = [
  ['active'],
  ['recent', '--hours', '8'],
  ['stale'],
  ['failed-tasks'],
  ['orphans'],
  ['report', '--hours', '8'],
  ['classify', '--hours', '24'],
  ['model-load-crashes', '--hours', '24'],
  ['crash-timing', '--hours', '24'],
  // Issue 11: over the whole demo day the verdict is OK (exit 0); the default window's WARNING
  // (exit 5) is held equal on every path by ALARM_COMMANDS.
  ['health', '--minutes', '480'],
  ['errors', '--hours', '24'],
];

/** Commands whose answer is an alarm with its own exit code (issue 11 `health`): the same code and JSON on every path. */
export const ALARM_COMMANDS: readonly { args: string[]; code: number }[] = [
  { args: ['health'], code: 5 },
  { args: ['health', '--minutes', '10'], code: 5 },
];

export type SourceName = 'demo' | 'supabase' | 'postgres' | `snapshot:${string}`;

/** Runs the CLI on one source at the fleet's instant (the env holds that source's settings). */
export function runOn(source: SourceName, args: readonly string[], env: NodeJS.ProcessEnv = {}, asOf = AS_OF): Promise<CliRun> {
  return runCli([...args, '--source', source, '--as-of', asOf], env);
}

/** Like runCli, with a CliIO built here: stderr may be a terminal. */
export async function runInteractive(args: string[], env: NodeJS.ProcessEnv, interactive: boolean): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { ...env },
    cwd: '/nonexistent-cwd-for-tests',
    interactive,
    now: () => TEST_NOW,
  };
  const code = await main(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** The lines of stderr that are not the notice saying which source was read. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^worker-forensics: (reading |no SUPABASE_URL)/.test(line));
}

/**
 * Part 1 of the benchmark: the fleet analysis in-process versus the same analysis in pandas
 * (python/bench_pandas.py), on the same rows.
 *
 * "The fleet analysis" is the work `classify` does over a fleet (per-worker log signals, then the
 * crash-pattern classifier), plus the §4A logged-heartbeat gaps of every worker and the §13 report:
 * the three fleet-wide checks that read every log line. Both sides start from what a source hands
 * over (in-process: raw rows as the driver returns them, validated by the zod row schemas; pandas:
 * a CSV file read into DataFrames with parsed timestamps) and are timed in two parts, load and
 * analysis. The CSV is written once, outside both timings.
 *
 * Both sides produce the same comparable results (per worker and summed), and `compareResults`
 * says where they differ: a benchmark of two computations that disagree would measure nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { once } from 'node:events';
import { classifyWorkers, type Classification } from '../src/analyses/crash-patterns.js';
import { fleetReport, type FleetReport } from '../src/analyses/fleet-report.js';
import { heartbeatGaps, type HeartbeatGaps } from '../src/analyses/heartbeat-gaps.js';
import { groupByWorker } from '../src/rows/order.js';
import { inWindow } from '../src/rows/window.js';
import { computeWorkerSignals } from '../src/analyses/worker-signals.js';
import { BUILT_IN_VOCABULARY, type Vocabulary } from '../src/config/vocabulary.js';
import { MARKER_FAMILIES } from '../src/config/markers.js';
import { type WorkerSignals } from '../src/rows/signals.js';
import { DEFAULT_WINDOW_HOURS } from '../src/config/thresholds.js';
import { hoursWindow } from '../src/rows/window.js';
import { parseRows, type RowProblem } from '../src/rows/parse.js';
import { SELECTED_COLUMNS, type SystemLog, type TableName, type Task, type Worker } from '../src/rows/schemas.js';
import type { Instant } from '../src/rows/time.js';

export type RawRow = Readonly<Record<string, unknown>>;
export type RawFleet = Readonly<Record<TableName, readonly RawRow[]>>;

export const CLASSIFY_HOURS = DEFAULT_WINDOW_HOURS.crashes;
export const REPORT_HOURS = DEFAULT_WINDOW_HOURS.report;

/**
 * The rows as a source delivers them: only the columns the sources select (SELECTED_COLUMNS), so
 * that neither side pays for `params`, `result_data` or log metadata no analysis reads.
 */
export function selectedColumns(raw: RawFleet): RawFleet {
  const project = (table: TableName) =>
    raw[table].map((row) => Object.fromEntries(SELECTED_COLUMNS[table].map((column) => [column, row[column] ?? null])));
  return { workers: project('workers'), tasks: project('tasks'), system_logs: project('system_logs') };
}

export interface TypedFleet {
  workers: Worker[];
  tasks: Task[];
  logs: SystemLog[];
  problems: RowProblem[];
}

/** Raw rows → typed rows, exactly as every source does it (parseRows, the zod schemas). */
export function parseFleet(raw: RawFleet): TypedFleet {
  const workers = parseRows('workers', raw.workers);
  const tasks = parseRows('tasks', raw.tasks);
  const logs = parseRows('system_logs', raw.system_logs);
  return { workers: workers.rows, tasks: tasks.rows, logs: logs.rows, problems: [...workers.problems, ...tasks.problems, ...logs.problems] };
}

export interface FleetAnalysis {
  /** The workers classified: those created in the last CLASSIFY_HOURS, as `classify` picks them. */
  workers: Worker[];
  signals: Map<string, WorkerSignals>;
  classifications: Classification[];
  gaps: HeartbeatGaps[];
  report: FleetReport;
}

/**
 * The fleet analysis on typed rows, as `classify` (load.ts loadFleetCases + classifyWorkers),
 * `heartbeats` (§4A, for every worker) and `report` (§13) compute it once the rows are read.
 */
export function analyseFleet(fleet: TypedFleet, asOf: Instant): FleetAnalysis {
  const window = hoursWindow(asOf, CLASSIFY_HOURS);
  const workers = fleet.workers.filter((w) => inWindow(w.created_at, window));
  const ids = workers.map((w) => w.id);
  const inScope = new Set(ids);
  const tasksByWorker = new Map<string, Task[]>();
  for (const t of fleet.tasks) {
    if (t.worker_id === null || !inScope.has(t.worker_id)) continue;
    let list = tasksByWorker.get(t.worker_id);
    if (!list) tasksByWorker.set(t.worker_id, (list = []));
    list.push(t);
  }
  const signals = computeWorkerSignals(ids, fleet.logs, asOf, BUILT_IN_VOCABULARY);
  const classifications = classifyWorkers(
    workers.map((worker) => ({ worker, tasks: tasksByWorker.get(worker.id) ?? [], signals: signals.get(worker.id)! })),
    asOf,
    BUILT_IN_VOCABULARY,
  );
  const logsByWorker = groupByWorker(fleet.logs);
  const gaps = workers.map((w) => heartbeatGaps(w.id, logsByWorker.get(w.id) ?? [], asOf, BUILT_IN_VOCABULARY, w));
  const report = fleetReport(fleet.workers, fleet.tasks, hoursWindow(asOf, REPORT_HOURS), asOf);
  return { workers, signals, classifications, gaps, report };
}

// ---------------------------------------------------------------------------------------------
// Results both sides produce, and their comparison

export interface WorkerResult {
  pattern: string;
  /** The verdict's confidence (null for `unexplained`). */
  confidence: string | null;
  worker_log_count: number;
  logged_heartbeat_count: number;
  gap_count: number;
  max_interval_s: number | null;
  median_interval_s: number | null;
  last_worker_log_us: number | null;
  last_model_switch_us: number | null;
  crash_after_switch_s: number | null;
}

export interface ReportResult {
  workers: Record<string, number>;
  tasks: Record<string, number>;
  success_rate: number | null;
  avg_lifetime_s: number | null;
  by_task_type: { task_type: string; total: number; complete: number; failed: number }[];
}

export interface ComparableResults {
  pattern_counts: Record<string, number>;
  /** Workers per verdict, `<pattern> <confidence>` (`-` for no confidence). */
  confidence_counts: Record<string, number>;
  total_gaps: number;
  report: ReportResult;
  workers: Record<string, WorkerResult>;
}

export function comparableResults(analysis: FleetAnalysis): ComparableResults {
  const workers: Record<string, WorkerResult> = {};
  const patternCounts: Record<string, number> = {};
  const confidenceCounts: Record<string, number> = {};
  let totalGaps = 0;
  analysis.workers.forEach((worker, i) => {
    const c = analysis.classifications[i]!;
    const s = analysis.signals.get(worker.id)!;
    const g = analysis.gaps[i]!;
    // The signals carry the same gaps as §4A: a mismatch is a bug of the library, not of pandas.
    if (g.gaps.length !== s.heartbeat_gaps.length || g.logged_heartbeats !== s.logged_heartbeat_count) {
      throw new Error(`worker ${worker.id}: the §4A gaps and the worker signals disagree`);
    }
    workers[worker.id] = {
      pattern: c.pattern,
      confidence: c.confidence,
      worker_log_count: s.worker_log_count,
      logged_heartbeat_count: g.logged_heartbeats,
      gap_count: g.gaps.length,
      max_interval_s: g.max_interval_s,
      median_interval_s: g.median_interval_s,
      last_worker_log_us: s.last_worker_log?.timestamp ?? null,
      last_model_switch_us: s.last_model_switch?.timestamp ?? null,
      crash_after_switch_s: c.crash_after_switch_s,
    };
    patternCounts[c.pattern] = (patternCounts[c.pattern] ?? 0) + 1;
    const verdict = `${c.pattern} ${c.confidence ?? '-'}`;
    confidenceCounts[verdict] = (confidenceCounts[verdict] ?? 0) + 1;
    totalGaps += g.gaps.length;
  });
  const r = analysis.report;
  return {
    pattern_counts: Object.fromEntries(Object.entries(patternCounts).sort(([a], [b]) => (a < b ? -1 : 1))),
    confidence_counts: Object.fromEntries(Object.entries(confidenceCounts).sort(([a], [b]) => (a < b ? -1 : 1))),
    total_gaps: totalGaps,
    report: {
      workers: { ...r.workers },
      tasks: { ...r.tasks },
      success_rate: r.success_rate,
      avg_lifetime_s: r.avg_lifetime_s,
      by_task_type: r.by_task_type,
    },
    workers,
  };
}

/**
 * Floats the two sides compute by the same IEEE operations on the same integers are compared
 * exactly; only sums of many terms (the average lifetime) may differ in the last bits, because
 * pandas adds pairwise and the library in row order.
 */
const SUM_TOLERANCE = 1e-9;

function sameNumber(a: number | null, b: number | null, tolerance = 0): boolean {
  if (a === null || b === null) return a === b;
  if (tolerance === 0) return a === b;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Every difference between two result sets, as readable lines (empty: they agree). */
export function compareResults(ours: ComparableResults, theirs: ComparableResults, label = 'pandas'): string[] {
  const out: string[] = [];
  const json = (v: unknown) => JSON.stringify(v);
  if (json(ours.pattern_counts) !== json(theirs.pattern_counts)) {
    out.push(`crash pattern counts: in-process ${json(ours.pattern_counts)}, ${label} ${json(theirs.pattern_counts)}`);
  }
  if (json(ours.confidence_counts) !== json(theirs.confidence_counts)) {
    out.push(`crash verdicts with confidence: in-process ${json(ours.confidence_counts)}, ${label} ${json(theirs.confidence_counts)}`);
  }
  if (ours.total_gaps !== theirs.total_gaps) out.push(`total heartbeat gaps: in-process ${ours.total_gaps}, ${label} ${theirs.total_gaps}`);
  const a = ours.report;
  const b = theirs.report;
  if (json(a.workers) !== json(b.workers)) out.push(`§13 worker states: in-process ${json(a.workers)}, ${label} ${json(b.workers)}`);
  if (json(a.tasks) !== json(b.tasks)) out.push(`§13 task counts: in-process ${json(a.tasks)}, ${label} ${json(b.tasks)}`);
  if (!sameNumber(a.success_rate, b.success_rate)) out.push(`§13 success rate: in-process ${a.success_rate}, ${label} ${b.success_rate}`);
  if (!sameNumber(a.avg_lifetime_s, b.avg_lifetime_s, SUM_TOLERANCE)) {
    out.push(`§13 average lifetime: in-process ${a.avg_lifetime_s}, ${label} ${b.avg_lifetime_s}`);
  }
  if (json(a.by_task_type) !== json(b.by_task_type)) out.push(`§13 by task type: in-process ${json(a.by_task_type)}, ${label} ${json(b.by_task_type)}`);

  const ids = new Set([...Object.keys(ours.workers), ...Object.keys(theirs.workers)]);
  let shown = 0;
  let differing = 0;
  for (const id of [...ids].sort()) {
    const x = ours.workers[id];
    const y = theirs.workers[id];
    const fields: string[] = [];
    if (!x || !y) {
      fields.push(x ? `missing from ${label}` : 'missing in-process');
    } else {
      for (const key of Object.keys(x) as (keyof WorkerResult)[]) {
        const a = x[key];
        const b = y[key] ?? null;
        const same = typeof a === 'number' && typeof b === 'number' ? sameNumber(a, b) : a === b;
        if (!same) fields.push(`${key} ${json(x[key])} vs ${json(y[key] ?? null)}`);
      }
    }
    if (fields.length === 0) continue;
    differing++;
    if (shown++ < 10) out.push(`worker ${id}: ${fields.join('; ')}`);
  }
  if (differing > shown) out.push(`… and ${differing - shown} more worker(s) differ`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The hand-over file for pandas

/** One CSV field: NULL is an unquoted empty field, text is always quoted, jsonb is JSON text. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return '"' + text.replace(/"/g, '""') + '"';
}

const CSV_CHUNK_ROWS = 5000;

async function writeCsv(file: string, columns: readonly string[], rows: readonly RawRow[]): Promise<void> {
  const out = createWriteStream(file);
  const done = once(out, 'finish');
  let chunk = columns.join(',') + '\n';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    chunk += columns.map((c) => csvField(row[c])).join(',') + '\n';
    if ((i + 1) % CSV_CHUNK_ROWS === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await done;
}

/** The name of the vocabulary hand-over next to the CSVs. */
export const MARKERS_HAND_OVER = 'markers.json';

/**
 * The vocabulary as pandas reads it: every family's writer, its expressions as written (the
 * portable subset of src/config/portable-regex.ts; the script reads them into Python's syntax) and
 * the texts its lines contain (the SQL sources' first test, the script's too: Python's `re` takes
 * several µs a line on these expressions, a substring search a tenth of that).
 */
export function markersHandOver(vocabulary: Vocabulary): {
  families: Record<string, { writer: string; expressions: string[]; literals: string[][] | null }>;
} {
  return {
    families: Object.fromEntries(
      MARKER_FAMILIES.map((family) => {
        const matcher = vocabulary.families[family];
        return [family, { writer: matcher.writer, expressions: matcher.expressions.map((e) => e.source), literals: matcher.literals }];
      }),
    ),
  };
}

/**
 * Writes workers.csv, tasks.csv and system_logs.csv (the selected columns) into `dir`, and the
 * vocabulary the in-process analysis uses (markers.json).
 */
export async function writeFleetCsv(dir: string, raw: RawFleet, vocabulary: Vocabulary = BUILT_IN_VOCABULARY): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const table of ['workers', 'tasks', 'system_logs'] as const) {
    await writeCsv(path.join(dir, `${table}.csv`), SELECTED_COLUMNS[table], raw[table]);
  }
  await writeFile(path.join(dir, MARKERS_HAND_OVER), JSON.stringify(markersHandOver(vocabulary), null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Running pandas

export interface PandasRun {
  python: string;
  pandas: string;
  numpy: string;
  /** Interpreter start-up to `import pandas` done, as the script measured it (not in the comparison). */
  import_s: number;
  load_s: number[];
  analysis_s: number[];
  /** CPU time of the process (time.process_time) over the same stretches. */
  load_cpu_s: number[];
  analysis_cpu_s: number[];
  results: ComparableResults;
}

/**
 * The Python the benchmark runs pandas with: Debian's python3-pandas lives on /usr/bin/python3.
 * scripts/bench-pandas.sh installs it (npm run bench runs that first) and names the Python it
 * made sure of in WORKER_FORENSICS_PANDAS_PYTHON.
 */
export const PANDAS_PYTHON = process.env['WORKER_FORENSICS_PANDAS_PYTHON'] || '/usr/bin/python3';

/** `PANDAS_PYTHON` if it can import pandas; otherwise an error saying how to get it. */
export function requirePandas(): string {
  const probe = spawnSync(PANDAS_PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new Error(`${PANDAS_PYTHON} cannot import pandas: run the benchmark with npm run bench, or install it with bash scripts/bench-pandas.sh`);
  }
  return PANDAS_PYTHON;
}

/** The script's path in a checkout (or installed package): python/bench_pandas.py. */
export function pandasScript(root: string): string {
  return path.join(root, 'python', 'bench_pandas.py');
}

/** Runs python/bench_pandas.py on the CSVs in `dir`; `reps` load+analysis repetitions in one process. */
export async function runPandas(python: string, script: string, dir: string, asOf: Instant, reps: number): Promise<PandasRun> {
  const child = spawn(python, [script, dir, String(asOf), String(CLASSIFY_HOURS), String(REPORT_HOURS), String(reps)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${path.basename(script)} failed (exit ${code}):\n${Buffer.concat(stderr).toString('utf8').slice(-4000)}`);
  return JSON.parse(Buffer.concat(stdout).toString('utf8')) as PandasRun;
}

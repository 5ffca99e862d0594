/**
 * The SQL twin of `computeWorkerSignals` (src/analyses/worker-signals.ts): the per-worker log
 * signals computed where the rows live, in one statement, so that a fleet with millions of log
 * lines sends one small row per worker instead of its lines. The definitions are those of the
 * header of worker-signals.ts, read literally; tests hold the two equal field by field.
 *
 * How the statement is built (one sort of the workers' lines, one pass of windows, one GROUP BY):
 * - `lines`: every line carrying one of the ids, up to as-of. Lines a row parser would reject
 *   (`-infinity`; NULL source_type, log_level or message) are left out, as the in-process path
 *   never sees them. Levels are upper-cased as `parseRows` does; instants become integer
 *   microseconds.
 * - `flagged`: the markers, matched with ILIKE on the escaped marker, only on the worker's own
 *   lines (`source_type = 'worker'`). ILIKE runs under the C collation, which folds ASCII letters
 *   only: exactly what `containsMarker`'s non-unicode `/i` regex does for the (ASCII) markers,
 *   where the database's own collation would also fold e.g. `İ` or the Kelvin sign to ASCII, and
 *   twice as fast.
 * - `ordered`: windows over (worker, is-worker-line) in (timestamp, id) order, all on one sort:
 *   each line's rank (1..n without holes), the next worker line's instant (LEAD), the previous
 *   logged heartbeat's instant (a running MAX over the preceding heartbeats: instants never
 *   decrease along the order, so the latest earlier heartbeat is the largest), and running
 *   counts of heartbeats and errors.
 * - the final GROUP BY turns each worker's lines into one row: counts with FILTER; evidence lines
 *   as JSON objects built only for the rows a FILTER keeps (Postgres evaluates aggregate
 *   arguments after FILTER), the one wanted first in the aggregate's ORDER BY; heartbeat gaps as
 *   an ordered JSON array.
 * Every duration leaves the database as integer microseconds and is divided in JS, exactly as
 * `secondsBetween` does, so the floats are the same; only the gap threshold test is done in SQL,
 * in float8, the same IEEE division and comparison as the in-process code.
 */
import type postgres from 'postgres';
import { emptySignals, type EvidenceLine, type WorkerSignals } from '../rows/signals.js';
import { ERROR_LEVELS, MARKERS, WORKER_SOURCE_TYPE } from '../config/markers.js';
import { THRESHOLDS } from '../config/thresholds.js';
import { UsageError } from '../errors.js';
import { formatInstant, MICROS_PER_SECOND, secondsBetween, type Instant } from '../rows/time.js';
import { containsPattern } from './like.js';

/** An evidence line as the statement sends it: `t` in epoch microseconds. */
interface EvidenceJson {
  t: number;
  log_level: string;
  source_type: string;
  message: string;
}

interface VlmJson extends EvidenceJson {
  /** The next worker line's instant; null when none followed before as-of. */
  next_t: number | null;
}

/** One result row of the statement. bigint columns arrive as text from the driver. */
export interface WorkerSignalsRow {
  worker_id: string;
  log_count: number;
  worker_log_count: number;
  worker_non_heartbeat_count: number;
  worker_error_count: number;
  first_worker_log: EvidenceJson | null;
  last_worker_log: EvidenceJson | null;
  logged_heartbeat_count: number;
  heartbeat_span_us: string | null;
  /** `[at, gap]` pairs in microseconds, in line order. */
  heartbeat_gaps: [number, number][];
  last_model_switch: EvidenceJson | null;
  /** The after-switch figures are NULL without a switch, and then not read. */
  after_switch_lines: number;
  after_switch_heartbeats: number;
  after_switch_errors: number;
  last_heartbeat_after_switch_us: string | null;
  vlm_hang: VlmJson | null;
  memory_profile_line: EvidenceJson | null;
  last_error: EvidenceJson | null;
}

/**
 * The signals statement for `workerIds` at `asOf`, on `sql` (a connection or transaction whose
 * search_path reaches `system_logs`). Returned unawaited so that the caller can cancel it.
 */
export function workerSignalsStatement<T extends Record<string, unknown>>(
  sql: postgres.ISql<T>,
  workerIds: readonly string[],
  asOf: Instant,
): postgres.PendingQuery<WorkerSignalsRow[]> {
  if (!Number.isSafeInteger(asOf)) throw new UsageError(`worker signals: as-of must be whole epoch microseconds (got ${asOf})`);
  const evidence = sql`json_build_object('t', t_us, 'log_level', log_level, 'source_type', source_type, 'message', message)`;
  return sql<WorkerSignalsRow[]>`
    with lines as (
      select worker_id, id, "timestamp", source_type, message,
             upper(log_level) as log_level,
             -- Exact on every version: before PostgreSQL 14, extract() returns a double, which can
             -- be a microsecond off at today's epoch; whole seconds and microseconds stay exact.
             extract(epoch from date_trunc('second', "timestamp"))::bigint * ${MICROS_PER_SECOND}
               + extract(microseconds from "timestamp")::bigint % ${MICROS_PER_SECOND} as t_us,
             source_type = ${WORKER_SOURCE_TYPE} as is_worker
      from system_logs
      where worker_id = any(${[...workerIds]}::text[])
        and "timestamp" <= ${formatInstant(asOf)}::timestamptz and isfinite("timestamp")
        and source_type is not null and log_level is not null and message is not null
    ),
    flagged as (
      select lines.*,
             is_worker and message collate "C" ilike ${containsPattern(MARKERS.loggedHeartbeat)} as is_heartbeat,
             is_worker and message collate "C" ilike ${containsPattern(MARKERS.modelSwitch)} as is_switch,
             is_worker and message collate "C" ilike ${containsPattern(MARKERS.vlmLoading)} as is_vlm,
             is_worker and message collate "C" ilike ${containsPattern(MARKERS.memoryProfile)} as is_memory,
             is_worker and log_level = any(${[...ERROR_LEVELS]}::text[]) as is_error
      from lines
    ),
    ordered as (
      select flagged.*,
             row_number() over w as seq,
             lead(t_us) over w as next_t_us,
             max(t_us) filter (where is_heartbeat) over before_this as previous_heartbeat_us,
             count(*) filter (where is_heartbeat) over up_to_this as heartbeats_so_far,
             count(*) filter (where is_error) over up_to_this as errors_so_far
      from flagged
      window w as (partition by worker_id, is_worker order by "timestamp", id),
             before_this as (w rows between unbounded preceding and 1 preceding),
             up_to_this as (w rows between unbounded preceding and current row)
    )
    select
      worker_id,
      -- log_count: every line carrying the worker_id (the worker's and the orchestrator's)
      (count(*))::int as log_count,
      (count(*) filter (where is_worker))::int as worker_log_count,
      (count(*) filter (where is_worker and not is_heartbeat))::int as worker_non_heartbeat_count,
      (count(*) filter (where is_error))::int as worker_error_count,
      -- first and last worker line: rank 1, and the one no worker line follows
      json_agg(${evidence}) filter (where is_worker and seq = 1) -> 0 as first_worker_log,
      json_agg(${evidence}) filter (where is_worker and next_t_us is null) -> 0 as last_worker_log,
      (count(*) filter (where is_heartbeat))::int as logged_heartbeat_count,
      -- heartbeat_span: last logged heartbeat minus first
      max(t_us) filter (where is_heartbeat) - min(t_us) filter (where is_heartbeat) as heartbeat_span_us,
      -- heartbeat_gaps: gaps between consecutive logged heartbeats longer than the threshold, at the later line
      coalesce(
        json_agg(json_build_array(t_us, t_us - previous_heartbeat_us) order by seq)
          filter (where is_heartbeat and (t_us - previous_heartbeat_us)::float8 / ${MICROS_PER_SECOND}::float8 > ${THRESHOLDS.loggedHeartbeatGapS}::float8),
        '[]'::json
      ) as heartbeat_gaps,
      -- last_model_switch: the switch line of highest rank
      json_agg(${evidence} order by seq desc) filter (where is_switch) -> 0 as last_model_switch,
      -- after_switch: worker lines strictly after it in (timestamp, id) order. Ranks are 1..n without
      -- holes and the running counts never decrease, so the values at the last switch are the
      -- largest over the switch lines, and "after" is the total minus the count up to the switch.
      (count(*) filter (where is_worker) - max(seq) filter (where is_switch))::int as after_switch_lines,
      (count(*) filter (where is_heartbeat) - max(heartbeats_so_far) filter (where is_switch))::int as after_switch_heartbeats,
      (count(*) filter (where is_error) - max(errors_so_far) filter (where is_switch))::int as after_switch_errors,
      -- the last heartbeat after the switch is the last heartbeat, when it ranks after the switch
      case when max(seq) filter (where is_heartbeat) > max(seq) filter (where is_switch)
        then max(t_us) filter (where is_heartbeat) - max(t_us) filter (where is_switch)
      end as last_heartbeat_after_switch_us,
      -- vlm_hang: of the VLM lines another worker line follows, the one followed by the longest silence; ties: the earliest
      json_agg(json_build_object('t', t_us, 'log_level', log_level, 'source_type', source_type, 'message', message, 'next_t', next_t_us)
               order by next_t_us - t_us desc, seq)
        filter (where is_vlm and next_t_us is not null) -> 0 as vlm_hang,
      -- memory_profile_line and last_error: the last worker line of each kind
      json_agg(${evidence} order by seq desc) filter (where is_memory) -> 0 as memory_profile_line,
      json_agg(${evidence} order by seq desc) filter (where is_error) -> 0 as last_error
    from ordered
    group by worker_id
  `;
}

/** The statement's rows as signals for every id asked: workers without lines get `emptySignals`. */
export function toWorkerSignals(rows: readonly WorkerSignalsRow[], workerIds: readonly string[]): Map<string, WorkerSignals> {
  const out = new Map<string, WorkerSignals>();
  const byWorker = new Map(rows.map((row) => [row.worker_id, row]));
  for (const id of workerIds) {
    const row = byWorker.get(id);
    out.set(id, row ? signalsOf(row) : emptySignals(id));
  }
  return out;
}

/** Durations arrive as exact integer differences `b − a`: dividing them is what `secondsBetween` does. */
function secondsOf(micros: number): number {
  return micros / MICROS_PER_SECOND;
}

function evidenceOf(json: EvidenceJson): EvidenceLine {
  return { timestamp: json.t, log_level: json.log_level, source_type: json.source_type, message: json.message };
}

function signalsOf(row: WorkerSignalsRow): WorkerSignals {
  const lastSwitch = row.last_model_switch;
  return {
    worker_id: row.worker_id,
    log_count: row.log_count,
    worker_log_count: row.worker_log_count,
    worker_non_heartbeat_count: row.worker_non_heartbeat_count,
    worker_error_count: row.worker_error_count,
    first_worker_log: row.first_worker_log && evidenceOf(row.first_worker_log),
    last_worker_log: row.last_worker_log && evidenceOf(row.last_worker_log),
    logged_heartbeat_count: row.logged_heartbeat_count,
    heartbeat_span_s: row.heartbeat_span_us === null ? null : secondsOf(Number(row.heartbeat_span_us)),
    heartbeat_gaps: row.heartbeat_gaps.map(([at, gap]) => ({ at, gap_s: secondsOf(gap) })),
    last_model_switch: lastSwitch && evidenceOf(lastSwitch),
    after_switch: lastSwitch && {
      worker_lines: row.after_switch_lines,
      logged_heartbeats: row.after_switch_heartbeats,
      errors: row.after_switch_errors,
      last_heartbeat_after_s:
        row.last_heartbeat_after_switch_us === null ? null : secondsOf(Number(row.last_heartbeat_after_switch_us)),
    },
    vlm_hang: row.vlm_hang && {
      line: evidenceOf(row.vlm_hang),
      silence_s: secondsBetween(row.vlm_hang.t, row.vlm_hang.next_t!),
    },
    memory_profile_line: row.memory_profile_line && evidenceOf(row.memory_profile_line),
    last_error: row.last_error && evidenceOf(row.last_error),
  };
}

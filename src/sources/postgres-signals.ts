/**
 * The SQL twin of `computeWorkerSignals` (src/analyses/worker-signals.ts): the per-worker log
 * signals computed where the rows live, in one statement, so that a fleet with millions of log
 * lines sends one small row per worker instead of its lines. The definitions are those of the
 * header of worker-signals.ts, read literally; tests hold the two equal field by field, with the
 * built-in vocabulary and with a markers file.
 *
 * How the statement is built (one sort of the workers' lines, two passes of windows, one GROUP BY):
 * - `lines`: every line carrying one of the ids, up to as-of. Lines a row parser would reject
 *   (`-infinity`; NULL source_type, log_level or message) are left out, as the in-process path
 *   never sees them. Levels are upper-cased as `parseRows` does; instants become integer
 *   microseconds.
 * - `flagged`: one flag per marker family: a line of the family's writer that its expression
 *   matches. The expressions are the vocabulary's PostgreSQL forms (config/portable-regex.ts),
 *   which answer as the JavaScript forms do (a property test holds them equal on this server);
 *   a first test on the family's literals (ILIKE, which PostgreSQL runs far faster than a regular
 *   expression) spares most lines the expression.
 * - `ordered`: windows over (worker, is-worker-line) in (timestamp, id) order, all on one sort:
 *   each line's rank (1..n without holes), the next worker line's instant (LEAD), the running MAX
 *   of heartbeat instants (instants never decrease along the order, so it is the latest one; the
 *   previous heartbeat is its LAG) and the running count of heartbeats. Every frame ends at the
 *   current row: PostgreSQL carries such an aggregate along instead of recomputing it per row.
 * - `ranked`, `picked`: over the whole partition, the rank of the first or last line of each kind
 *   (the last switch, the first finished load after it, …), so that the final aggregates pick one
 *   row by rank rather than collect every line of the kind.
 * - the final GROUP BY turns each worker's lines into one row: counts with FILTER; evidence lines
 *   as JSON objects built only for the rows a FILTER keeps (Postgres evaluates aggregate
 *   arguments after FILTER), the one wanted first in the aggregate's ORDER BY; heartbeat gaps as
 *   an ordered JSON array.
 * Every duration leaves the database as integer microseconds and is divided in JS, exactly as
 * `secondsBetween` does, so the floats are the same; only the gap threshold test is done in SQL,
 * in float8, the same IEEE division and comparison as the in-process code.
 */
import type postgres from 'postgres';
import { ERROR_LEVELS, MARKER_FAMILIES, WORKER_SOURCE_TYPE, type MarkerFamily } from '../config/markers.js';
import { THRESHOLDS } from '../config/thresholds.js';
import { asciiLower, type Vocabulary } from '../config/vocabulary.js';
import type { Literals, PortableRegex } from '../config/portable-regex.js';
import { UsageError } from '../errors.js';
import { emptySignals, LOG_TAIL_LINES, type EvidenceLine, type StartupEnd, type WorkerSignals } from '../rows/signals.js';
import { formatInstant, MICROS_PER_SECOND, secondsBetween, type Instant } from '../rows/time.js';

/** An evidence line as the statement sends it: `t` in epoch microseconds. */
interface EvidenceJson {
  id: string;
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
  family_counts: Record<MarkerFamily, number>;
  first_worker_log: EvidenceJson | null;
  last_worker_log: EvidenceJson | null;
  last_non_heartbeat_log: EvidenceJson | null;
  logged_heartbeat_count: number;
  last_heartbeat_log: EvidenceJson | null;
  heartbeat_span_us: string | null;
  /** `[at, gap]` pairs in microseconds, in line order. */
  heartbeat_gaps: [number, number][];
  last_model_switch: EvidenceJson | null;
  /** The after-switch figures are read only when there is a switch. */
  after_switch_lines: number;
  after_switch_heartbeats: number;
  after_switch_errors: number;
  last_heartbeat_after_switch_us: string | null;
  model_loaded_after_switch: EvidenceJson | null;
  vlm_hang: VlmJson | null;
  vlm_open: EvidenceJson | null;
  memory_profile_line: EvidenceJson | null;
  last_ram_line: EvidenceJson | null;
  ram_before_switch: EvidenceJson | null;
  last_error: EvidenceJson | null;
  startup_end: { t: number; by: StartupEnd } | null;
  last_shutdown_log: EvidenceJson | null;
  orchestrator_kill: EvidenceJson | null;
  log_tail: EvidenceJson[] | null;
}

/**
 * The signals statement for `workerIds` at `asOf` in `vocabulary`, on `sql` (a connection or
 * transaction whose search_path reaches `system_logs`). Returned unawaited so that the caller can
 * cancel it.
 */
export function workerSignalsStatement<T extends Record<string, unknown>>(
  sql: postgres.ISql<T>,
  workerIds: readonly string[],
  asOf: Instant,
  vocabulary: Vocabulary,
): postgres.PendingQuery<WorkerSignalsRow[]> {
  if (!Number.isSafeInteger(asOf)) throw new UsageError(`worker signals: as-of must be whole epoch microseconds (got ${asOf})`);
  const evidence = sql`json_build_object('id', id, 't', t_us, 'log_level', log_level, 'source_type', source_type, 'message', message)`;
  // `~` under the C collation: the expressions are printed for it (config/portable-regex.ts). Each
  // family's literals are looked for first, in the message lower-cased once (strpos is cheap, the
  // expression is not): most lines contain none, and never meet `~`.
  const flag = (family: MarkerFamily) => {
    const matcher = vocabulary.families[family];
    if (matcher.pg === null) return sql`false`;
    const writer = matcher.writer === 'worker' ? sql`is_worker` : sql`not is_worker`;
    return sql`${writer} and (${expressionsTest(sql, matcher.expressions)})`;
  };
  const flags = MARKER_FAMILIES.map((family) => sql`${flag(family)} as ${sql(`f_${family}`)}`).reduce((all, f) => sql`${all}, ${f}`);
  const familyCounts = MARKER_FAMILIES.map((family) => sql`${family}::text, (count(*) filter (where ${sql(`f_${family}`)}))::int`).reduce(
    (all, f) => sql`${all}, ${f}`,
  );
  return sql<WorkerSignalsRow[]>`
    with lines as materialized (
      -- materialized: the lower-cased message is computed once per line, not once per literal test
      select worker_id, id, "timestamp", source_type, message,
             upper(log_level) as log_level,
             -- Exact on every version: before PostgreSQL 14, extract() returns a double, which can
             -- be a microsecond off at today's epoch; whole seconds and microseconds stay exact.
             extract(epoch from date_trunc('second', "timestamp"))::bigint * ${MICROS_PER_SECOND}
               + extract(microseconds from "timestamp")::bigint % ${MICROS_PER_SECOND} as t_us,
             source_type = ${WORKER_SOURCE_TYPE} as is_worker,
             lower(message collate "C") as lowered
      from system_logs
      where worker_id = any(${[...workerIds]}::text[])
        and "timestamp" <= ${formatInstant(asOf)}::timestamptz and isfinite("timestamp")
        and source_type is not null and log_level is not null and message is not null
    ),
    flagged as (
      -- (the lower-cased message serves only the flags: it is not carried through the sorts below)
      select worker_id, id, "timestamp", source_type, message, log_level, t_us, is_worker, ${flags},
             is_worker and log_level = any(${[...ERROR_LEVELS]}::text[]) as is_error
      from lines
    ),
    ordered as (
      select flagged.*,
             row_number() over w as seq,
             lead(t_us) over w as next_t_us,
             -- the latest heartbeat line up to this one: instants never decrease along the order, so
             -- it is the largest (a frame ending at the current row is carried along, not recomputed)
             max(t_us) filter (where f_heartbeat) over up_to_this as heartbeat_t_so_far,
             count(*) filter (where f_heartbeat) over up_to_this as heartbeats_so_far,
             count(*) filter (where f_log_tail) over up_to_this as tails_so_far
      from flagged
      window w as (partition by worker_id, is_worker order by "timestamp", id),
             up_to_this as (w rows between unbounded preceding and current row)
    ),
    stepped as (
      -- the previous heartbeat line: the latest one up to the line before this one
      select ordered.*, lag(heartbeat_t_so_far) over (partition by worker_id, is_worker order by seq) as previous_heartbeat_us
      from ordered
    ),
    ranked as (
      -- The next own line other than a heartbeat line (the end of a silence): the smallest instant
      -- after this line, over the reversed order so that the frame's start stays put and PostgreSQL
      -- carries the aggregate along (a frame starting after the row would be recomputed for every
      -- row: quadratic in a long log). And, over the whole partition (no further sort), the rank of
      -- the first or last line of each kind: the final aggregates then pick one row by rank instead
      -- of collecting every line of the kind.
      select stepped.*,
             min(t_us) filter (where not f_heartbeat) over after_this as next_spoken_t_us,
             max(seq) filter (where f_model_switch) over p as switch_seq,
             max(seq) filter (where is_worker and not f_heartbeat) over p as last_spoken_seq,
             max(seq) filter (where f_heartbeat) over p as last_heartbeat_seq,
             max(seq) filter (where f_memory_profile) over p as memory_profile_seq,
             max(seq) filter (where f_ram) over p as last_ram_seq,
             max(seq) filter (where is_error) over p as last_error_seq,
             max(seq) filter (where f_shutdown) over p as last_shutdown_seq,
             min(seq) filter (where f_orchestrator_error) over p as kill_seq,
             min(seq) filter (where f_ready or f_task_claim or (f_heartbeat and heartbeats_so_far = 2)) over p as startup_end_seq,
             count(*) filter (where f_log_tail) over p as tails
      from stepped
      window after_this as (partition by worker_id, is_worker order by "timestamp" desc, id desc rows between unbounded preceding and 1 preceding),
             p as (partition by worker_id, is_worker)
    ),
    picked as (
      -- ranks that read the ranks above: the first finished load after the last switch, the last RAM
      -- sample before it, the VLM line no own line followed
      select ranked.*,
             min(seq) filter (where f_model_loaded and seq > switch_seq) over p as loaded_seq,
             max(seq) filter (where f_ram and seq < switch_seq) over p as ram_before_seq,
             max(seq) filter (where f_vlm_loading and next_spoken_t_us is null) over p as vlm_open_seq
      from ranked
      window p as (partition by worker_id, is_worker)
    )
    select
      worker_id,
      -- log_count: every line carrying the worker_id (the worker's and the orchestrator's)
      (count(*))::int as log_count,
      (count(*) filter (where is_worker))::int as worker_log_count,
      (count(*) filter (where is_worker and not f_heartbeat))::int as worker_non_heartbeat_count,
      (count(*) filter (where is_error))::int as worker_error_count,
      json_build_object(${familyCounts}) as family_counts,
      -- first and last worker line: rank 1, and the one no worker line follows
      json_agg(${evidence}) filter (where is_worker and seq = 1) -> 0 as first_worker_log,
      json_agg(${evidence}) filter (where is_worker and next_t_us is null) -> 0 as last_worker_log,
      json_agg(${evidence}) filter (where is_worker and seq = last_spoken_seq) -> 0 as last_non_heartbeat_log,
      (count(*) filter (where f_heartbeat))::int as logged_heartbeat_count,
      json_agg(${evidence}) filter (where f_heartbeat and seq = last_heartbeat_seq) -> 0 as last_heartbeat_log,
      -- heartbeat_span: last heartbeat line minus first
      max(t_us) filter (where f_heartbeat) - min(t_us) filter (where f_heartbeat) as heartbeat_span_us,
      -- heartbeat_gaps: gaps between consecutive heartbeat lines longer than the threshold, at the later line
      coalesce(
        json_agg(json_build_array(t_us, t_us - previous_heartbeat_us) order by seq)
          filter (where f_heartbeat and (t_us - previous_heartbeat_us)::float8 / ${MICROS_PER_SECOND}::float8 > ${THRESHOLDS.loggedHeartbeatGapS}::float8),
        '[]'::json
      ) as heartbeat_gaps,
      -- last_model_switch: the switch line of highest rank; after_switch: worker lines ranked after it
      json_agg(${evidence}) filter (where f_model_switch and seq = switch_seq) -> 0 as last_model_switch,
      (count(*) filter (where is_worker and seq > switch_seq))::int as after_switch_lines,
      (count(*) filter (where f_heartbeat and seq > switch_seq))::int as after_switch_heartbeats,
      (count(*) filter (where is_error and seq > switch_seq))::int as after_switch_errors,
      max(t_us) filter (where f_heartbeat and seq > switch_seq) - max(t_us) filter (where f_model_switch and seq = switch_seq)
        as last_heartbeat_after_switch_us,
      json_agg(${evidence}) filter (where f_model_loaded and seq = loaded_seq) -> 0 as model_loaded_after_switch,
      -- vlm_hang: of the VLM lines a later own line (not a heartbeat line) follows, the one followed by the longest silence; ties: the earliest
      json_agg(json_build_object('id', id, 't', t_us, 'log_level', log_level, 'source_type', source_type, 'message', message, 'next_t', next_spoken_t_us)
               order by next_spoken_t_us - t_us desc, seq)
        filter (where f_vlm_loading and next_spoken_t_us is not null) -> 0 as vlm_hang,
      json_agg(${evidence}) filter (where f_vlm_loading and seq = vlm_open_seq) -> 0 as vlm_open,
      -- the last worker line of each kind; the last RAM sample ranked before the switch
      json_agg(${evidence}) filter (where f_memory_profile and seq = memory_profile_seq) -> 0 as memory_profile_line,
      json_agg(${evidence}) filter (where f_ram and seq = last_ram_seq) -> 0 as last_ram_line,
      json_agg(${evidence}) filter (where f_ram and seq = ram_before_seq) -> 0 as ram_before_switch,
      json_agg(${evidence}) filter (where is_error and seq = last_error_seq) -> 0 as last_error,
      json_agg(${evidence}) filter (where f_shutdown and seq = last_shutdown_seq) -> 0 as last_shutdown_log,
      -- startup_end: the first ready line, task claim or second heartbeat line
      json_agg(json_build_object('t', t_us, 'by', case when f_ready then 'ready' when f_task_claim then 'task_claim' else 'heartbeat_loop' end))
        filter (where is_worker and seq = startup_end_seq) -> 0 as startup_end,
      -- the orchestrator's lines about the worker: its first error mark, the last log-tail lines
      json_agg(${evidence}) filter (where f_orchestrator_error and seq = kill_seq) -> 0 as orchestrator_kill,
      json_agg(${evidence} order by seq) filter (where f_log_tail and tails - tails_so_far < ${LOG_TAIL_LINES}) as log_tail
    from picked
    group by worker_id
  `;
}

/**
 * Whether a line matches any of the expressions: a plain-text expression by a text search in
 * `lowered` (the message with ASCII letters lower-cased), any other by its literals first, then
 * `~` under the C collation (the expressions are printed for it).
 */
export function expressionsTest<T extends Record<string, unknown>>(
  sql: postgres.ISql<T>,
  expressions: readonly PortableRegex[],
  lowered: postgres.PendingQuery<postgres.Row[]> = sql`lowered`,
): postgres.PendingQuery<postgres.Row[]> {
  if (expressions.length === 0) return sql`false`;
  return expressions
    .map((e) =>
      e.exact !== null
        ? sql`strpos(${lowered}, ${asciiLower(e.exact)}) > 0`
        : sql`(${literalTest(sql, e.literals, lowered)} and message collate "C" ~ ${e.pg})`,
    )
    .reduce((all, t) => sql`(${all} or ${t})`);
}

/**
 * Whether `lowered` (the message with ASCII letters lower-cased) holds the literals: any alternative
 * with all its texts. True when there are none to look for.
 */
export function literalTest<T extends Record<string, unknown>>(
  sql: postgres.ISql<T>,
  literals: Literals | null,
  lowered: postgres.PendingQuery<postgres.Row[]> = sql`lowered`,
): postgres.PendingQuery<postgres.Row[]> {
  if (literals === null || literals.length === 0) return sql`true`;
  const alternative = (texts: readonly string[]) =>
    texts.map((text) => sql`strpos(${lowered}, ${asciiLower(text)}) > 0`).reduce((all, t) => sql`${all} and ${t}`);
  return sql`(${literals.map((texts) => sql`(${alternative(texts)})`).reduce((all, a) => sql`${all} or ${a}`)})`;
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
  return { id: json.id, timestamp: json.t, log_level: json.log_level, source_type: json.source_type, message: json.message };
}

function evidenceOrNull(json: EvidenceJson | null): EvidenceLine | null {
  return json && evidenceOf(json);
}

function signalsOf(row: WorkerSignalsRow): WorkerSignals {
  const lastSwitch = row.last_model_switch;
  return {
    worker_id: row.worker_id,
    log_count: row.log_count,
    worker_log_count: row.worker_log_count,
    worker_non_heartbeat_count: row.worker_non_heartbeat_count,
    worker_error_count: row.worker_error_count,
    family_counts: Object.fromEntries(MARKER_FAMILIES.map((f) => [f, row.family_counts[f] ?? 0])) as Record<MarkerFamily, number>,
    first_worker_log: evidenceOrNull(row.first_worker_log),
    last_worker_log: evidenceOrNull(row.last_worker_log),
    last_non_heartbeat_log: evidenceOrNull(row.last_non_heartbeat_log),
    logged_heartbeat_count: row.logged_heartbeat_count,
    last_heartbeat_log: evidenceOrNull(row.last_heartbeat_log),
    heartbeat_span_s: row.heartbeat_span_us === null ? null : secondsOf(Number(row.heartbeat_span_us)),
    heartbeat_gaps: row.heartbeat_gaps.map(([at, gap]) => ({ at, gap_s: secondsOf(gap) })),
    last_model_switch: evidenceOrNull(lastSwitch),
    after_switch: lastSwitch && {
      worker_lines: row.after_switch_lines,
      logged_heartbeats: row.after_switch_heartbeats,
      errors: row.after_switch_errors,
      last_heartbeat_after_s:
        row.last_heartbeat_after_switch_us === null ? null : secondsOf(Number(row.last_heartbeat_after_switch_us)),
      model_loaded: evidenceOrNull(row.model_loaded_after_switch),
    },
    vlm_hang: row.vlm_hang && {
      line: evidenceOf(row.vlm_hang),
      silence_s: secondsBetween(row.vlm_hang.t, row.vlm_hang.next_t!),
    },
    vlm_open: evidenceOrNull(row.vlm_open),
    memory_profile_line: evidenceOrNull(row.memory_profile_line),
    last_ram_line: evidenceOrNull(row.last_ram_line),
    ram_before_switch: evidenceOrNull(row.ram_before_switch),
    last_error: evidenceOrNull(row.last_error),
    startup_end: row.startup_end && { at: row.startup_end.t, by: row.startup_end.by },
    last_shutdown_log: evidenceOrNull(row.last_shutdown_log),
    orchestrator_kill: evidenceOrNull(row.orchestrator_kill),
    log_tail: (row.log_tail ?? []).map(evidenceOf),
  };
}

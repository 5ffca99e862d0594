#!/usr/bin/env python3
"""The benchmark's pandas side (bench/fleet-analysis.ts): the fleet analysis of `classify`, §4A
and §13, written the way a pandas user would write it, over the rows the benchmark wrote once as CSV.

Usage: bench_pandas.py DATA_DIR AS_OF_US CLASSIFY_HOURS REPORT_HOURS REPS
DATA_DIR holds workers.csv, tasks.csv and system_logs.csv (the columns the sources select; NULL is
an unquoted empty field; workers.metadata is JSON text) and markers.json, the vocabulary of the
in-process run ({"families": {"<family>": {"writer": "worker" | "orchestrator", "expressions":
["<regular expression>", ...]}}}, the expressions as written in src/config/markers.ts or in a
markers file). Prints one JSON document on stdout: timings per repetition, wall-clock and CPU
(load: files -> DataFrames with parsed timestamps; analysis), and the results the benchmark
compares with its in-process run.

The rules are those of src/analyses (worker-signals.ts, crash-patterns.ts, death.ts,
heartbeat-gaps.ts, fleet-report.ts) and src/config (markers.ts, vocabulary.ts, portable-regex.ts),
read literally:
- lines in (timestamp, id) order; "worker lines" are source_type = 'worker', every other line is
  the orchestrator's; a marker family reads only its writer's lines;
- marker expressions are the portable subset of JavaScript regular expressions: ASCII letters
  match either case and nothing else folds (re.ASCII | re.IGNORECASE, not str.lower(), which folds
  e.g. the Kelvin sign to 'k'), `.` is any character but a JavaScript line terminator, `\\s` is
  JavaScript's white space, `$` is the end of the text (never before a final newline);
- a crash pattern's criteria are met, unmet or undecided (null). A pattern matches when no
  required criterion is unmet and one other than `dead` is met; its confidence is strong (every
  criterion met), likely (a corroborating one not met) or weak (a required one undecided); the
  most confident match wins, then the order init_failure, oom_model_load, vlm_loading_hang,
  stalled. Without a match: no_crash (alive, a clean end, or a quiet end), else unexplained;
- instants are integer microseconds, durations (b - a) / 1e6 as doubles, the same IEEE division.
Only pandas and numpy (Debian python3-pandas) and the standard library are used.
"""
import json
import re
import sys
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

IMPORT_S = time.perf_counter() - T0

US = 1_000_000
# src/config/thresholds.ts
HEARTBEAT_GAP_S = 40
ALIVE_S = 60
DEAD_S = 5 * 60
INIT_FAILURE_WINDOW_S = 10
INIT_FAILURE_MAX_LIFETIME_S = 1200
OOM_WINDOW_S = (1.5 * 60, 5 * 60)
OOM_MAX_HEARTBEATS_AFTER = 2
OOM_HEARTBEAT_AFTER_S = (5, 90)
VLM_HANG_SILENCE_S = 5 * 60
STALLED_SILENCE_S = 10 * 60
RAM_HIGH_USED_PCT = 90
# src/config/markers.ts, src/rows/schemas.ts
WORKER_SOURCE_TYPE = "worker"
ERROR_LEVELS = ["ERROR", "CRITICAL"]
ERROR_STATUSES = {"error", "crashed"}
TERMINATED_STATUSES = {"terminating", "terminated"}
TASK_STATUSES = ["Queued", "In Progress", "Complete", "Failed", "Cancelled"]
FINISHED_STATUSES = ["Complete", "Failed"]
MARKER_FLAGS = re.ASCII | re.IGNORECASE
MARKERS_FILE = "markers.json"

# ---------------------------------------------------------------------------------------------
# Marker expressions (src/config/portable-regex.ts): the portable subset of JavaScript's syntax,
# read into Python's. The subset refuses lookbehind, back-references, property escapes and inline
# flags; what is left differs from Python only where handled here.

JS_SPACE = r"\t-\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
JS_LINE_TERMINATORS = r"\n\r\u2028\u2029"
# Literal in a JavaScript class; Python would warn of a nested set or a set operation.
CLASS_SPECIAL = set("[&~|")


def python_regex(source, keep_names):
    """One marker expression as a Python pattern (to compile with MARKER_FLAGS).

    keep_names: named groups stay named (to read values); otherwise every group is non-capturing,
    so that expressions can be joined (a name may recur) and pandas' str.contains sees no groups.
    """
    out = []
    i = 0
    in_class = False
    class_start = False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            nxt = source[i + 1]
            if nxt == "u" and source[i + 2 : i + 3] == "{":
                close = source.index("}", i + 3)
                out.append("\\U%08x" % int(source[i + 3 : close], 16))
                i = close + 1
            else:
                if nxt == "s":
                    out.append(JS_SPACE if in_class else f"[{JS_SPACE}]")
                elif nxt == "S":
                    out.append(f"[^{JS_SPACE}]")
                elif nxt == "0":
                    out.append("\\x00")
                elif nxt == "b" and in_class:
                    out.append("\\x08")
                else:
                    # \d \w \b \B: ASCII under re.ASCII as in JavaScript; \n \t \xHH \uHHHH; escaped punctuation.
                    out.append("\\" + nxt)
                i += 2
            class_start = False
            continue
        if in_class:
            if ch == "^" and class_start and out[-1] == "[":
                out.append(ch)
                i += 1
                continue
            if ch == "]" and not class_start:
                in_class = False
                out.append(ch)
            elif ch in CLASS_SPECIAL:
                out.append("\\" + ch)
            else:
                out.append(ch)
            class_start = False
            i += 1
            continue
        if ch == "[":
            in_class = True
            class_start = True
            out.append(ch)
        elif ch == ".":
            out.append(f"[^{JS_LINE_TERMINATORS}]")
        elif ch == "$":
            out.append(r"\Z")
        elif ch == "(":
            if source.startswith("(?<", i) and source[i + 3] not in "=!":
                close = source.index(">", i)
                out.append(f"(?P{source[i + 2 : close + 1]}" if keep_names else "(?:")
                i = close + 1
                continue
            if source.startswith("(?", i):
                out.append(source[i : i + 3])  # (?: (?= (?!
                i += 3
                continue
            out.append("(" if keep_names else "(?:")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Vocabulary:
    """The marker families (src/config/vocabulary.ts): each family's writer, one pattern testing
    whether a line is the family's, each expression on its own with its named groups, and the
    texts every line of the family contains (ASCII letters in either case), as alternatives of
    texts that must all appear: a cheap first test (a substring search), then the expression."""

    def __init__(self, families):
        self.writer = {family: spec["writer"] for family, spec in families.items()}
        self.test = {}
        self.readers = {}
        self.literals = {}
        for family, spec in families.items():
            expressions = spec["expressions"]
            if expressions:
                self.test[family] = re.compile("|".join(f"(?:{python_regex(e, False)})" for e in expressions), MARKER_FLAGS)
                self.readers[family] = [re.compile(python_regex(e, True), MARKER_FLAGS) for e in expressions]
            literals = spec.get("literals")
            if literals is not None:
                # One text per alternative suffices for a first test: its longest.
                self.literals[family] = sorted({max(alt, key=len).translate(ASCII_LOWER) for alt in literals})

    def families_of(self, messages, writer):
        """Which of the writer's families each message belongs to: {family: numpy bool array}."""
        n = len(messages)
        out = {family: np.zeros(n, dtype=bool) for family, w in self.writer.items() if w == writer}
        if n == 0:
            return out
        containing = substring_search(messages)
        for family, member in out.items():
            if family not in self.test:
                continue
            if family in self.literals:
                candidate = np.logical_or.reduce([containing(text) for text in self.literals[family]])
                member[candidate] = messages[candidate].str.contains(self.test[family], regex=True).to_numpy(dtype=bool)
            else:
                member[:] = messages.str.contains(self.test[family], regex=True).to_numpy(dtype=bool)
        return out

    def read_values(self, family, message):
        """The named values the family's first matching expression reads (None when none matches)."""
        for reader in self.readers.get(family, []):
            m = reader.search(message)
            if m:
                return {k: v for k, v in m.groupdict().items() if v is not None}
        return None


def substring_search(messages):
    """A function telling, for an ASCII-lower-case text, which messages contain it (ASCII letters in
    either case), as a numpy bool array; each answer is computed once.

    pandas' str.contains(text, regex=False) runs a Python call per message and text (30 texts over a
    million lines: seconds). Instead the messages are joined into one UTF-8 buffer, ASCII letters
    lower-cased by bytes.lower() (which folds nothing else), and each text is found by bytes.find
    (C); a hit's line is found by its offset. The separator is NUL, which a PostgreSQL text never
    holds; should a message hold one anyway, each text is searched message by message.
    """
    n = len(messages)
    data = "\x00".join(messages.tolist()).encode("utf-8").lower()
    seps = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
    starts = np.concatenate([[0], seps + 1]) if len(seps) == n - 1 else None
    lower = None if starts is not None else messages.str.translate(ASCII_LOWER)
    found = {}

    def containing(text):
        if text not in found:
            if starts is None:
                found[text] = lower.str.contains(text, regex=False).to_numpy(dtype=bool)
            else:
                needle = text.encode("utf-8")
                hits = []
                i = data.find(needle)
                while i != -1:
                    hits.append(i)
                    i = data.find(needle, i + 1)
                mask = np.zeros(n, dtype=bool)
                mask[np.searchsorted(starts, np.array(hits, dtype=np.int64), side="right") - 1] = True
                found[text] = mask
        return found[text]

    return containing


def read_vocabulary(data_dir):
    with open(f"{data_dir}/{MARKERS_FILE}", encoding="utf-8") as f:
        return Vocabulary(json.load(f)["families"])


def js_number(text):
    """JavaScript's Number(text) for what a [RAM] group reads (digits, a point): None unless finite."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


# src/rows/time.ts parseInstant: every shape the sources emit.
ISO_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?",
    re.ASCII,
)


def is_instant(text):
    """parseInstant(text) is not null."""
    m = ISO_INSTANT.fullmatch(text.strip())
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not 1 <= month <= 12 or not 1 <= day <= days[month - 1]:
        return False
    if int(m[4] or 0) > 23 or int(m[5] or 0) > 59 or int(m[6] or 0) > 59:
        return False
    if m[9] is not None and (int(m[10]) > 23 or int(m[11] or 0) > 59):
        return False
    return year >= 1000


def self_terminated(metadata):
    """worker-metadata.ts selfTerminated: `true` or "true" (not 1, which Python's `==` takes for True)."""
    value = metadata.get("self_terminated") if isinstance(metadata, dict) else None
    return value is True or value == "true"


def error_time_known(metadata):
    """src/rows/worker-metadata.ts errorTime is not null: an ISO-8601 instant, or finite epoch seconds."""
    value = metadata.get("error_time") if isinstance(metadata, dict) else None
    if isinstance(value, str):
        return is_instant(value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and bool(np.isfinite(value))


def micros(series):
    """Timestamps as epoch microseconds in float64 (NULL -> NaN), through pandas' own ISO parser.

    Exact: the values are whole microseconds below 2**53, and differences of them are exact too.
    """
    parsed = pd.to_datetime(series, utc=True)
    ns = parsed.values.view("int64")
    return pd.Series(np.where(parsed.isna().values, np.nan, ns // 1000), index=series.index)


def read_csv(path, nullable):
    # Only an empty field of a nullable column is NULL: pandas' default NA words ("None", "NA",
    # "null", ...) are ordinary text in a log message.
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values={c: [""] for c in nullable})


def load(data_dir):
    workers = read_csv(f"{data_dir}/workers.csv", ["instance_type", "last_heartbeat", "metadata"])
    tasks = read_csv(
        f"{data_dir}/tasks.csv",
        ["worker_id", "attempts", "error_message", "updated_at", "generation_started_at", "generation_processed_at"],
    )
    logs = read_csv(f"{data_dir}/system_logs.csv", ["source_id", "task_id", "worker_id", "cycle_number"])

    workers["created_us"] = micros(workers["created_at"])
    workers["last_heartbeat_us"] = micros(workers["last_heartbeat"])
    metadata = workers["metadata"].map(lambda text: json.loads(text) if isinstance(text, str) else None)
    workers["error_code"] = metadata.map(lambda m: text_field(m, "error_code"))
    workers["error_reason"] = metadata.map(lambda m: text_field(m, "error_reason"))
    workers["error_time_known"] = metadata.map(error_time_known).astype(bool)
    workers["startup_phase"] = metadata.map(lambda m: text_field(m, "startup_phase"))
    workers["termination_reason"] = metadata.map(lambda m: text_field(m, "termination_reason"))
    workers["self_terminated"] = metadata.map(self_terminated).astype(bool)

    for column in ["created_at", "updated_at", "generation_started_at", "generation_processed_at"]:
        tasks[column.replace("_at", "_us")] = micros(tasks[column])
    # The guide's 'Completed' is the real enum's 'Complete' (one state), as the row schemas read it.
    tasks["status"] = tasks["status"].replace({"Completed": "Complete"})

    logs["ts"] = micros(logs["timestamp"]).astype("int64")  # a required column: no NULL
    logs["log_level"] = logs["log_level"].str.upper()
    return workers, tasks, logs


def text_field(metadata, key):
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and value != "" else None


def in_log_order(frame):
    """Rows by (worker_id, timestamp, id).

    The id only breaks ties of one worker's timestamp, which are rare: sorting a million unique id
    strings (what sort_values(["worker_id", "ts", "id"]) does) took 2 of the 4.5 s of the analysis,
    so only the tied rows are ordered by id, in place (a tie group's rows are adjacent after the
    first sort, and the groups come in the same order in both sorts).
    """
    frame = frame.sort_values(["worker_id", "ts"], kind="mergesort")
    tied = frame.duplicated(["worker_id", "ts"], keep=False).to_numpy()
    if not tied.any():
        return frame
    order = np.arange(len(frame))
    positions = order[tied]
    within = frame.iloc[positions].assign(_at=positions).sort_values(["worker_id", "ts", "id"], kind="mergesort")
    order[positions] = within["_at"].to_numpy()
    return frame.iloc[order]


class Tri:
    """A criterion over every worker: met, unmet or undecided (crash-patterns.ts `met: true | false | null`)."""

    def __init__(self, met, undecided=False):
        self.undecided = np.broadcast_to(np.asarray(undecided, dtype=bool), np.shape(met)).copy()
        self.met = np.asarray(met, dtype=bool) & ~self.undecided

    @property
    def unmet(self):
        return ~self.met & ~self.undecided


CONFIDENCE = np.array(["strong", "likely", "weak"], dtype=object)
NO_MATCH = 9


def judge(required, corroborating):
    """Per worker, the confidence rank (0 strong, 1 likely, 2 weak) of a pattern that matches, else NO_MATCH.

    required: [(key, Tri)]. A match: no required criterion unmet, and one other than `dead` met.
    """
    none_unmet = ~np.logical_or.reduce([c.unmet for _, c in required])
    spoken_for = np.logical_or.reduce([c.met for key, c in required if key != "dead"])
    weak = np.logical_or.reduce([c.undecided for _, c in required])
    strong = np.logical_and.reduce([c.met for _, c in required + corroborating])
    rank = np.where(weak, 2, np.where(strong, 0, 1))
    return np.where(none_unmet & spoken_for, rank, NO_MATCH)


def first_last(code, mask, workers):
    """Row positions of each worker's first and last row among `mask` (-1: none).

    Rows are grouped by worker (each worker's rows adjacent) and in log order within it.
    """
    rows = np.flatnonzero(mask)
    first = np.full(workers, -1, dtype=np.int64)
    last = np.full(workers, -1, dtype=np.int64)
    if len(rows):
        c = code[rows]
        starts = np.append(True, c[1:] != c[:-1])
        ends = np.append(c[1:] != c[:-1], True)
        first[c[starts]] = rows[starts]
        last[c[ends]] = rows[ends]
    return first, last


def at(values, rows, missing=np.nan):
    """values[rows] as floats, `missing` where rows is -1."""
    values = np.asarray(values, dtype="float64")
    if len(values) == 0:
        return np.full(len(rows), missing, dtype="float64")
    return np.where(rows >= 0, values[np.maximum(rows, 0)], missing)


def analyse(workers, tasks, logs, vocabulary, as_of, classify_hours, report_hours):
    window_from = as_of - round(classify_hours * 3600 * US)
    scope = workers[(workers["created_us"] >= window_from) & (workers["created_us"] <= as_of)].set_index("id")
    ids = scope.index
    k = len(ids)
    count = lambda c, mask: np.bincount(c[mask], minlength=k)  # noqa: E731

    lines = logs[logs["worker_id"].isin(ids) & (logs["ts"] <= as_of)]
    own = (lines["source_type"] == WORKER_SOURCE_TYPE).to_numpy()
    w = in_log_order(lines[own])
    wid = w["worker_id"].to_numpy()
    code = ids.get_indexer(wid)
    ts = w["ts"].to_numpy()
    n = len(w)
    row = np.arange(n)
    fam = vocabulary.families_of(w["message"], "worker")
    is_hb = fam["heartbeat"]
    is_error = w["log_level"].isin(ERROR_LEVELS).to_numpy()

    per = pd.DataFrame(index=ids)
    per["worker_log_count"] = np.bincount(code, minlength=k)
    per["logged_heartbeat_count"] = count(code, is_hb)
    _, last_row = first_last(code, np.ones(n, dtype=bool), k)
    per["last_worker_log_us"] = at(ts, last_row)

    # §4A: intervals between consecutive logged heartbeats of one worker; gaps are those over 40 s.
    hb_wid = wid[is_hb]
    hb_ts = ts[is_hb]
    follows = hb_wid[1:] == hb_wid[:-1]
    intervals = pd.Series((hb_ts[1:] - hb_ts[:-1])[follows] / US, index=hb_wid[1:][follows])
    by_worker = intervals.groupby(level=0)
    per["gap_count"] = (intervals > HEARTBEAT_GAP_S).groupby(level=0).sum()
    per["max_interval_s"] = by_worker.max()
    per["median_interval_s"] = by_worker.median()
    per["gap_count"] = per["gap_count"].fillna(0).astype("int64")

    # The last model switch and the worker lines strictly after it.
    _, switch_row = first_last(code, fam["model_switch"], k)
    has_switch = switch_row >= 0
    switch_us = at(ts, switch_row)
    per["switch_us"] = switch_us
    switch_of_row = switch_row[code] if n else np.zeros(0, dtype=np.int64)
    after = (switch_of_row >= 0) & (row > switch_of_row)
    errors_after = count(code, after & is_error)
    heartbeats_after = count(code, after & is_hb)
    loaded_after = count(code, after & fam["model_loaded"]) > 0
    _, last_hb_row = first_last(code, is_hb, k)
    last_hb_us = at(ts, last_hb_row)
    last_hb_after_s = np.where(has_switch & (last_hb_row > switch_row), (last_hb_us - switch_us) / US, np.nan)
    # The last [RAM] sample before the switch, and the system memory it read.
    _, ram_row = first_last(code, fam["ram"] & (switch_of_row >= 0) & (row < switch_of_row), k)
    messages = w["message"].to_numpy()
    ram_pct = np.full(k, np.nan)
    for i in np.flatnonzero(ram_row >= 0):
        values = vocabulary.read_values("ram", messages[ram_row[i]]) or {}
        pct = js_number(values.get("system_used_pct"))
        ram_pct[i] = np.nan if pct is None else pct

    heartbeat_lines = per["logged_heartbeat_count"].to_numpy()
    loaded_lines = count(code, fam["model_loaded"])
    claim_lines = count(code, fam["task_claim"])
    left_startup = (count(code, fam["ready"]) > 0) | (claim_lines > 0) | (heartbeat_lines >= 2)
    _, spoken_row = first_last(code, ~is_hb, k)
    last_spoken_us = at(ts, spoken_row)
    has_shutdown_line = count(code, fam["shutdown"]) > 0

    # VLM: a line's silence lasts until the worker's next line other than a heartbeat line (a
    # heartbeat process outlives a hung main loop); the longest such (closed) silence, and the
    # last VLM line no such line followed (open: silent until the last DB heartbeat, see below).
    spoken_rows = np.flatnonzero(~is_hb)
    vlm_rows = np.flatnonzero(fam["vlm_loading"])
    nxt = np.searchsorted(spoken_rows, vlm_rows, side="right")
    nxt_row = spoken_rows[np.minimum(nxt, len(spoken_rows) - 1)] if len(spoken_rows) else np.zeros(len(vlm_rows), dtype=np.int64)
    closed = (nxt < len(spoken_rows)) & (code[nxt_row] == code[vlm_rows]) if len(vlm_rows) else np.zeros(0, dtype=bool)
    closed_silence = np.full(k, np.nan)
    if closed.any():
        silences = pd.Series((ts[nxt_row[closed]] - ts[vlm_rows[closed]]) / US).groupby(code[vlm_rows[closed]]).max()
        closed_silence[silences.index.to_numpy()] = silences.to_numpy()
    open_mask = np.zeros(n, dtype=bool)
    open_mask[vlm_rows[~closed]] = True
    _, open_row = first_last(code, open_mask, k)

    # The orchestrator's MARKING AS ERROR line about the worker.
    o = lines[~own]
    ofam = vocabulary.families_of(o["message"], "orchestrator")
    killed_by_line = np.zeros(k, dtype=bool)
    killed_by_line[ids.get_indexer(o["worker_id"].to_numpy()[ofam["orchestrator_error"]])] = True

    # Tasks: every task of the worker (as `classify` reads them), those In Progress and when claimed.
    worker_tasks = tasks[tasks["worker_id"].isin(ids)]
    tcode = ids.get_indexer(worker_tasks["worker_id"].to_numpy())
    tstatus = worker_tasks["status"].to_numpy()
    task_count = np.bincount(tcode, minlength=k)
    running = tstatus == "In Progress"
    in_progress = np.bincount(tcode[running], minlength=k)
    claimed = worker_tasks["generation_started_us"].fillna(worker_tasks["created_us"]).to_numpy()
    last_claim_us = np.full(k, np.nan)
    if running.any():
        claims = pd.Series(claimed[running]).groupby(tcode[running]).max()
        last_claim_us[claims.index.to_numpy()] = claims.to_numpy()
    finished_us = worker_tasks["generation_processed_us"].fillna(worker_tasks["updated_us"]).to_numpy()
    finished_after = np.isin(tstatus, FINISHED_STATUSES) & (finished_us > switch_us[tcode])  # NaN compares False
    finished_after_switch = np.bincount(tcode[finished_after], minlength=k)

    # death.ts: the life is over by status or a dead heartbeat; it ended cleanly only on evidence.
    status = scope["status"].to_numpy()
    lhb = scope["last_heartbeat_us"].astype("float64").to_numpy()
    never = np.isnan(lhb)
    age = (as_of - lhb) / US
    status_error = np.isin(status, list(ERROR_STATUSES))
    status_terminated = np.isin(status, list(TERMINATED_STATUSES))
    stale = ~status_error & ~status_terminated & (age >= DEAD_S)  # NaN (never) compares False
    ended = status_error | status_terminated | stale
    clean = ended & (has_shutdown_line | scope["self_terminated"].to_numpy() | scope["termination_reason"].notna().to_numpy())
    dead = ended & ~clean
    lifetime = (lhb - scope["created_us"].astype("float64").to_numpy()) / US
    crash_after = np.where(dead & has_switch, (lhb - switch_us) / US, np.nan)
    orchestrator_silent = (
        scope["error_code"].isna().to_numpy()
        & scope["error_reason"].isna().to_numpy()
        & ~killed_by_line
        & ~scope["error_time_known"].to_numpy()
    )

    # Pattern 2: init_failure.
    phase = scope["startup_phase"]
    init_failure = judge(
        [
            ("dead", Tri(dead)),
            ("short_life", Tri(lifetime <= INIT_FAILURE_MAX_LIFETIME_S)),
            ("never_claimed_task", Tri(task_count + claim_lines == 0)),
            ("never_left_startup", Tri(~left_startup)),
        ],
        [
            ("startup_phase_not_ready", Tri((phase != "ready").to_numpy(), phase.isna().to_numpy())),
            ("no_line_at_all", Tri(per["worker_log_count"].to_numpy() == 0)),
            ("single_early_heartbeat", Tri(lifetime <= INIT_FAILURE_WINDOW_S)),
        ],
    )

    # Pattern 1: oom_model_load. A version that logs only finished loads cannot show a switch that
    # never finished: undecided, and so is every criterion read after the switch.
    switch_unknown = ~has_switch & (loaded_lines > 0)

    def after_switch(met):
        return Tri(has_switch & met, switch_unknown)

    hb_after_ok = (
        (heartbeats_after >= 1)
        & (heartbeats_after <= OOM_MAX_HEARTBEATS_AFTER)
        & (last_hb_after_s >= OOM_HEARTBEAT_AFTER_S[0])
        & (last_hb_after_s <= OOM_HEARTBEAT_AFTER_S[1])
    )
    oom = judge(
        [
            ("dead", Tri(dead)),
            ("model_switch_logged", Tri(has_switch, switch_unknown)),
            ("death_in_oom_window", after_switch((crash_after >= OOM_WINDOW_S[0]) & (crash_after <= OOM_WINDOW_S[1]))),
            ("no_error_after_switch", after_switch(errors_after == 0)),
            ("load_not_finished", after_switch(~loaded_after)),
            ("no_task_finished_after_switch", after_switch(finished_after_switch == 0)),
        ],
        [
            ("heartbeats_after_switch", Tri(has_switch & hb_after_ok, (heartbeat_lines == 0) | switch_unknown)),
            ("task_left_in_progress", Tri(in_progress > 0)),
            ("memory_high_before_switch", Tri(ram_pct >= RAM_HIGH_USED_PCT, np.isnan(ram_pct))),
        ],
    )

    # Pattern 3: vlm_loading_hang, on the longest silence after a VLM line: closed, or open until
    # the last instant the worker is known to have existed (its last DB heartbeat, at most as-of).
    open_end = np.minimum(np.where(never, as_of, lhb), as_of)
    open_silence = np.where(open_row >= 0, np.maximum(0, (open_end - at(ts, open_row)) / US), np.nan)
    use_closed = ~np.isnan(closed_silence) & (np.isnan(open_silence) | (closed_silence >= open_silence))
    vlm_silence = np.where(use_closed, closed_silence, open_silence)
    vlm_open_ended = ~use_closed & ~np.isnan(open_silence)
    vlm = judge(
        [("vlm_line_logged", Tri(~np.isnan(vlm_silence))), ("vlm_silence", Tri(vlm_silence >= VLM_HANG_SILENCE_S))],
        [("task_held", Tri(in_progress > 0))],
    )

    # stalled: heartbeat fresh, a task In Progress, the main loop silent since its last own line
    # other than a heartbeat line or the task's claim, whichever is later.
    since = np.fmax(last_spoken_us, last_claim_us)
    silence = (as_of - since) / US
    stalled = judge(
        [
            ("heartbeat_fresh", Tri(~ended & ~never)),
            ("task_in_progress", Tri(in_progress > 0)),
            ("silent_main_loop", Tri(silence >= STALLED_SILENCE_S)),
        ],
        [("heartbeat_lines_continue", Tri(last_hb_us > since, heartbeat_lines == 0))],
    )
    # The current silence decides between a VLM hang and a stall: a hang that ended is history.
    both = (vlm != NO_MATCH) & (stalled != NO_MATCH)
    stalled = np.where(both & vlm_open_ended, NO_MATCH, stalled)
    vlm = np.where(both & ~vlm_open_ended, NO_MATCH, vlm)

    patterns = ["init_failure", "oom_model_load", "vlm_loading_hang", "stalled"]
    ranks = np.stack([init_failure, oom, vlm, stalled])
    best = np.argmin(ranks * len(patterns) + np.arange(len(patterns))[:, None], axis=0)
    best_rank = ranks[best, np.arange(k)]
    matched = best_rank != NO_MATCH
    quiet_end = status_terminated & orchestrator_silent & (in_progress == 0)
    conditions = [never, matched, ~ended, clean, quiet_end]
    per["pattern"] = np.select(
        conditions,
        ["not_started", np.array(patterns, dtype=object)[best], "no_crash", "no_crash", "no_crash"],
        default="unexplained",
    )
    per["confidence"] = np.select(
        conditions,
        ["strong", CONFIDENCE[np.minimum(best_rank, 2)], "strong", "strong", "likely"],
        default=None,
    )
    per["crash_after_switch_s"] = crash_after

    report = fleet_report(workers, tasks, as_of, report_hours)
    return per, report


def fleet_report(workers, tasks, as_of, hours):
    window_from = as_of - round(hours * 3600 * US)
    scope = workers[(workers["created_us"] >= window_from) & (workers["created_us"] <= as_of)]
    lhb = scope["last_heartbeat_us"].astype("float64")
    age = (as_of - lhb) / US
    state = np.select(
        [
            scope["status"].isin(TERMINATED_STATUSES),
            scope["status"].isin(ERROR_STATUSES),
            lhb.isna(),
            age < ALIVE_S,
            age < DEAD_S,
        ],
        ["terminated", "error", "never", "alive", "aging"],
        default="stale",
    )
    states = pd.Series(state).value_counts()
    lifetimes = ((lhb - scope["created_us"].astype("float64")) / US).dropna()

    window_tasks = tasks[(tasks["created_us"] >= window_from) & (tasks["created_us"] <= as_of)]
    counts = window_tasks["status"].value_counts()
    total = len(window_tasks)
    by_type = window_tasks.groupby("task_type")["status"].agg(
        total="size", complete=lambda s: int((s == "Complete").sum()), failed=lambda s: int((s == "Failed").sum())
    )
    by_type = by_type.reset_index().sort_values(["total", "task_type"], ascending=[False, True])
    return {
        "workers": {"total": len(scope), **{s: int(states.get(s, 0)) for s in ["alive", "aging", "stale", "never", "terminated", "error"]}},
        "tasks": {
            "total": total,
            "queued": int(counts.get("Queued", 0)),
            "in_progress": int(counts.get("In Progress", 0)),
            "complete": int(counts.get("Complete", 0)),
            "failed": int(counts.get("Failed", 0)),
            "cancelled": int(counts.get("Cancelled", 0)),
        },
        "success_rate": None if total == 0 else int(counts.get("Complete", 0)) / total,
        "avg_lifetime_s": None if len(lifetimes) == 0 else float(lifetimes.mean()),
        "by_task_type": [
            {"task_type": r.task_type, "total": int(r.total), "complete": int(r.complete), "failed": int(r.failed)}
            for r in by_type.itertuples()
        ],
    }


def optional(value):
    return None if pd.isna(value) else value


def results(per, report):
    workers = {}
    for worker_id, r in per.iterrows():
        workers[worker_id] = {
            "pattern": r["pattern"],
            "confidence": r["confidence"],
            "worker_log_count": int(r["worker_log_count"]),
            "logged_heartbeat_count": int(r["logged_heartbeat_count"]),
            "gap_count": int(r["gap_count"]),
            "max_interval_s": optional(r["max_interval_s"]),
            "median_interval_s": optional(r["median_interval_s"]),
            "last_worker_log_us": None if pd.isna(r["last_worker_log_us"]) else int(r["last_worker_log_us"]),
            "last_model_switch_us": None if pd.isna(r["switch_us"]) else int(r["switch_us"]),
            "crash_after_switch_s": optional(r["crash_after_switch_s"]),
        }
    counts = {p: int((per["pattern"] == p).sum()) for p in sorted(set(per["pattern"]))}
    verdicts = per["pattern"] + " " + per["confidence"].fillna("-")
    confidence_counts = {v: int((verdicts == v).sum()) for v in sorted(set(verdicts))}
    return {
        "pattern_counts": counts,
        "confidence_counts": confidence_counts,
        "total_gaps": int(per["gap_count"].sum()),
        "report": report,
        "workers": workers,
    }


def main():
    data_dir, as_of, classify_hours, report_hours, reps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    vocabulary = read_vocabulary(data_dir)
    load_s, analysis_s, load_cpu_s, analysis_cpu_s = [], [], [], []
    for _ in range(reps):
        started, started_cpu = time.perf_counter(), time.process_time()
        workers, tasks, logs = load(data_dir)
        loaded, loaded_cpu = time.perf_counter(), time.process_time()
        per, report = analyse(workers, tasks, logs, vocabulary, as_of, classify_hours, report_hours)
        done, done_cpu = time.perf_counter(), time.process_time()
        load_s.append(loaded - started)
        analysis_s.append(done - loaded)
        load_cpu_s.append(loaded_cpu - started_cpu)
        analysis_cpu_s.append(done_cpu - loaded_cpu)
        out = results(per, report)
        del workers, tasks, logs
    json.dump(
        {
            "python": sys.executable,
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "import_s": IMPORT_S,
            "load_s": load_s,
            "analysis_s": analysis_s,
            "load_cpu_s": load_cpu_s,
            "analysis_cpu_s": analysis_cpu_s,
            "results": out,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()

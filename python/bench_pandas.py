#!/usr/bin/env python3
"""The benchmark's pandas side (bench/fleet-analysis.ts): the fleet analysis of `classify`, §4A
and §13, written the way a pandas user would write it, over the rows the benchmark wrote once as CSV.

Usage: bench_pandas.py DATA_DIR AS_OF_US CLASSIFY_HOURS REPORT_HOURS REPS
DATA_DIR holds workers.csv, tasks.csv and system_logs.csv (the columns the sources select; NULL is
an unquoted empty field; workers.metadata is JSON text). Prints one JSON document on stdout:
timings per repetition, wall-clock and CPU (load: files -> DataFrames with parsed timestamps;
analysis), and the results the benchmark compares with its in-process run.

The rules are those of src/analyses (worker-signals.ts, crash-patterns.ts, death.ts,
heartbeat-gaps.ts, fleet-report.ts), read literally:
- lines in (timestamp, id) order; "worker lines" are source_type = 'worker';
- markers are case-insensitive substrings folding ASCII letters only (JavaScript's non-unicode /i
  on ASCII markers), hence re.ASCII | re.IGNORECASE and not str.lower(), which folds e.g. the
  Kelvin sign to 'k';
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
HEARTBEAT_GAP_S = 40
ALIVE_S = 60
DEAD_S = 5 * 60
INIT_FAILURE_WINDOW_S = 10
OOM_WINDOW_S = (1.5 * 60, 5 * 60)
VLM_HANG_SILENCE_S = 5 * 60
OOM_MAX_HEARTBEATS_AFTER = 2
OOM_HEARTBEAT_AFTER_S = (5, 90)
ERROR_LEVELS = ["ERROR", "CRITICAL"]
ERROR_STATUSES = {"error", "crashed"}
TERMINATED_STATUSES = {"terminating", "terminated"}
TASK_STATUSES = ["Queued", "In Progress", "Complete", "Failed", "Cancelled"]
MARKER_FLAGS = re.ASCII | re.IGNORECASE


def marker(text):
    return re.compile(re.escape(text), MARKER_FLAGS)


HEARTBEAT = marker("HEARTBEAT")
MODEL_SWITCH = marker("MODEL SWITCH")
VLM_LOADING = marker("Before VLM loading")


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

    tasks["created_us"] = micros(tasks["created_at"])
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


def analyse(workers, tasks, logs, as_of, classify_hours, report_hours):
    window_from = as_of - round(classify_hours * 3600 * US)
    scope = workers[(workers["created_us"] >= window_from) & (workers["created_us"] <= as_of)].set_index("id")
    ids = scope.index

    lines = logs[logs["worker_id"].isin(ids) & (logs["ts"] <= as_of)]
    w = in_log_order(lines[lines["source_type"] == "worker"])
    wid = w["worker_id"].to_numpy()
    ts = w["ts"].to_numpy()
    message = w["message"]
    is_hb = message.str.contains(HEARTBEAT, regex=True).to_numpy()
    is_switch = message.str.contains(MODEL_SWITCH, regex=True).to_numpy()
    is_vlm = message.str.contains(VLM_LOADING, regex=True).to_numpy()
    is_error = w["log_level"].isin(ERROR_LEVELS).to_numpy()
    same_as_next = np.append(wid[1:] == wid[:-1], False)
    pos = w.groupby("worker_id", sort=False).cumcount().to_numpy()

    per = pd.DataFrame(index=ids)
    per["worker_log_count"] = w.groupby("worker_id").size()
    per["logged_heartbeat_count"] = pd.Series(is_hb, index=wid).groupby(level=0).sum()
    per = per.fillna(0).astype("int64")
    per["non_heartbeat_count"] = per["worker_log_count"] - per["logged_heartbeat_count"]
    last = w[~same_as_next].set_index("worker_id")
    per["last_worker_log_us"] = last["ts"]

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

    # Last MODEL SWITCH and what the worker logged strictly after it.
    switches = pd.DataFrame({"pos": pos[is_switch], "ts": ts[is_switch]}, index=wid[is_switch])
    switches = switches[~switches.index.duplicated(keep="last")]
    per["switch_us"] = switches["ts"]
    switch_pos = pd.Series(wid).map(switches["pos"]).to_numpy(dtype="float64", na_value=np.nan)
    after = pos > switch_pos  # NaN (no switch) compares False
    per["errors_after_switch"] = pd.Series(after & is_error, index=wid).groupby(level=0).sum()
    per["heartbeats_after_switch"] = pd.Series(after & is_hb, index=wid).groupby(level=0).sum()
    # The last logged heartbeat after the switch: the worker's last heartbeat, when it comes after it.
    last_hb = pd.DataFrame({"pos": pos[is_hb], "ts": ts[is_hb]}, index=wid[is_hb])
    last_hb = last_hb[~last_hb.index.duplicated(keep="last")]
    hb_after = last_hb["pos"] > switches["pos"].reindex(last_hb.index)
    per["last_heartbeat_after_switch_s"] = ((last_hb["ts"] - switches["ts"].reindex(last_hb.index)) / US).where(hb_after)

    # VLM hang: the longest silence after a "Before VLM loading" line that another worker line
    # follows; a VLM line that is the worker's last line is silent until its last DB heartbeat
    # (capped at as-of), computed below once the workers' heartbeats are at hand.
    next_ts = np.append(ts[1:], 0)
    closed = is_vlm & same_as_next
    per["vlm_closed_silence_s"] = pd.Series((next_ts - ts)[closed] / US, index=wid[closed]).groupby(level=0).max()
    per["last_line_is_vlm"] = pd.Series(is_vlm[~same_as_next], index=wid[~same_as_next]).reindex(ids).fillna(False).astype(bool)

    worker_tasks = tasks[tasks["worker_id"].isin(ids)]
    per["task_count"] = worker_tasks.groupby("worker_id").size()
    per["in_progress"] = worker_tasks[worker_tasks["status"] == "In Progress"].groupby("worker_id").size()
    per[["task_count", "in_progress"]] = per[["task_count", "in_progress"]].fillna(0).astype("int64")

    status = scope["status"]
    lhb = scope["last_heartbeat_us"].astype("float64")
    age = (as_of - lhb) / US
    terminated_failed = scope["error_code"].notna() | scope["error_reason"].notna() | (per["in_progress"] > 0)
    is_error_status = status.isin(ERROR_STATUSES)
    is_terminated = status.isin(TERMINATED_STATUSES)
    dead = is_error_status | (is_terminated & terminated_failed) | (~is_error_status & ~is_terminated & (age >= DEAD_S))
    lifetime = (lhb - scope["created_us"].astype("float64")) / US
    crash_after = ((lhb - per["switch_us"].astype("float64")) / US).where(dead)

    never = lhb.isna()
    init_failure = (
        dead
        & (lifetime <= INIT_FAILURE_WINDOW_S)
        & (per["non_heartbeat_count"] == 0)
        & (per["logged_heartbeat_count"] <= 1)
        & (per["task_count"] == 0)
    )
    oom = (
        dead
        & per["switch_us"].notna()
        & (crash_after >= OOM_WINDOW_S[0])
        & (crash_after <= OOM_WINDOW_S[1])
        & (per["errors_after_switch"].fillna(0) == 0)
        & per["heartbeats_after_switch"].between(1, OOM_MAX_HEARTBEATS_AFTER)
        & per["last_heartbeat_after_switch_s"].between(*OOM_HEARTBEAT_AFTER_S)
        & (per["in_progress"] > 0)
    )
    open_end = np.minimum(lhb.fillna(as_of), as_of)
    open_silence = ((open_end - per["last_worker_log_us"].astype("float64")) / US).clip(lower=0).where(per["last_line_is_vlm"])
    per["vlm_silence_s"] = pd.concat([per["vlm_closed_silence_s"], open_silence], axis=1).max(axis=1)
    vlm = per["vlm_silence_s"] >= VLM_HANG_SILENCE_S
    pattern = np.select(
        [never, init_failure, oom, vlm, dead],
        ["not_started", "init_failure", "oom_model_load", "vlm_loading_hang", "unexplained"],
        default="no_crash",
    )
    per["pattern"] = pattern
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
    return {"pattern_counts": counts, "total_gaps": int(per["gap_count"].sum()), "report": report, "workers": workers}


def main():
    data_dir, as_of, classify_hours, report_hours, reps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    load_s, analysis_s, load_cpu_s, analysis_cpu_s = [], [], [], []
    for _ in range(reps):
        started, started_cpu = time.perf_counter(), time.process_time()
        workers, tasks, logs = load(data_dir)
        loaded, loaded_cpu = time.perf_counter(), time.process_time()
        per, report = analyse(workers, tasks, logs, as_of, classify_hours, report_hours)
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

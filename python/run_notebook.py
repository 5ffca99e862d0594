#!/usr/bin/env python3
"""Runs a notebook through Jupyter's own machinery for worker-forensics (src/notebook/execute.ts).

Actions (first argument):
  probe    prints {python, nbclient, nbconvert, nbformat, kernels} as JSON; exits 3 when this Python
           lacks a Jupyter package (the caller then tries another Python).
  execute  reads a job {notebook, cwd, kernel_name, cell_timeout_s, startup_timeout_s} on stdin,
           executes it with nbclient and prints {ok, notebook, error} as JSON.
  html     reads a job {notebook, title, cwd, exclude_input} on stdin and prints {html} as JSON;
           exclude_input hides the code cells and prompts the way `nbconvert --no-input` does.
  sign     reads a job {notebook} on stdin (the exact text about to be written), signs it with the
           user's Jupyter notary key (nbformat's NotebookNotary: the secret and the signature
           database live in Jupyter's data directory, never beside the notebook) and prints
           {trusted, db_file}.
  check    reads a job {notebook} and prints {trusted}: what `jupyter trust --check` answers.

Executing and exporting are separate actions because the caller redacts secrets from the executed
notebook before any HTML is made from it: HTML escaping could otherwise hide a secret from the
redaction of the finished page.

Only the standard library, nbclient, nbformat, nbconvert and jupyter_client are used.
"""
import html
import importlib.metadata
import importlib.util
import json
import os
import re
import signal
import sys

REQUIRED = ("nbclient", "nbformat", "nbconvert", "jupyter_client")
FAILURE_TAG = "execution-failure"
# The kernel lives in its own session: killing this process alone would orphan it. To stop a run,
# the caller sends STOP_SIGNAL (this process kills its kernel and exits); should this process not
# answer, the caller kills the kernel's process group, announced on stderr by this line.
KERNEL_PGID_MARKER = "worker-forensics-kernel-pgid"
STOP_SIGNAL = signal.SIGUSR1
STOPPED_EXIT_CODE = 130
MAX_EVALUE = 2000


def probe():
    missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        print(f"{sys.executable} lacks {', '.join(missing)}", file=sys.stderr)
        return 3
    from jupyter_client.kernelspec import KernelSpecManager

    manager = KernelSpecManager()
    kernels = {}
    for name, resource_dir in manager.find_kernel_specs().items():
        try:
            argv = manager.get_kernel_spec(name).argv
        except Exception:  # an unreadable kernel.json must not hide the others
            argv = []
        kernels[name] = {"argv": argv, "resource_dir": resource_dir}
    versions = {name: importlib.metadata.version(name) for name in ("nbclient", "nbformat", "nbconvert")}
    print(json.dumps({"python": sys.executable, **versions, "kernels": kernels}))
    return 0


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def cell_error(cell, error):
    """(ename, evalue) of a failed cell.

    tslab's error replies carry no ename/evalue: it prints compile diagnostics and thrown errors on
    the cell's stderr, so they are read back from there.
    """
    ename = getattr(error, "ename", "") or ""
    evalue = getattr(error, "evalue", "") or ""
    if ename and ename != "<Error>":
        return ename, evalue
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), output.get("evalue", "")
    stderr = strip_ansi("".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ))
    diagnostics = re.findall(r"^(?:\S+ )?(\d+):(\d+) - (.+)$", stderr, re.M)
    if diagnostics:
        line, column, message = diagnostics[0]
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        return "CompileError", f"line {line}, column {column}: {message}{more}"
    lines = stderr.splitlines()
    header = re.compile(r"^([A-Za-z_$][\w$]*): (.*)$")
    # A thrown error prints as "Name: message" followed by its stack ("    at …").
    stack_start = next((i for i, line in enumerate(lines) if re.match(r"^\s+at ", line)), len(lines))
    for line in reversed(lines[:stack_start]):
        match = header.match(line)
        if match:
            return match.group(1), match.group(2)
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return "Error", last or "the cell failed without printing an error"


def markdown_text(text):
    """Text shown literally in a markdown cell: HTML-escaped, markdown punctuation escaped."""
    return re.sub(r"([\\`*{}\[\]()#+\-.!_|~])", r"\\\1", html.escape(text))


def failure_markdown(error, source_line, cell_timeout_s):
    where = f"code cell {error['cell_index']}"
    code = f"<code>{html.escape(source_line[:200])}</code>" if source_line else "(an empty cell)"
    summary = markdown_text(f"{error['ename']}: {error['evalue']}"[:500])
    if error["kind"] == "kernel-start":
        lines = ["## Failed — The notebook did not run: its kernel did not start", "", summary]
    elif error["kind"] == "timeout":
        lines = [
            f"## Failed — This run stopped at {where}: it ran longer than {cell_timeout_s} s",
            "",
            f"The cell starts with {code}.",
        ]
    elif error["kind"] == "kernel-died":
        lines = [
            f"## Failed — This run stopped at {where}: the kernel died",
            "",
            f"The cell starts with {code}. The kernel process ended while it ran (out of memory, or killed).",
        ]
    else:
        lines = [f"## Failed — This run stopped at {where}", "", f"The cell starts with {code}.", "", summary]
    lines += ["", "Cells after it did not run; the outputs below are those produced until then."]
    return "\n".join(lines)


def execute_once(job):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.reads(job["notebook"], as_version=4)
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client = NotebookClient(
        nb,
        kernel_name=job.get("kernel_name", "tslab"),
        timeout=job["cell_timeout_s"],
        startup_timeout=job["startup_timeout_s"],
        # After a tslab cell fails to compile, later cells print nothing: stop at the first failure.
        allow_errors=False,
        on_cell_start=on_cell_start,
        resources={"metadata": {"path": job["cwd"]}},
    )
    kernel = {"pgid": None, "launching": False, "stop_requested": False}

    def stop():
        if kernel["pgid"] is not None:
            try:
                os.killpg(kernel["pgid"], signal.SIGKILL)
            except OSError:
                pass  # already gone
        os._exit(STOPPED_EXIT_CODE)

    def on_stop_signal(signum, frame):
        # While the kernel is being launched its process may exist before its id is known here:
        # the stop waits until the launch returns.
        if kernel["launching"]:
            kernel["stop_requested"] = True
        else:
            stop()

    signal.signal(STOP_SIGNAL, on_stop_signal)
    start_kernel = client.async_start_new_kernel

    async def start_kernel_and_report_its_group(**kwargs):
        kernel["launching"] = True
        try:
            await start_kernel(**kwargs)
        finally:
            provisioner = getattr(client.km, "provisioner", None)
            process = getattr(provisioner, "process", None)
            kernel["pgid"] = getattr(provisioner, "pgid", None) or getattr(process, "pid", None)
            kernel["launching"] = False
            if kernel["pgid"] is not None:
                print(f"{KERNEL_PGID_MARKER} {kernel['pgid']}", file=sys.stderr, flush=True)
            if kernel["stop_requested"]:
                stop()

    client.async_start_new_kernel = start_kernel_and_report_its_group
    error = None
    try:
        client.execute()
    except CellTimeoutError:
        error = {"kind": "timeout", "ename": "CellTimeoutError",
                 "evalue": f"the cell did not finish within {job['cell_timeout_s']} s"}
    except DeadKernelError as e:
        error = {"kind": "kernel-died", "ename": "DeadKernelError", "evalue": str(e) or "Kernel died"}
    except CellExecutionError as e:
        ename, evalue = cell_error(nb.cells[current["index"]], e)
        error = {"kind": "error", "ename": ename, "evalue": evalue}
    except Exception as e:  # the kernel could not start: missing kernelspec, binary, or no reply
        if current["index"] is not None:
            raise
        error = {"kind": "kernel-start", "ename": type(e).__name__, "evalue": strip_ansi(str(e)).strip()}
        # A kernel that started but whose client failed is not shut down by nbclient until exit.
        try:
            client._cleanup_kernel()
        except Exception:
            pass
    return nb, error, current


# Kernels started at the same moment by other processes can be given the same free ports (each
# picks them by binding port 0 and letting go): the client then hears another kernel's session and
# refuses its messages ("Invalid Signature"), or a bind fails. Such a start is tried again.
TRANSIENT_START_ERRORS = ("Invalid Signature", "Address already in use")
KERNEL_START_ATTEMPTS = 3


def execute(job):
    import nbformat

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        nb, error, current = execute_once(job)
        transient = error is not None and error["kind"] == "kernel-start" and any(t in error["evalue"] for t in TRANSIENT_START_ERRORS)
        if not transient or attempt == KERNEL_START_ATTEMPTS:
            break
        print(f"run_notebook: the kernel start met another kernel's ports ({error['evalue'][:80]}); starting it again", file=sys.stderr, flush=True)

    if error is not None:
        error["evalue"] = error["evalue"][:MAX_EVALUE]
        index = current["index"]
        source_line = ""
        error["cell_index"] = None
        if index is not None and error["kind"] != "kernel-start":
            error["cell_index"] = sum(1 for cell in nb.cells[: index + 1] if cell.cell_type == "code")
            source_line = first_line(nb.cells[index].source)
        failure = nbformat.v4.new_markdown_cell(
            failure_markdown(error, source_line, job["cell_timeout_s"]),
            metadata={"tags": [FAILURE_TAG]},
        )
        failure["id"] = FAILURE_TAG
        nb.cells.insert(0, failure)
    return {"ok": error is None, "notebook": nb, "error": error}


def export_html(job):
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.reads(job["notebook"], as_version=4)
    # The lab template keeps output HTML and its <script>s as they are (sanitize_html is off). Its
    # require.js and MathJax <script src>s are dropped here: builds point them at a CDN or, in
    # Debian's, at file:///usr/share/javascript/…, and a report must open offline on any machine.
    template = (
        "{%- extends 'index.html.j2' -%}"
        "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}"
        "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}"
    )
    exclude_input = bool(job.get("exclude_input"))
    exporter = HTMLExporter(
        exclude_input=exclude_input,
        exclude_input_prompt=exclude_input,
        exclude_output_prompt=exclude_input,
        template_name="lab",
        template_file="worker_forensics_offline.html.j2",
        extra_loaders=[DictLoader({"worker_forensics_offline.html.j2": template})],
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": job.get("title", "notebook"), "path": job.get("cwd", ".")}}
    )
    return {"html": body}


def notary():
    from nbformat.sign import NotebookNotary

    return NotebookNotary()


def sign(job):
    import nbformat

    nb = nbformat.reads(job["notebook"], as_version=4)
    signer = notary()
    signer.sign(nb)
    return {"trusted": bool(signer.check_signature(nb)), "db_file": str(signer.db_file)}


def check(job):
    import nbformat

    nb = nbformat.reads(job["notebook"], as_version=4)
    return {"trusted": bool(notary().check_signature(nb))}


ACTIONS = {"execute": execute, "html": export_html, "sign": sign, "check": check}


def main(argv):
    action = argv[1] if len(argv) > 1 else ""
    if action == "probe":
        return probe()
    if action not in ACTIONS:
        print("usage: run_notebook.py probe|execute|html|sign|check  (job as JSON on stdin)", file=sys.stderr)
        return 2
    job = json.load(sys.stdin)
    result = ACTIONS[action](job)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

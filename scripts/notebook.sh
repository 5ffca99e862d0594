#!/usr/bin/env bash
# npm run notebook [-- --port N] [--dir DIR]: runs the set-up, installs the classic Jupyter Notebook
# from Debian (jupyter-notebook) when no Jupyter web UI is present, and starts it on 127.0.0.1 in
# notebooks/ (or DIR) with the tslab TypeScript kernel. Prints the URL with its token on stdout
# when the server answers; Ctrl-C stops it. Uses JupyterLab instead when that is what is installed.
#
# --port N   port to listen on (default: 8888, or the next free one after it)
# --dir DIR  folder to serve (default: notebooks/ of this checkout); notebooks there import
#            ../dist/index.js, so DIR must sit beside a dist/ (a copy of notebooks/ next to a
#            symlink to dist/ will do)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=""
dir="$root/notebooks"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --port)
      port="${2:?notebook: --port needs a number}"
      shift 2
      ;;
    --dir)
      dir="${2:?notebook: --dir needs a folder}"
      shift 2
      ;;
    -h | --help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "notebook: unknown argument $1 (expected --port N or --dir DIR)" >&2
      exit 2
      ;;
  esac
done
if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ ]]; then
  echo "notebook: --port $port is not a port number" >&2
  exit 2
fi
[ -d "$dir" ] || {
  echo "notebook: --dir $dir is not a folder" >&2
  exit 2
}
dir="$(cd "$dir" && pwd)"

changed() { echo "notebook: $*" >&2; }
fail() {
  echo "notebook: $1" >&2
  echo "notebook: to do it by hand: $2" >&2
  exit 1
}

# npm packages, dist/, Jupyter, Chromium, the tslab kernel (and, from scripts/setup.sh's apt list,
# the classic notebook server when no Jupyter web UI is present).
bash "$root/scripts/setup.sh" --quiet

# The Python that has Jupyter: the one setup.sh registered the kernel with.
python="${WORKER_FORENSICS_PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import jupyter_client' >/dev/null 2>&1; then
      python="$candidate"
      break
    fi
  done
fi
[ -n "$python" ] || fail "no Python with Jupyter found" "bash scripts/setup.sh"

# Which web UI: the classic notebook (6.x), Notebook 7 or JupyterLab, in that order.
ui_version() { "$python" -c "import $1; print($1.__version__)" 2>/dev/null; }
version="$(ui_version notebook || true)"
ui=notebook
if [ -z "$version" ]; then
  version="$(ui_version jupyterlab || true)"
  ui=jupyterlab
fi
if [ -z "$version" ]; then
  source "$root/scripts/apt-install.sh"
  apt_install jupyter-notebook
  version="$(ui_version notebook || true)"
  ui=notebook
  [ -n "$version" ] || fail "no Jupyter web UI for $python after installing jupyter-notebook" "sudo apt-get install -y --no-install-recommends jupyter-notebook"
fi

# A free port: the one asked for, else 8888 or the next free one.
port="$(node -e '
const net = require("node:net");
const wanted = process.argv[1] ? Number(process.argv[1]) : null;
const tryPort = (p, last) => {
  const server = net.createServer();
  server.once("error", () => (wanted !== null || p >= last ? (console.error(`port ${p} is in use`), process.exit(1)) : tryPort(p + 1, last)));
  server.listen(p, "127.0.0.1", () => server.close(() => console.log(p)));
};
tryPort(wanted ?? 8888, wanted ?? 8988);
' "$port")" || fail "no free port" "npm run notebook -- --port <a free port>"

token="$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')"
major="${version%%.*}"
# Jupyter refuses to run as root without being told (containers, CI): --allow-root below.
if [ "$ui" = notebook ] && [ "$major" -lt 7 ]; then
  label="Jupyter Notebook $version"
  args=(-m notebook --no-browser --ip=127.0.0.1 "--port=$port" --port-retries=0 "--notebook-dir=$dir" "--NotebookApp.token=$token")
  [ "$(id -u)" = 0 ] && args+=(--allow-root)
  path="tree"
else
  [ "$ui" = notebook ] && label="Jupyter Notebook $version" || label="JupyterLab $version"
  args=(-m "$ui" --no-browser --ServerApp.ip=127.0.0.1 "--ServerApp.port=$port" --ServerApp.port_retries=0 "--ServerApp.root_dir=$dir" "--ServerApp.token=$token")
  [ "$(id -u)" = 0 ] && args+=(--ServerApp.allow_root=True)
  [ "$ui" = notebook ] && path="tree" || path="lab"
fi

changed "starting $label in $dir (kernel: TypeScript, tslab)"
"$python" "${args[@]}" &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

# Ready when its API answers with the token.
if ! node -e '
const [port, token, pid] = process.argv.slice(1);
const deadline = Date.now() + 60_000;
const alive = () => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
(async () => {
  while (Date.now() < deadline && alive()) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) process.exit(0);
    } catch {}
    await new Promise((ok) => setTimeout(ok, 250));
  }
  process.exit(1);
})();
' "$port" "$token" "$server"; then
  stop
  fail "$label did not answer on 127.0.0.1:$port within 60 s, or stopped (its messages are above)" "$python ${args[*]}"
fi

url="http://127.0.0.1:$port/$path?token=$token"
echo "notebook: $label is running; open investigate-worker.ipynb, set workerId, Run All. Ctrl-C stops it." >&2
echo "$url"
wait "$server"

#!/usr/bin/env bash
# Sets up a checkout of worker-forensics on Debian/Ubuntu with only Node >= 20 and npm installed:
# npm packages, the compiled library (dist/), Jupyter (nbclient + nbconvert, from Debian), the
# classic notebook server when no Jupyter web UI is present (npm run notebook), Chromium (for the
# browser tests) and the tslab kernel registered with Jupyter's Python.
#
# Idempotent and quick when everything is in place. Each step says on stderr what it did; with
# --quiet only what it changed. A step that fails says what to run by hand and exits non-zero.
# Nothing is downloaded except npm and apt packages.
set -euo pipefail

quiet=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "setup: unknown argument $arg (expected --quiet)" >&2
      exit 2
      ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runner="$root/python/run_notebook.py"
tslab="$root/node_modules/.bin/tslab"
chromium="${WORKER_FORENSICS_CHROMIUM:-/usr/bin/chromium}"
apt_packages_jupyter=(jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)

changed() { echo "setup: $*" >&2; }
unchanged() { if [ "$quiet" = 0 ]; then echo "setup: $*" >&2; fi; }
fail() {
  echo "setup: $1" >&2
  echo "setup: to do it by hand: $2" >&2
  exit 1
}

# --- Node -------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are needed (Node >= 20.19)" "install Node.js 20 or newer, e.g. from https://nodejs.org or your distribution"
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  fail "Node $(node --version) is too old: worker-forensics needs >= 20.19" "install Node.js 20.19 or newer"
fi

# --- npm packages -------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: it tells when node_modules was made.
installed_marker="node_modules/.package-lock.json"
if [ -L node_modules ] && [ -e "$installed_marker" ]; then
  # A worktree whose node_modules links to another checkout's: `npm ci` would empty the linked
  # folder under every checkout that shares it. That checkout's own set-up keeps it current.
  unchanged "npm packages are installed (node_modules links to $(realpath node_modules))"
elif [ ! -e "$installed_marker" ] || { [ -e package-lock.json ] && [ package-lock.json -nt "$installed_marker" ]; }; then
  if [ -e package-lock.json ]; then npm_command=(npm ci); else npm_command=(npm install); fi
  changed "installing npm packages (${npm_command[*]})"
  "${npm_command[@]}" --no-audit --no-fund >&2 || fail "${npm_command[*]} failed" "cd $root && ${npm_command[*]}"
  touch "$installed_marker"
else
  unchanged "npm packages are installed"
fi

# --- the compiled library -----------------------------------------------------------------------
# Notebooks import ../dist/index.js: tslab cannot compile the sources themselves (rootDir).
build_output="dist/index.js"
if [ ! -e "$build_output" ] || [ -n "$(find src tsconfig.json tsconfig.build.json -newer "$build_output" -print -quit)" ]; then
  changed "building dist/ (npm run build)"
  npm run --silent build >&2 || fail "npm run build failed (see the errors above)" "cd $root && npm run build"
else
  unchanged "dist/ is up to date"
fi

# --- apt ------------------------------------------------------------------------------------------
source "$root/scripts/apt-install.sh"

# --- Jupyter ------------------------------------------------------------------------------------
# The first python3 on PATH is often one without Jupyter (pyenv, a virtualenv): the same order as
# src/notebook/jupyter.ts, so that the kernel is registered where the renderer will look.
probe=""
python=""
# Prints a field of the probe's JSON by its dotted path, e.g. probe_field kernels.tslab.argv.0
probe_field() {
  printf '%s' "$probe" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(process.argv[1].split(".").reduce((v, k) => v?.[k], JSON.parse(s)) ?? ""))' "$1"
}
find_jupyter() {
  local candidates=()
  if [ -n "${WORKER_FORENSICS_PYTHON:-}" ]; then candidates=("$WORKER_FORENSICS_PYTHON"); else candidates=(/usr/bin/python3 python3); fi
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 && probe="$(PYDEVD_DISABLE_FILE_VALIDATION=1 "$candidate" "$runner" probe 2>/dev/null)"; then
      python="$(probe_field python)"
      return 0
    fi
  done
  return 1
}

missing_apt=()
if find_jupyter; then
  unchanged "Jupyter (nbclient, nbconvert) found with $python"
elif [ -n "${WORKER_FORENSICS_PYTHON:-}" ]; then
  fail "WORKER_FORENSICS_PYTHON=$WORKER_FORENSICS_PYTHON has no nbclient/nbconvert" "$WORKER_FORENSICS_PYTHON -m pip install nbclient nbconvert ipykernel (or unset WORKER_FORENSICS_PYTHON)"
else
  missing_apt+=("${apt_packages_jupyter[@]}")
fi
# A Jupyter web UI to open the notebooks in (npm run notebook): the classic notebook from Debian
# when neither it nor JupyterLab is importable by the Jupyter Python (apt's python3 only: a
# WORKER_FORENSICS_PYTHON of its own gets `pip install notebook`, see the message below).
web_ui_python="${python:-/usr/bin/python3}"
if "$web_ui_python" -c 'import notebook' >/dev/null 2>&1 || "$web_ui_python" -c 'import jupyterlab' >/dev/null 2>&1; then
  unchanged "a Jupyter web UI (notebook or JupyterLab) found for $web_ui_python"
elif [ -n "${WORKER_FORENSICS_PYTHON:-}" ]; then
  unchanged "no Jupyter web UI for $WORKER_FORENSICS_PYTHON: npm run notebook needs $WORKER_FORENSICS_PYTHON -m pip install notebook"
else
  missing_apt+=(jupyter-notebook)
fi
if [ -x "$chromium" ]; then
  unchanged "Chromium found at $chromium"
else
  missing_apt+=(chromium)
fi
if [ "${#missing_apt[@]}" -gt 0 ]; then
  apt_install "${missing_apt[@]}"
  if [ -z "$python" ]; then
    find_jupyter || fail "Jupyter is still missing after installing ${apt_packages_jupyter[*]}" "sudo apt-get install -y --no-install-recommends ${apt_packages_jupyter[*]}"
    changed "Jupyter (nbclient, nbconvert) installed for $python"
  fi
  [ -x "$chromium" ] || fail "Chromium is still missing at $chromium" "sudo apt-get install -y --no-install-recommends chromium (or set WORKER_FORENSICS_CHROMIUM)"
fi

# --- the tslab kernel ---------------------------------------------------------------------------
registered="$(probe_field kernels.tslab.argv.0)"
# The same tslab by another path (a worktree whose node_modules links to another checkout's) will do.
same_tslab() { [ -n "$1" ] && [ -e "$1" ] && [ "$(realpath "$1")" = "$(realpath "$tslab")" ]; }
if [ "$registered" = "$tslab" ] || same_tslab "$registered"; then
  unchanged "the tslab kernel is registered with $python"
else
  changed "registering the tslab kernel with $python${registered:+ (it ran $registered)}"
  install_kernel=("$tslab" install "--python=$python" "--binary=$tslab" --user)
  PYDEVD_DISABLE_FILE_VALIDATION=1 "${install_kernel[@]}" >&2 || fail "registering the tslab kernel failed" "${install_kernel[*]}"
  find_jupyter || true
  registered="$(probe_field kernels.tslab.argv.0)"
  # A kernelspec of the same name earlier on Jupyter's path would still win over the one just written.
  [ "$registered" = "$tslab" ] || same_tslab "$registered" || fail "the tslab kernel Jupyter finds runs ${registered:-nothing}, not $tslab" "${install_kernel[*]}; jupyter kernelspec list"
fi

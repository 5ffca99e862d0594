#!/usr/bin/env bash
# Makes sure the benchmark's other side (python/bench_pandas.py) has pandas, and prints the Python
# to run it with on stdout (everything else goes to stderr): WORKER_FORENSICS_PANDAS_PYTHON when set
# (checked, never installed into), else /usr/bin/python3 with Debian's python3-pandas, installed
# with apt-get when missing. Never pip: the system Python is Debian's. Run by scripts/bench.sh
# (npm run bench) and by the benchmark's test; the library itself never needs pandas.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
changed() { echo "bench: $*" >&2; }
fail() {
  echo "bench: $1" >&2
  echo "bench: to do it by hand: $2" >&2
  exit 1
}
source "$root/scripts/apt-install.sh"

has_pandas() { "$1" -c 'import pandas' >/dev/null 2>&1; }

if [ -n "${WORKER_FORENSICS_PANDAS_PYTHON:-}" ]; then
  python="$WORKER_FORENSICS_PANDAS_PYTHON"
  has_pandas "$python" || fail "WORKER_FORENSICS_PANDAS_PYTHON=$python cannot import pandas" "$python -m pip install pandas (or unset WORKER_FORENSICS_PANDAS_PYTHON)"
else
  python=/usr/bin/python3
  if ! has_pandas "$python"; then
    apt_install python3-pandas
    has_pandas "$python" || fail "pandas is still missing from $python after installing python3-pandas" "sudo apt-get install -y --no-install-recommends python3-pandas"
    changed "pandas installed for $python"
  fi
fi
echo "$python"

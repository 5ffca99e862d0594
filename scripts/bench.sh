#!/usr/bin/env bash
# `npm run bench`: the checkout's set-up (scripts/setup.sh), pandas for the benchmark's other side
# (scripts/bench-pandas.sh), then the benchmark (bench/, with the dev/ fixtures and the src/ modules
# it imports) compiled by tsconfig.bench.json into .bench/build/ and run. Arguments go to the
# benchmark: --scale N, --parts 1,2,3, … (see bench/main.ts).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --quiet
WORKER_FORENSICS_PANDAS_PYTHON="$(bash scripts/bench-pandas.sh)"
export WORKER_FORENSICS_PANDAS_PYTHON
if ! node node_modules/typescript/bin/tsc -p tsconfig.bench.json; then
  echo "bench: compiling the benchmark failed (see the errors above); to do it by hand: node node_modules/typescript/bin/tsc -p tsconfig.bench.json" >&2
  exit 1
fi
exec node .bench/build/bench/main.js "$@"

#!/usr/bin/env bash
# Runs every benchmark and prints the table recorded in BENCHMARKS.md.
# Usage: bench/run.sh [-count N]   (make bench; about 5 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
exec go run ./bench/runner "$@"

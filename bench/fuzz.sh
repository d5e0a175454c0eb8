#!/usr/bin/env bash
# Runs every fuzz target for a while (default 3m each): bench/fuzz.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-3m}"
for target in \
  "./analysis/docs FuzzOpenAPIJSON" "./analysis/docs FuzzOpenAPIYAML" "./analysis/docs FuzzSCIM" \
  "./analysis/docs FuzzHTML" "./analysis/docs FuzzMarkdown" "./analysis/groovy FuzzParse"; do
  set -- $target
  echo "== $2 ($dur)"
  go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$dur" -parallel 1 2>&1 | tail -3
done

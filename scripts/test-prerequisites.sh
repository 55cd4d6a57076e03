#!/usr/bin/env bash
# What `npm test` needs beside node_modules, installed when missing (runs as npm's `pretest`):
# - Debian's chromium (webview and code-server tests drive it with playwright-core),
# - Debian's neovim (the real-editor test attaches it to the bundled server),
# - code-server with its Node 24 (scripts/install-code-server.sh; minutes the first time, then instant).
# Nothing here downloads a browser or a VS Code build: only Debian packages and the npm registry.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need=()
command -v chromium >/dev/null || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
command -v nvim >/dev/null || need+=(neovim)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test prerequisites: apt-get install ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${need[@]}"; } >/dev/null \
      || { echo "test prerequisites: apt-get install ${need[*]} failed" >&2; exit 1; }
  else
    echo "test prerequisites: please install ${need[*]} (Debian: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

if [ -z "${VNET_CODE_SERVER:-}" ]; then
  echo "test prerequisites: code-server (first run builds it: several minutes)" >&2
  bash "$repo/scripts/install-code-server.sh" >/dev/null
fi

#!/usr/bin/env bash
# Idempotent setup for a fresh machine that has only Node.js, npm and apt:
# bun (from npm), the locked dependencies, and nats-server 2.10+ (PATH first,
# else Debian trixie's package). Everything lands in the git-ignored .trellis/.
# Run it, then source scripts/env.sh to put the tools on PATH.
set -euo pipefail

TRELLIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$TRELLIS_ROOT/.trellis/tools"
BIN_DIR="$TRELLIS_ROOT/.trellis/bin"
BUN_VERSION="1.4.5"
NATS_MIN_MINOR=10 # nats-server 2.10 is the platform floor

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

ensure_bun() {
  if command -v bun >/dev/null 2>&1; then return; fi
  if [ ! -x "$TOOLS_DIR/node_modules/.bin/bun" ]; then
    command -v npm >/dev/null 2>&1 || fail "bun is missing and npm is not available to install it"
    say "installing bun $BUN_VERSION from npm into .trellis/tools"
    mkdir -p "$TOOLS_DIR"
    [ -f "$TOOLS_DIR/package.json" ] || echo '{"private":true}' >"$TOOLS_DIR/package.json"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "bun@$BUN_VERSION" >&2 \
      || fail "npm could not install bun@$BUN_VERSION"
  fi
  export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
  bun --version >/dev/null 2>&1 || fail "bun was installed but does not run on this machine"
}

ensure_dependencies() {
  # The lockfile decides; a matching node_modules makes this a no-op.
  (cd "$TRELLIS_ROOT" && bun install --frozen-lockfile --silent) >&2 \
    || fail "bun install --frozen-lockfile failed (is bun.lock committed and in sync with package.json?)"
}

# Prints the binary path when it is a nats-server 2.10 or newer.
nats_usable() {
  local bin="$1" version
  version="$("$bin" --version 2>/dev/null | sed -n 's/.*v\([0-9]*\)\.\([0-9]*\)\..*/\1 \2/p')" || return 1
  [ -n "$version" ] || return 1
  set -- $version
  if [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge "$NATS_MIN_MINOR" ]; }; then return 0; fi
  return 1
}

download_nats_from_trixie() {
  command -v apt-get >/dev/null 2>&1 || fail "no nats-server 2.10+ on PATH and apt-get is not available to fetch one"
  local work="$TRELLIS_ROOT/.trellis/apt" arch
  arch="$(dpkg --print-architecture)"
  rm -rf "$work" && mkdir -p "$work/parts" "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
  cat >"$work/parts/trixie.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Architectures: $arch
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/parts"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root" -qq)
  say "fetching nats-server from Debian trixie (bookworm only has 2.9)"
  apt-get "${opts[@]}" update >&2 || fail "apt-get update against Debian trixie failed"
  (cd "$work/deb" && apt-get "${opts[@]}" download nats-server) >&2 \
    || fail "apt-get download nats-server (trixie) failed"
  dpkg -x "$work/deb"/nats-server_*.deb "$work/root" || fail "could not unpack the nats-server package"
  mkdir -p "$BIN_DIR"
  install -m 0755 "$work/root/usr/sbin/nats-server" "$BIN_DIR/nats-server.tmp"
  mv "$BIN_DIR/nats-server.tmp" "$BIN_DIR/nats-server"
  rm -rf "$work"
}

ensure_nats_server() {
  local on_path
  on_path="$(command -v nats-server 2>/dev/null || true)"
  if [ -n "$on_path" ] && nats_usable "$on_path"; then
    NATS_BIN="$on_path"
    return
  fi
  if ! { [ -x "$BIN_DIR/nats-server" ] && nats_usable "$BIN_DIR/nats-server"; }; then
    download_nats_from_trixie
    nats_usable "$BIN_DIR/nats-server" || fail "the downloaded nats-server is not 2.10 or newer"
  fi
  NATS_BIN="$BIN_DIR/nats-server"
}

ensure_bun
ensure_dependencies
ensure_nats_server
say "ready: bun $(bun --version), $("$NATS_BIN" --version)"

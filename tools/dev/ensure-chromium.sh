#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests of the web UI (they drive it with
# playwright-core). Idempotent; prints one line. A machine where it cannot be installed still runs
# every other test: the browser suites skip with the reason.
set -uo pipefail

log() { printf 'ensure-chromium: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }

browser=${ORRERY_TEST_CHROMIUM:-/usr/bin/chromium}
if [ -x "$browser" ]; then
  log "Chromium: $browser"
  exit 0
fi
log "installing chromium"
if as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null; then
  log "Chromium: installed at $(command -v chromium)"
else
  log "Chromium could not be installed; the browser tests will skip"
  exit 1
fi

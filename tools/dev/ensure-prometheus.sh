#!/usr/bin/env bash
# Makes sure a `prometheus` binary is installed for the observability tests (tools/observability):
# installs Debian's `prometheus` package when it is missing. Starts nothing (the tests run their
# own Prometheus on loopback). Idempotent; prints one line per action.
set -euo pipefail

log() { printf 'ensure-prometheus: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }

if command -v prometheus >/dev/null || [ -x /usr/bin/prometheus ]; then
  log "prometheus: installed"
  exit 0
fi
log "apt-get update"
as_root apt-get update -qq
log "installing prometheus"
# The package's service is not wanted: the tests start their own server.
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends prometheus >/dev/null
log "prometheus: installed"

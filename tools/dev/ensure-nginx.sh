#!/usr/bin/env bash
# Makes sure an nginx binary exists for tools/ha (the local twin of the docker-compose topology):
# uses the one on PATH (or /usr/sbin/nginx), else installs Debian's `nginx` package. Idempotent;
# prints one line per action. Only the binary is needed: tools/ha runs its own nginx as a child
# process with a generated config (`nginx -p <tmpdir> -c <conf> -g 'daemon off;'`), so the
# system-wide nginx service the package may start is stopped again and never used.
set -euo pipefail

log() { printf 'ensure-nginx: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }
find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

found=$(find_nginx)
if [ -n "$found" ]; then
  log "nginx already installed: $found ($("$found" -v 2>&1 | sed 's/^nginx version: //'))"
  exit 0
fi

log "apt-get update"
as_root apt-get update -qq
log "installing nginx (Debian package)"
# policy-rc.d 101 keeps the package's post-install script from starting the system-wide service
# (it would take port 80, which nothing here needs); restored afterwards.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
  as_root chmod +x "$policy"
  created_policy=1
fi
trap 'if [ "$created_policy" = 1 ]; then as_root rm -f "$policy"; fi' EXIT
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nginx >/dev/null

found=$(find_nginx)
if [ -z "$found" ]; then
  log "nginx is still missing after apt-get install"
  exit 1
fi
log "installed $found ($("$found" -v 2>&1 | sed 's/^nginx version: //'))"

#!/usr/bin/env bash
# Makes sure a PostgreSQL and a Redis server answer on 127.0.0.1 for the integration and end-to-end
# tests: uses running ones, starts installed ones, installs Debian's packages when missing.
# Idempotent; prints one line per action. Override the targets with ORRERY_TEST_PG_URL /
# ORRERY_TEST_REDIS_URL (then nothing is started here).
set -euo pipefail

log() { printf 'ensure-services: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
wait_for() { local what=$1 check=$2; for _ in $(seq 1 60); do $check && return 0; sleep 0.5; done; log "$what did not come up"; return 1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then log "apt-get update"; as_root apt-get update -qq; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if [ -n "${ORRERY_TEST_PG_URL:-}" ]; then
  log "PostgreSQL: using ORRERY_TEST_PG_URL"
elif pg_up; then
  log "PostgreSQL: already running on 127.0.0.1:5432"
else
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$version/main
  # Tests connect as postgres over TCP without a password: trust loopback, as on our dev machines.
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$conf/pg_hba.conf"; then
    log "PostgreSQL: trusting loopback connections in $conf/pg_hba.conf"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
  fi
  log "PostgreSQL $version: starting"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_up
fi

if [ -n "${ORRERY_TEST_REDIS_URL:-}" ]; then
  log "Redis: using ORRERY_TEST_REDIS_URL"
elif redis_up; then
  log "Redis: already running on 127.0.0.1:6379"
else
  command -v redis-server >/dev/null || apt_install redis-server
  log "Redis: starting"
  mkdir -p /tmp/orrery-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/orrery-redis --logfile /tmp/orrery-redis/redis.log
  wait_for Redis redis_up
fi

#!/usr/bin/env bash
# Stops what pg-up.sh started: the role check (by its pid) and both PostgreSQL clusters (pg_ctl -m fast; a node
# already stopped, e.g. the primary the fail-over scenario killed, is skipped). --purge removes $PG_DIR.
set -uo pipefail
PG_DIR=${PG_DIR:-${CLUSTER_ROOT:-/tmp/motcua-cluster}/pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ -f "$PG_DIR/role-check.pid" ]; then
  pid=$(cat "$PG_DIR/role-check.pid")
  kill -TERM "$pid" 2>/dev/null
  rm -f "$PG_DIR/role-check.pid"
fi
for node in standby primary; do
  if [ -f "$PG_DIR/$node/postmaster.pid" ]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$PG_DIR/$node" -m fast -w stop >/dev/null 2>&1 || true
  fi
done
if [ "${1:-}" = "--purge" ]; then rm -rf "$PG_DIR"; fi
true

#!/usr/bin/env bash
# `npm run bench:central-cluster [-- options]`: bench/central-cluster.bench.ts on its own Ceph RGW + PostgreSQL, on
# loopback, brought up with tests/cluster/infra/ (as tests/cluster/run.sh does) and always torn down (trap on EXIT,
# INT, TERM). Options go to the bench (--counters, --dossiers, --files, --file-kb, --swarm, --modes).
#
# Its ports differ from tests/cluster/run.sh's (6790/7490/55442/…/24480) so the bench and the cluster test never
# collide on one machine; each can be overridden from the environment.
#
# PostgreSQL: pg-up.sh starts a primary and a synchronous standby (the cluster test's fail-over needs it). Throughput
# does not need a standby, so by default the standby is stopped and the primary no longer waits for it — every mode
# (disk and S3) then commits to one plain primary, like central-200's PostgreSQL row. MOTCUA_BENCH_SYNC_STANDBY=1
# keeps the synchronous standby (remote_apply), to see what it costs.
# Needs root (apt-get, PostgreSQL run as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."
infra=tests/cluster/infra
[ "$(id -u)" = 0 ] || { echo "bench/central-cluster.sh needs root (apt-get, runuser postgres)" >&2; exit 1; }

export MON_PORT=${MON_PORT:-6792} RGW_PORT=${RGW_PORT:-7492}
export PRIMARY_PORT=${PRIMARY_PORT:-55462} STANDBY_PORT=${STANDBY_PORT:-55463}
export PRIMARY_CHECK_PORT=${PRIMARY_CHECK_PORT:-24662} STANDBY_CHECK_PORT=${STANDBY_CHECK_PORT:-24663}
export MOTCUA_CLUSTER_BALANCER_PORT=${MOTCUA_CLUSTER_BALANCER_PORT:-24680}
export MOTCUA_CLUSTER_PG_ROUTE_PORT=${MOTCUA_CLUSTER_PG_ROUTE_PORT:-24640}
# memstore's ceiling: the run's files (a few hundred MB at the full size) with room to spare.
export OSD_SIZE_GB=${OSD_SIZE_GB:-4}
b=$MOTCUA_CLUSTER_BALANCER_PORT
for port in $MON_PORT $RGW_PORT $PRIMARY_PORT $STANDBY_PORT $PRIMARY_CHECK_PORT $STANDBY_CHECK_PORT \
  "$b" $((b + 1)) $((b + 2)) $((b + 3)) "$MOTCUA_CLUSTER_PG_ROUTE_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: another bench:central-cluster still running, or one killed before its tear-down" >&2
    echo "(its directory is /tmp/motcua-clbench-*: CEPH_DIR=<dir>/ceph $infra/ceph-down.sh --purge; PG_DIR=<dir>/pg $infra/pg-down.sh --purge)" >&2
    exit 1
  fi
done

CLUSTER_ROOT=$(mktemp -d /tmp/motcua-clbench-XXXXXX)
chmod 755 "$CLUSTER_ROOT" # PostgreSQL runs as the postgres user and must reach its directory inside
export CLUSTER_ROOT MOTCUA_CLUSTER_ROOT=$CLUSTER_ROOT CEPH_DIR=$CLUSTER_ROOT/ceph PG_DIR=$CLUSTER_ROOT/pg

started=$SECONDS
step() { printf '\n== bench:central-cluster: %s (at %d s)\n' "$*" $((SECONDS - started)); }
teardown() {
  local status=$?
  trap - EXIT INT TERM
  step "tear-down"
  "$infra/ceph-down.sh" --purge
  "$infra/pg-down.sh" --purge
  rm -rf "$CLUSTER_ROOT"
  step "done, exit status $status"
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

step "install (packages missing from this machine only)"
"$infra/install.sh"
step "Ceph up: mon + memstore OSD + radosgw on 127.0.0.1:$RGW_PORT"
"$infra/ceph-up.sh"
step "PostgreSQL up on $PRIMARY_PORT"
"$infra/pg-up.sh"
if [ "${MOTCUA_BENCH_SYNC_STANDBY:-0}" != 1 ]; then
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  runuser -u postgres -- "$BIN/psql" -h "$PG_DIR" -p "$PRIMARY_PORT" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "ALTER SYSTEM RESET synchronous_standby_names" -c "ALTER SYSTEM RESET synchronous_commit" -c "SELECT pg_reload_conf()" >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$PG_DIR/standby" -m fast -w stop >/dev/null
  echo "standby stopped, primary no longer synchronous (MOTCUA_BENCH_SYNC_STANDBY=1 keeps it)"
fi
step "the bench"
npx tsx bench/central-cluster.bench.ts "$@"

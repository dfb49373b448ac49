#!/usr/bin/env bash
# `npm run test:cluster`: the cluster test of issue 19 from nothing, on loopback:
#   1. install the Ceph and HAProxy packages if missing (infra/install.sh; ~4 min the first time, 0 s after)
#   2. a single-node Ceph with its S3 gateway (infra/ceph-up.sh: memstore, no manager, ports 6790/7490)
#   3. a PostgreSQL primary + synchronous standby and their role check (infra/pg-up.sh: ports 55442/55443)
#   4. the scenarios (cluster.test.ts, own vitest config): HAProxy, three centrals in cluster mode, each scenario
#      followed by the common check
#   5. the counter fault campaign against the cluster, CI size (tests/fault/run.ts --cluster --ci: real counters in
#      Chromium through a cuttable link to HAProxy, three centrals of its own on a database and buckets of its own)
#   6. everything stopped and removed — always, whatever failed (trap on EXIT, INT, TERM)
# Each step's wall time is printed; each scenario's result and time are printed by the test and saved in
# test-results/cluster/summary.json. Arguments go to vitest (e.g. `-t 'C:'` for one scenario, after set-up).
#   run.sh --no-campaign [vitest arguments]    steps 1–4 and 6 (the scenarios only)
#   run.sh --campaign-only [run.ts arguments]  steps 1–3, 5 and 6: the fault campaign alone, its arguments given
#                                              (default `--ci`; `npm run test:fault:cluster:long` gives --faults 1000)
# Needs root (apt-get, PostgreSQL run as the postgres user). Uses its own ports and directory: a developer's Ceph
# (6789/7480) or PostgreSQL (5432) on the same machine is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra=tests/cluster/infra
scenarios=1 campaign=1
campaign_args=(--ci)
case "${1:-}" in
  --no-campaign) campaign=0; shift ;;
  --campaign-only)
    scenarios=0; shift
    [ $# -gt 0 ] && campaign_args=("$@")
    set -- ;;
esac
[ "$(id -u)" = 0 ] || { echo "tests/cluster/run.sh needs root (apt-get, runuser postgres); CI runs as root" >&2; exit 1; }

# One set of ports for the scripts and the test (support/cluster.ts reads the same variables). What listens after
# the start (the balancer, the centrals, which restart on their port, the PostgreSQL routes) stays below Linux's
# ephemeral range (32768–60999): there an outgoing connection of any process may take the port first (seen once:
# EADDRINUSE on a central's restart). PostgreSQL and its role check listen from the start and never restart.
# Values already in the environment win (a second cluster on the same machine, e.g. a benchmark beside this test).
: "${MON_PORT:=6790}" "${RGW_PORT:=7490}"
: "${PRIMARY_PORT:=55442}" "${STANDBY_PORT:=55443}" "${PRIMARY_CHECK_PORT:=24462}" "${STANDBY_CHECK_PORT:=24463}"
: "${MOTCUA_CLUSTER_BALANCER_PORT:=24480}" "${MOTCUA_CLUSTER_PG_ROUTE_PORT:=24440}"
export MON_PORT RGW_PORT PRIMARY_PORT STANDBY_PORT PRIMARY_CHECK_PORT STANDBY_CHECK_PORT
export MOTCUA_CLUSTER_BALANCER_PORT MOTCUA_CLUSTER_PG_ROUTE_PORT
# The centrals are balancer+1..3 and their database routes pg-route+11..13 (support/cluster.ts).
b=$MOTCUA_CLUSTER_BALANCER_PORT r=$MOTCUA_CLUSTER_PG_ROUTE_PORT
for port in $MON_PORT $RGW_PORT $PRIMARY_PORT $STANDBY_PORT $PRIMARY_CHECK_PORT $STANDBY_CHECK_PORT \
  "$b" "$r" $((b + 1)) $((b + 2)) $((b + 3)) $((r + 11)) $((r + 12)) $((r + 13)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: a cluster test still running, or one that was killed before its tear-down" >&2
    echo "(its directory is /tmp/motcua-cluster-*: CEPH_DIR=<dir>/ceph $infra/ceph-down.sh --purge; PG_DIR=<dir>/pg $infra/pg-down.sh --purge)" >&2
    exit 1
  fi
done

CLUSTER_ROOT=$(mktemp -d /tmp/motcua-cluster-XXXXXX)
chmod 755 "$CLUSTER_ROOT" # PostgreSQL runs as the postgres user and must reach its directory inside
export CLUSTER_ROOT MOTCUA_CLUSTER_ROOT=$CLUSTER_ROOT CEPH_DIR=$CLUSTER_ROOT/ceph PG_DIR=$CLUSTER_ROOT/pg

started_ms=$(($(date +%s%N) / 1000000))
last_ms=$started_ms
step() { # prints the time since the start and how long the previous step took
  local now=$(($(date +%s%N) / 1000000))
  printf '\n== cluster test: %s (at %d s; previous step %d.%d s)\n' "$*" $(((now - started_ms) / 1000)) \
    $(((now - last_ms) / 1000)) $(((now - last_ms) % 1000 / 100))
  last_ms=$now
}
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
step "PostgreSQL up: primary $PRIMARY_PORT + synchronous standby $STANDBY_PORT"
"$infra/pg-up.sh"
if [ "$scenarios" = 1 ]; then
  step "scenarios (HAProxy, three centrals, each scenario + the common check)"
  npx vitest run --config tests/cluster/vitest.config.ts "$@"
fi
if [ "$campaign" = 1 ]; then
  # On the same Ceph and PostgreSQL (no second bring-up); its own database, buckets, HAProxy and centrals. After
  # the scenarios the primary may be the promoted former standby, with no standby left: the campaign routes to
  # whichever node is the primary and checks every node that answers.
  step "fault campaign against the cluster (tests/fault/run.ts --cluster ${campaign_args[*]})"
  npx tsx tests/fault/run.ts --cluster "${campaign_args[@]}"
fi

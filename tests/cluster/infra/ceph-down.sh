#!/usr/bin/env bash
# Stops the daemons ceph-up.sh started, by their recorded pids (gateway first, monitor last): SIGTERM, then SIGKILL
# after 10 s. --purge also removes $CEPH_DIR (memstore keeps nothing anyway). --rgw-only stops only the gateway.
# Only these pids are signalled: a developer's own Ceph on the same machine is never touched.
set -uo pipefail
CEPH_DIR=${CEPH_DIR:-${CLUSTER_ROOT:-/tmp/motcua-cluster}/ceph}
daemons="rgw.a osd.0 mgr.x mon.a"
[ "${1:-}" = "--rgw-only" ] && daemons="rgw.a"
for name in $daemons; do
  pid_file="$CEPH_DIR/pids/$name.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pid_file"
done
if [ "${1:-}" = "--purge" ]; then rm -rf "$CEPH_DIR"; fi
true

#!/usr/bin/env bash
# A single-node Ceph (Pacific 16.2 from Debian 12) with its S3 gateway, everything under $CEPH_DIR, loopback only:
# mon.a + one OSD (memstore by default: RAM, nothing written to disk) + radosgw (beast on 127.0.0.1:$RGW_PORT)
# + an S3 user with a fixed key pair; a manager only with WITH_MGR=1 (S3 works without; it saves ~300 MB).
# No systemd: each daemon runs in the foreground under setsid, its pid in $CEPH_DIR/pids/<name>.pid, its output in
# $CEPH_DIR/log/. ceph-down.sh stops them by those pids.
#
#   ceph-up.sh             bring the whole cluster up ($CEPH_DIR must not exist)
#   ceph-up.sh --rgw-only  (re)start only the gateway of an existing $CEPH_DIR (the "RGW restarted" scenario)
#
# Its own ports (MON_PORT 6790, RGW_PORT 7490) and directory: a developer's RGW on the default 6789/7480 may run
# beside it. Needs the "cluster" packages of tests/environment/debian-packages.txt (install.sh).
set -euo pipefail

CEPH_DIR=${CEPH_DIR:-${CLUSTER_ROOT:-/tmp/motcua-cluster}/ceph}
MON_PORT=${MON_PORT:-6790}
RGW_PORT=${RGW_PORT:-7490}
OSD_STORE=${OSD_STORE:-memstore}  # memstore (RAM) | bluestore (a sparse file under $CEPH_DIR)
OSD_SIZE_GB=${OSD_SIZE_GB:-6}     # memstore's ceiling / bluestore's file size
WITH_MGR=${WITH_MGR:-0}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-MOTCUATESTACCESSKEY1}
S3_SECRET_KEY=${S3_SECRET_KEY:-motcuatestsecretkey0000000000000000000001}
CONF="$CEPH_DIR/ceph.conf"
KEYRING="$CEPH_DIR/ceph.client.admin.keyring"

started_ms=$(($(date +%s%N) / 1000000))
stamp() {
  local ms=$(($(date +%s%N) / 1000000 - started_ms))
  printf '[ceph %3d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
ceph_() { ceph -c "$CONF" -k "$KEYRING" --connect-timeout 5 "$@"; }
# Foreground daemon under setsid (its own session: a Ctrl-C of the caller does not reach it), pid recorded.
run_daemon() { # name, command...
  local name=$1
  shift
  setsid "$@" >"$CEPH_DIR/log/$name.stdout" 2>&1 </dev/null &
  echo $! >"$CEPH_DIR/pids/$name.pid"
}
# Waits for a TCP port to accept (bash's /dev/tcp: no curl needed), at most $2 seconds.
wait_port() { # port, seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}
start_rgw() {
  run_daemon rgw.a radosgw -c "$CONF" -n client.rgw.a -f
  # The first start creates RGW's pools (~10 s on 2 cores).
  wait_port "$RGW_PORT" 120 || { echo "radosgw did not answer on $RGW_PORT; see $CEPH_DIR/log/" >&2; exit 1; }
  stamp "radosgw answering on 127.0.0.1:$RGW_PORT"
}

if [ "${1:-}" = "--rgw-only" ]; then
  [ -f "$CONF" ] || { echo "no cluster in $CEPH_DIR (run ceph-up.sh first)" >&2; exit 1; }
  start_rgw
  exit 0
fi

if [ -e "$CEPH_DIR" ]; then echo "$CEPH_DIR exists; run ceph-down.sh --purge first" >&2; exit 1; fi
mkdir -p "$CEPH_DIR"/{mon/ceph-a,mgr/ceph-x,osd/ceph-0,rgw,run,log,pids,crash}
FSID=$(cat /proc/sys/kernel/random/uuid)

# One OSD, so: replicas of 1, CRUSH chooses among OSDs rather than hosts, few placement groups, no autoscaler.
# v1 messenger only on loopback (msgr2 would need a second port). Logs and sockets stay under $CEPH_DIR.
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
log file = $CEPH_DIR/log/\$name.log
crash dir = $CEPH_DIR/crash
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool delete = true
mon data avail warn = 2
mon data avail crit = 1
[client]
keyring = $CEPH_DIR/\$cluster.\$name.keyring
[mon]
mon data = $CEPH_DIR/mon/ceph-\$id
mon cluster log file = $CEPH_DIR/log/cluster.log
[mgr]
mgr data = $CEPH_DIR/mgr/ceph-\$id
[osd]
osd data = $CEPH_DIR/osd/ceph-\$id
osd objectstore = $OSD_STORE
osd memory target = 939524096
bluestore block create = true
bluestore block size = $((OSD_SIZE_GB * 1024 * 1024 * 1024))
memstore device bytes = $((OSD_SIZE_GB * 1024 * 1024 * 1024))
osd max object size = 134217728
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $CEPH_DIR/rgw
rgw dns name = 127.0.0.1
rgw thread pool size = 64
EOF

# --- keys and the monitor map
ceph-authtool --create-keyring "$CEPH_DIR/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$KEYRING" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$CEPH_DIR/mon.keyring" --import-keyring "$KEYRING" >/dev/null
monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$CEPH_DIR/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/mon.keyring"
run_daemon mon.a ceph-mon -c "$CONF" -i a -f
until ceph_ mon stat >/dev/null 2>&1; do sleep 0.5; done
stamp "mon.a up on 127.0.0.1:$MON_PORT"

if [ "$WITH_MGR" = 1 ]; then
  ceph_ auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' -o "$CEPH_DIR/mgr/ceph-x/keyring"
  run_daemon mgr.x ceph-mgr -c "$CONF" -i x -f
  stamp "mgr.x started"
fi

# --- one OSD
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_SECRET=$(ceph-authtool --gen-print-key)
printf '{"cephx_secret": "%s"}\n' "$OSD_SECRET" >"$CEPH_DIR/osd-secret.json"
OSD_ID=$(ceph_ osd new "$OSD_UUID" -i "$CEPH_DIR/osd-secret.json")
rm "$CEPH_DIR/osd-secret.json"
ceph-authtool --create-keyring "$CEPH_DIR/osd/ceph-$OSD_ID/keyring" --name "osd.$OSD_ID" --add-key "$OSD_SECRET" >/dev/null
ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >"$CEPH_DIR/log/osd.mkfs.out" 2>&1
run_daemon "osd.$OSD_ID" ceph-osd -c "$CONF" -i "$OSD_ID" -f
until ceph_ osd dump 2>/dev/null | grep -q "^osd.$OSD_ID up"; do sleep 0.5; done
stamp "osd.$OSD_ID up ($OSD_STORE)"

# --- the S3 gateway and its user
ceph_ auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' mgr 'allow rw' -o "$CEPH_DIR/ceph.client.rgw.a.keyring"
start_rgw
radosgw-admin -c "$CONF" -k "$KEYRING" user create --uid=motcua --display-name="motcua central" \
  --access-key="$S3_ACCESS_KEY" --secret-key="$S3_SECRET_KEY" >"$CEPH_DIR/user.json"
stamp "S3 user motcua created"

#!/usr/bin/env bash
# PostgreSQL (Debian's, newest version installed) as a primary on 127.0.0.1:$PRIMARY_PORT and a streaming hot standby
# on $STANDBY_PORT, synchronous with remote_apply: a commit acknowledged to a central is applied on both. Under
# $PG_DIR, run as the postgres user, loopback only, trust authentication (a test machine). Database `motcua`,
# owner `motcua` (password motcua).
#
# Beside them, the role check HAProxy asks which node is the primary (pg-role-check.ts: GET /primary → 200 on the
# primary, 503 on a standby or a node that does not answer), on $PRIMARY_CHECK_PORT and $STANDBY_CHECK_PORT —
# what Patroni's REST API (:8008/primary) answers in production.
# Stop with pg-down.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
PG_DIR=${PG_DIR:-${CLUSTER_ROOT:-/tmp/motcua-cluster}/pg}
PRIMARY_PORT=${PRIMARY_PORT:-55442}
STANDBY_PORT=${STANDBY_PORT:-55443}
PRIMARY_CHECK_PORT=${PRIMARY_CHECK_PORT:-24462}
STANDBY_CHECK_PORT=${STANDBY_CHECK_PORT:-24463}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

started_ms=$(($(date +%s%N) / 1000000))
stamp() {
  local ms=$(($(date +%s%N) / 1000000 - started_ms))
  printf '[pg %3d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
as_pg() { runuser -u postgres -- "$@"; }
psql_primary() { as_pg "$BIN/psql" -h "$PG_DIR" -p "$PRIMARY_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }

[ -e "$PG_DIR" ] && { echo "$PG_DIR exists; run pg-down.sh --purge first" >&2; exit 1; }
mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR"

# --- the primary
as_pg "$BIN/initdb" -D "$PG_DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
cat >>"$PG_DIR/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$PG_DIR'
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
max_connections = 200
shared_buffers = 128MB
EOF
echo "host replication replicator 127.0.0.1/32 trust" >>"$PG_DIR/primary/pg_hba.conf"
as_pg "$BIN/pg_ctl" -D "$PG_DIR/primary" -l "$PG_DIR/primary.log" -w start >/dev/null
stamp "primary up on $PRIMARY_PORT"
psql_primary -c "CREATE ROLE replicator REPLICATION LOGIN" -c "CREATE ROLE motcua LOGIN PASSWORD 'motcua'" \
  -c "CREATE DATABASE motcua OWNER motcua"

# --- the standby: a base backup with -R (standby.signal + primary_conninfo naming it standby1)
as_pg "$BIN/pg_basebackup" -D "$PG_DIR/standby" -X stream -R -c fast \
  -d "host=127.0.0.1 port=$PRIMARY_PORT user=replicator application_name=standby1"
echo "port = $STANDBY_PORT" >>"$PG_DIR/standby/postgresql.conf"
as_pg "$BIN/pg_ctl" -D "$PG_DIR/standby" -l "$PG_DIR/standby.log" -w start >/dev/null
stamp "standby up on $STANDBY_PORT"

# Only now do commits wait for the standby (with no standby yet, every commit would hang). The standby's copy of
# the settings predates this, so once promoted it does not wait for a standby it no longer has.
psql_primary -c "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (standby1)'" \
  -c "ALTER SYSTEM SET synchronous_commit = 'remote_apply'" -c "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 1 50); do
  state=$(psql_primary -Atc "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")
  [ "$state" = sync ] && break
  sleep 0.2
done
[ "$state" = sync ] || { echo "the standby did not become synchronous (state: '$state')" >&2; exit 1; }
stamp "standby1 is the synchronous standby (remote_apply)"

# --- the role check HAProxy asks (its own session; pid recorded for pg-down.sh)
setsid "$repo/node_modules/.bin/tsx" "$here/pg-role-check.ts" \
  --node "$PRIMARY_CHECK_PORT=$PRIMARY_PORT" --node "$STANDBY_CHECK_PORT=$STANDBY_PORT" \
  >"$PG_DIR/role-check.log" 2>&1 </dev/null &
echo $! >"$PG_DIR/role-check.pid"
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$STANDBY_CHECK_PORT") 2>/dev/null && break
  sleep 0.2
done
stamp "role check on $PRIMARY_CHECK_PORT (primary) and $STANDBY_CHECK_PORT (standby)"

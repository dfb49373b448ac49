#!/usr/bin/env bash
# Installs what the cluster test needs beyond `npm test`'s packages: the "cluster" lines of
# tests/environment/debian-packages.txt (Ceph's monitor, OSD, manager, S3 gateway and tools from Debian 12, and
# HAProxy), with --no-install-recommends. Idempotent: a machine that has them all runs no apt-get at all.
# PostgreSQL is a "tests" package (.ci/run installs it); this script only checks that its server binaries are there.
# Measured on a 2-core machine: the Ceph packages are a 64 MB download, 287 MB installed, about 4 min 20 s
# (mostly unpacking); haproxy about 18 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list="$here/../../environment/debian-packages.txt"

mapfile -t wanted < <(awk '$2 == "cluster" { print $1 }' "$list")
missing=()
for package in "${wanted[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install.sh: all ${#wanted[@]} cluster packages present (${wanted[*]})"
else
  echo "install.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The PostgreSQL server binaries pg-up.sh runs (initdb, pg_ctl, pg_basebackup).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "install.sh: no PostgreSQL server (apt-get install postgresql; .ci/run installs it)" >&2
  exit 1
fi

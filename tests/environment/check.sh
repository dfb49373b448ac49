#!/usr/bin/env bash
# Checks, in a second or two, that this machine has what the test suite needs, and names each missing piece on
# one line (package, what needs it, how to get it) instead of letting dozens of tests fail later.
#   tests/environment/check.sh           what `npm test` needs (run first by `npm test`)
#   tests/environment/check.sh --bench   also what the benchmarks and the fresh-machine rehearsal need
# Under CI=true a PostgreSQL server and root are required too; elsewhere their tests skip with a reason.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want="tests"
[ "${1:-}" = "--bench" ] && want="tests|bench"
ci=false
case "${CI:-}" in 1 | true | TRUE | True) ci=true ;; esac

problems=0
missing_packages=()
problem() { # <what> <why> <fix>
  problems=$((problems + 1))
  printf '  THIẾU / MISSING  %-18s %s\n                   → %s\n' "$1" "$2" "$3"
}

# Node.js: the project needs 22.12+ (Electron 45's tooling and several packages); CI runs 24 LTS.
node_version=$(node -p 'process.versions.node' 2>/dev/null || echo none)
node_major=${node_version%%.*}
node_minor=$(echo "$node_version" | cut -d. -f2)
if [ "$node_version" = none ]; then
  problem "node" "Node.js is not on PATH" "install Node.js 24 LTS (README: 'Node.js')"
elif [ "$node_major" -lt 22 ] || { [ "$node_major" -eq 22 ] && [ "$node_minor" -lt 12 ]; }; then
  problem "node $node_version" "the project needs Node.js 22.12 or newer (24 LTS recommended)" "npm install --global --prefix /opt/motcua-node node@24 && export PATH=/opt/motcua-node/bin:\$PATH"
fi

# Debian packages from the list, by their install status.
if command -v dpkg-query >/dev/null 2>&1; then
  while read -r package who why; do
    case "$package" in '' | '#'*) continue ;; esac
    [[ "$who" =~ ^($want)$ ]] || continue
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
    if [ "$status" != "install ok installed" ]; then
      problem "$package" "$why" "apt-get install $package"
      missing_packages+=("$package")
    fi
  done <"$here/debian-packages.txt"
else
  problem "dpkg" "not a Debian machine: packages cannot be checked by name" "see tests/environment/debian-packages.txt for what is needed"
fi

# .ci/run names the same packages in its `# debian-packages:` line: the two lists must not drift apart.
ci_run="$here/../../.ci/run"
if [ -f "$ci_run" ]; then
  listed=$(awk '$2 == "tests" { print $1 }' "$here/debian-packages.txt" | sort | tr '\n' ' ')
  named=$(sed -n 's/^# debian-packages: //p' "$ci_run" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
  if [ "$listed" != "$named" ]; then
    problem ".ci/run" "its '# debian-packages:' line differs from tests/environment/debian-packages.txt" "make the line list exactly the 'tests' packages: $listed"
  fi
fi

# What an installed package still may not do.
if command -v convert >/dev/null 2>&1 && ! convert -size 60x20 xc:white -annotate +2+14 Ab png:- >/dev/null 2>&1; then
  problem "ImageMagick text" "convert cannot draw text (fonts missing: 'unable to read font')" "apt-get install ghostscript gsfonts"
fi
if command -v scanimage >/dev/null 2>&1 && ! grep -qx 'test' /etc/sane.d/dll.conf 2>/dev/null; then
  problem "SANE test backend" "disabled in /etc/sane.d/dll.conf: the capture tests scan from its virtual feeder" "echo test >> /etc/sane.d/dll.conf"
fi
if [ "$(id -u)" != 0 ]; then
  if $ci; then problem "root" "the fault suite (network namespaces) and disk-full tests need root under CI" "run .ci/run as root"
  else echo "  note: not root — the fault suite and the tmpfs disk-full tests will be skipped, each with its reason"; fi
fi
if [ -n "${MOTCUA_TEST_POSTGRES_URL:-}" ]; then
  if command -v psql >/dev/null 2>&1 && ! psql "$MOTCUA_TEST_POSTGRES_URL" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    problem "PostgreSQL" "MOTCUA_TEST_POSTGRES_URL is set but the server does not answer" "start it (.ci/run: pg_ctlcluster <version> main start)"
  fi
elif $ci; then
  problem "PostgreSQL" "CI=true but MOTCUA_TEST_POSTGRES_URL is not set: the PostgreSQL half of the store tests cannot run" "run the tests through .ci/run, which starts PostgreSQL and sets it"
else
  echo "  note: MOTCUA_TEST_POSTGRES_URL unset — the PostgreSQL tests will be skipped (.ci/run sets it)"
fi

if [ "$problems" -gt 0 ]; then
  echo "Môi trường kiểm thử thiếu $problems thứ (xem trên). / The test environment lacks $problems thing(s) (above)."
  [ ${#missing_packages[@]} -gt 0 ] && echo "  apt-get update && apt-get install -y --no-install-recommends ${missing_packages[*]}"
  echo "  .ci/run installs all of it on a fresh Debian 12 machine."
  exit 1
fi
echo "Môi trường kiểm thử đủ / test environment complete (node $node_version, $(grep -cE "^[a-z0-9.+-]+ +($want) " "$here/debian-packages.txt") Debian packages)"

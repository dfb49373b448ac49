#!/usr/bin/env bash
# Fresh-machine rehearsal for the CI: builds a new Debian 12 root (debootstrap, cached), gives it what a new
# machine of this kind has out of the box (Node.js + npm as on this host, python3, make, g++, git,
# ca-certificates, the host's apt sources and machine configuration) and nothing more, puts a clean clone of
# the repo at /ci/repo and runs `CI=true bash .ci/run` there as root, in its own mount, PID, IPC, UTS and
# (by default) network namespaces. See tests/fresh-machine/README.md; `--help` for the options.
set -euo pipefail

readonly SELF=${BASH_SOURCE[0]}
readonly SUITE=bookworm
# What debootstrap installs on top of the variant: what a new machine of this kind has besides Node.js.
readonly INCLUDE=ca-certificates,python3,make,g++,git
readonly INNER_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly DEFAULT_COMMAND='CI=true bash .ci/run'
# Machine configuration a new machine of this kind has out of the box (copied when present on this host):
# the Docker-style image tweaks, the farm's apt settings, the egress CA certificates and npm's settings
# (cafile = the bundle with the egress CA; nodedir=/usr lets node-gyp build against the installed headers
# instead of downloading them).
readonly MACHINE_CONFIG=(
  /etc/apt/apt.conf.d/docker-autoremove-suggests
  /etc/apt/apt.conf.d/docker-clean
  /etc/apt/apt.conf.d/docker-gzip-indexes
  /etc/apt/apt.conf.d/docker-no-languages
  /etc/apt/apt.conf.d/99artifact-registry
  /etc/apt/apt.conf.d/99farm-no-dep11
  /etc/dpkg/dpkg.cfg.d/docker-apt-speedup
  /usr/sbin/policy-rc.d
  /etc/npmrc
  /root/.npmrc
)

usage() {
  cat <<EOF
Usage: $SELF [options]

Builds a minimal Debian 12 root with debootstrap (cached), makes it look like a new CI machine of this kind
(Node.js/npm copied from this host, python3, make, g++, git, ca-certificates, this host's apt sources and
machine configuration), clones the repo into /ci/repo and runs the CI entry point there as root:
  cd /ci/repo && $DEFAULT_COMMAND
Output goes to the terminal and a log; the last line gives the exit code and wall time. Exits with the
command's exit code (125 when the rehearsal itself could not be set up). Needs root.

Options:
  --repo PATH        git repository to clone (default: the repository holding this script)
  --ref REF          commit, branch or tag to check out (default: HEAD of --repo); uncommitted changes are
                     never included
  --command CMD      run CMD (bash, in /ci/repo) instead of '$DEFAULT_COMMAND', e.g. to try the setup
  --keep             keep the root directory afterwards (default: removed)
  --no-cache         run debootstrap again instead of reusing the cached tarball (the new one replaces it)
  --cache-dir DIR    where the debootstrap tarballs are kept (default: /var/cache/motcua-fresh-machine)
  --work-dir DIR     where the root directory is made (default: /var/tmp/motcua-fresh-machine)
  --log FILE         log file (default: /var/tmp/motcua-fresh-machine-<timestamp>.log)
  --mirror URL       Debian mirror for debootstrap (default: the one apt uses on this host)
  --variant NAME     debootstrap variant: minbase (default; what Docker's debian:bookworm image is built
                     from) or default (adds the 'important' packages)
  --net MODE         private (default): own network namespace with user-mode NAT (slirp4netns) to the
                     internet, nothing of the host's reachable on 127.0.0.1 or via the host's ports;
                     host: share this host's network namespace (ports such as 5432 then collide with the
                     host's services, and interfaces the tests create appear on the host)
  --shm-size SIZE    size of the tmpfs on /dev/shm (default: 2G; Chromium needs it)
  --env NAME=VALUE   add a variable to the command's otherwise clean environment (repeatable)
  -h, --help         this text

Inside, the command gets only PATH=$INNER_PATH, HOME=/root, LANG=C.UTF-8,
CI=true, TERM=dumb (plus --env), stdin from /dev/null, and /proc, /sys, /dev (bound, with its own devpts
and /dev/shm tmpfs), /run (tmpfs); /tmp is the root's own directory. Every process left inside is killed at
the end (PID namespace); no mount is made in the host's mount namespace.
EOF
}

die() {
  echo "fresh-machine: $*" >&2
  exit 125
}

# --- options ---------------------------------------------------------------------------------------------
repo=
ref=HEAD
command=$DEFAULT_COMMAND
custom_command=0
keep=0
use_cache=1
cache_dir=/var/cache/motcua-fresh-machine
work_base=/var/tmp/motcua-fresh-machine
log=
mirror=
variant=minbase
net=private
shm_size=2G
extra_env=()

need_arg() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --repo) need_arg "$@"; repo=$2; shift 2 ;;
    --ref) need_arg "$@"; ref=$2; shift 2 ;;
    --command) need_arg "$@"; command=$2; custom_command=1; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-cache) use_cache=0; shift ;;
    --cache-dir) need_arg "$@"; cache_dir=$2; shift 2 ;;
    --work-dir) need_arg "$@"; work_base=$2; shift 2 ;;
    --log) need_arg "$@"; log=$2; shift 2 ;;
    --mirror) need_arg "$@"; mirror=$2; shift 2 ;;
    --variant) need_arg "$@"; variant=$2; shift 2 ;;
    --net) need_arg "$@"; net=$2; shift 2 ;;
    --shm-size) need_arg "$@"; shm_size=$2; shift 2 ;;
    --env)
      need_arg "$@"
      [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env wants NAME=VALUE, got '$2'"
      extra_env+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ $variant == minbase || $variant == default ]] || die "--variant must be minbase or default"
[[ $net == private || $net == host ]] || die "--net must be private or host"
[[ $shm_size =~ ^[0-9]+[kKmMgG]?$ ]] || die "--shm-size wants a size such as 2G"
[[ $EUID -eq 0 ]] || die "must run as root (debootstrap, chroot, namespaces, mounts)"
if [[ -z $repo ]]; then
  repo=$(git -C "$(dirname "$SELF")" rev-parse --show-toplevel) || die "cannot find the repository of $SELF; give --repo"
fi
commit=$(git -C "$repo" rev-parse --verify --quiet "$ref^{commit}") || die "'$ref' is not a commit in $repo"

ts=$(date +%Y%m%d-%H%M%S)
[[ -n $log ]] || log=/var/tmp/motcua-fresh-machine-$ts.log
root=$work_base/root-$ts
ready_file=$work_base/.net-ready-$ts
slirp_log=$work_base/.slirp4netns-$ts.log
build_dir=
cache_prefix=
ns_pid=
slirp_pid=
host_links=
started=
cmd_rc=
label=.ci/run
[[ $custom_command -eq 0 ]] || label='command'

mkdir -p "$(dirname "$log")" "$work_base" "$cache_dir"
[[ ! -e $root ]] || die "$root exists already"
# Everything from here on goes to the terminal and the log.
# tee ignores the terminal's signals so that cleanup can still report after Ctrl-C.
exec > >(trap '' INT TERM HUP; exec tee -a "$log") 2>&1
tee_pid=$!

say() {
  echo "fresh-machine: $*"
}

# --- cleanup (always) ------------------------------------------------------------------------------------
mounts_under() {
  findmnt -rn -o TARGET | awk -v dir="$1/" 'index($0 "/", dir) == 1' || true
}

remove_tree() { # a directory we made; never follows into anything mounted below it
  local dir=$1 left
  [[ -n $dir && -e $dir ]] || return 0
  left=$(mounts_under "$dir")
  if [[ -n $left ]]; then
    say "unmounting what is still mounted under $dir: $(echo "$left" | tr '\n' ' ')"
    umount -R -l "$dir" 2>/dev/null || true
    sort -r <<<"$left" | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    left=$(mounts_under "$dir")
    if [[ -n $left ]]; then
      say "NOT removing $dir: still mounted there: $left"
      return 1
    fi
  fi
  rm -rf --one-file-system "$dir"
}

host_link_names() {
  ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

cleanup() {
  local rc=$? p left left_procs=
  trap - EXIT INT TERM HUP
  if [[ -n $ns_pid ]] && kill -0 "$ns_pid" 2>/dev/null; then
    # unshare's child is PID 1 of the rehearsal's PID namespace; it dies with unshare (--kill-child) and
    # takes every process of the namespace with it.
    kill -KILL "$ns_pid" 2>/dev/null || true
    wait "$ns_pid" 2>/dev/null || true
  fi
  if [[ -n $slirp_pid ]]; then
    kill -TERM "$slirp_pid" 2>/dev/null || true
    wait "$slirp_pid" 2>/dev/null || true
  fi
  rm -f "$ready_file" "$slirp_log"
  # Belt and braces: nothing may still run with its root in the rehearsal's root.
  if [[ -d $root ]]; then
    for p in /proc/[0-9]*; do
      if [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]]; then
        left_procs+=" ${p#/proc/}"
        kill -KILL "${p#/proc/}" 2>/dev/null || true
      fi
    done
    [[ -z $left_procs ]] || say "killed processes still running in the root:$left_procs"
  fi
  if [[ -n $build_dir ]]; then # interrupted debootstrap: neither its directory nor a half tarball stays
    remove_tree "$build_dir" || true
    rm -f "$cache_prefix"*.partial
  fi
  if [[ -d $root ]]; then
    if [[ $keep -eq 1 ]]; then
      say "root kept: $root (enter it with: chroot $root /bin/bash)"
      [[ -z $(mounts_under "$root") ]] || say "WARNING: mounts left under $root"
    else
      remove_tree "$root" || true
    fi
  fi
  if [[ -n $host_links ]]; then
    left=$(comm -13 <(echo "$host_links") <(host_link_names))
    [[ -z $left ]] || say "WARNING (--net host): network interfaces that appeared on the host during the" \
      "rehearsal, maybe the command's, maybe someone else's (not removed): $(echo "$left" | tr '\n' ' ')"
  fi
  left=$(mounts_under "$work_base")
  if [[ -n $left ]]; then
    say "WARNING: mounts left under $work_base: $left"
  fi
  if [[ -n $started ]]; then
    [[ -n $cmd_rc ]] || cmd_rc=$rc
    say "$label exit $cmd_rc in $(($(date +%s) - started)) s (log: $log)"
    rc=$cmd_rc
  else
    say "rehearsal not started (exit $rc; log: $log)"
  fi
  exec >&- 2>&-
  wait "$tee_pid" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- host tools ------------------------------------------------------------------------------------------
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v ip >/dev/null || missing+=(iproute2)
[[ $net == host ]] || command -v slirp4netns >/dev/null || missing+=(slirp4netns)
if [[ ${#missing[@]} -gt 0 ]]; then
  say "installing on the host: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the mirror apt uses here ----------------------------------------------------------------------------
host_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri=$(awk -v suite="$SUITE" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && enabled != "no" && uri != "") {
          print uri; done = 1; exit
        }
        types = ""; suites = ""; uri = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); $1 = ""; sub(/^[ \t]+/, "") }
      key == "types:" { types = $0 }
      key == "suites:" { suites = $0 }
      key == "uris:" { split($0, u, /[ \t]+/); uri = u[1] }
      key == "enabled:" { enabled = tolower($0) }
      END { if (!done) flush() }' "$f")
    if [[ -n $uri ]]; then echo "$uri"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }')
    if [[ -n $uri ]]; then echo "$uri"; return; fi
  done
  echo http://deb.debian.org/debian
}
[[ -n $mirror ]] || mirror=$(host_mirror)

say "repo $repo at $commit ($(git -C "$repo" log -1 --format=%s "$commit" | cut -c1-100))"
say "root $root, log $log, network $net, mirror $mirror"

# --- debootstrap (cached) --------------------------------------------------------------------------------
cache_key=$(printf '%s\n' "$SUITE" "$variant" "$mirror" "$INCLUDE" | sha256sum | cut -c1-8)
cache_prefix=$cache_dir/$SUITE-$variant-$cache_key-
exec {lock_fd}>"$cache_dir/.lock"
flock "$lock_fd" # one debootstrap at a time; concurrent rehearsals then share its tarball
shopt -s nullglob
cached=("$cache_prefix"*.tar)
shopt -u nullglob
phase_start=$(date +%s)
if [[ $use_cache -eq 1 && ${#cached[@]} -gt 0 ]]; then
  tarball=${cached[-1]}
  say "reusing $tarball (--no-cache makes a new one)"
else
  tarball=$cache_prefix$(date +%Y%m%d).tar
  build_dir=$work_base/debootstrap-$ts
  say "debootstrap --variant=$variant --include=$INCLUDE $SUITE from $mirror"
  # Own mount namespace: the proc/sys mounts debootstrap makes in the target can never outlive it.
  unshare --mount --propagation private -- \
    debootstrap --variant="$variant" --include="$INCLUDE" "$SUITE" "$build_dir" "$mirror"
  # Like a new machine: no package lists (the CI runs apt-get update) and no downloaded .debs.
  rm -rf "$build_dir"/var/lib/apt/lists/* "$build_dir"/var/cache/apt/archives/*.deb
  mkdir -p "$build_dir/var/lib/apt/lists/partial"
  tar --numeric-owner -C "$build_dir" -cf "$tarball.partial" .
  mv -f "$tarball.partial" "$tarball"
  remove_tree "$build_dir"
  build_dir=
  for old in "${cached[@]}"; do [[ $old == "$tarball" ]] || rm -f "$old"; done
  say "debootstrap done in $(($(date +%s) - phase_start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
fi
flock -u "$lock_fd"

# --- the new machine -------------------------------------------------------------------------------------
phase_start=$(date +%s)
mkdir -p "$root"
tar --numeric-owner -C "$root" -xpf "$tarball"

copy_in() { # host paths (files, symlinks, directories) into the root at the same place, attributes kept
  local p rel=()
  for p in "$@"; do
    if [[ -e $p || -L $p ]]; then rel+=("${p#/}"); fi
  done
  [[ ${#rel[@]} -eq 0 ]] || tar -C / --numeric-owner -cf - -- "${rel[@]}" | tar -C "$root" --numeric-owner -xpf -
}

# apt: the same sources, pins and keys as the host (files apt ignores, such as *.disabled, included).
rm -rf "$root"/etc/apt/sources.list.d/* "$root/etc/apt/sources.list"
copy_in /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/apt/preferences.d/* /etc/apt/trusted.gpg
while read -r keyring; do
  [[ -e $root$keyring || ! -f $keyring ]] || copy_in "$keyring"
done < <(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  grep -oiE 'signed-by[:=][[:space:]]*/[^] [:space:]]+' | sed -E 's/^[^/]*//' | sort -u)
copy_in "${MACHINE_CONFIG[@]}"

# The host's extra CA certificates (egress proxy) in the system bundle, as on the host.
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  copy_in /usr/local/share/ca-certificates/*
  chroot "$root" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the root"
fi

# Node.js and npm exactly as installed here: the package's files (registered in dpkg as on the host, so
# apt sees it installed), then the global modules (npm upgraded in place) and their bin links.
node_bin=$(readlink -f "$(command -v node)") || die "no node on this host"
node_prefix=$(dirname "$(dirname "$node_bin")")
node_pkg=$(dpkg-query -S "$node_bin" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
if [[ -n $node_pkg ]]; then
  dpkg-query -L "$node_pkg" | while read -r p; do
    if [[ -L $p || (-e $p && ! -d $p) ]]; then echo "${p#/}"; fi
  done | tar -C / --no-recursion -cf - -T - | tar -C "$root" -xpf -
  { echo; dpkg-query -s "$node_pkg"; } >>"$root/var/lib/dpkg/status"
  cp -a /var/lib/dpkg/info/"$node_pkg".* "$root/var/lib/dpkg/info/"
fi
node_links=()
for p in "$node_prefix"/bin/*; do
  if [[ -L $p && $(readlink "$p") == *lib/node_modules/* ]]; then node_links+=("$p"); fi
done
copy_in "$node_bin" "$node_prefix/lib/node_modules" "$node_prefix/include/node" "$node_prefix/etc/npmrc" \
  "${node_links[@]}"

# Name resolution as on the host.
rm -f "$root/etc/resolv.conf" "$root/etc/hosts"
cat /etc/resolv.conf >"$root/etc/resolv.conf"
cat /etc/hosts >"$root/etc/hosts"

# A clean clone of the repo at the commit.
mkdir -p "$root/ci"
git clone -q --no-hardlinks --no-checkout "$repo" "$root/ci/repo"
git -C "$root/ci/repo" cat-file -e "$commit^{commit}" 2>/dev/null || git -C "$root/ci/repo" fetch -q origin "$commit"
git -C "$root/ci/repo" checkout -q --detach "$commit"

say "root ready in $(($(date +%s) - phase_start)) s: node $(chroot "$root" /usr/bin/node --version)," \
  "npm $(chroot "$root" /usr/bin/env PATH="$INNER_PATH" npm --version 2>/dev/null || echo '?')," \
  "$(du -sh --one-file-system "$root" | cut -f1)"

# --- run -------------------------------------------------------------------------------------------------
# Runs as PID 1 of the new PID namespace, in new mount/IPC/UTS(/network) namespaces whose mounts are private:
# everything mounted here disappears with the namespace.
inner() {
  set -euo pipefail
  local root=$1 shm_size=$2 ready_file=$3 command=$4 i rc=0 d name left=
  shift 4
  if [[ -n $ready_file ]]; then
    for ((i = 0; i < 300; i++)); do
      [[ -e $ready_file ]] && break
      sleep 0.1
    done
    [[ -e $ready_file ]] || { echo "fresh-machine: network not set up in 30 s" >&2; exit 125; }
  fi
  [[ -z $ready_file ]] || ip link set lo up # own network namespace: its loopback starts down
  # The root becomes a mount point, as / is on a machine: `ip netns exec` makes / a slave mount.
  mount --bind "$root" "$root"
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
  mount -t tmpfs -o nosuid,nodev,mode=1777,size="$shm_size" shm "$root/dev/shm"
  mount -t tmpfs -o nosuid,nodev,mode=0755 run "$root/run"
  mkdir -m 1777 "$root/run/lock"
  chroot "$root" /usr/bin/env -i "$@" /bin/bash -c "cd /ci/repo && $command" </dev/null &
  wait $! || rc=$?
  for d in "$root"/proc/[0-9]*; do
    [[ ${d##*/} != 1 && -r $d/comm ]] || continue
    read -r name <"$d/comm" || continue
    left+=" $name(${d##*/})"
  done
  [[ -z $left ]] || echo "fresh-machine: still running at the end, killed with the namespace:$left"
  exit "$rc"
}

inner_env=(PATH="$INNER_PATH" HOME=/root LANG=C.UTF-8 CI=true TERM=dumb "${extra_env[@]}")
ns_flags=(--mount --pid --ipc --uts --fork --kill-child --propagation private)
inner_ready=
# With the host's network, what the command leaves there (a veth pair with both ends outside a namespace) stays.
[[ $net == private ]] || host_links=$(host_link_names)
if [[ $net == private ]]; then
  ns_flags+=(--net)
  inner_ready=$ready_file
fi
say "running in /ci/repo: $command"
started=$(date +%s)
unshare "${ns_flags[@]}" -- /bin/bash -c "$(declare -f inner); inner \"\$@\"" inner \
  "$root" "$shm_size" "$inner_ready" "$command" "${inner_env[@]}" &
ns_pid=$!
if [[ $net == private ]]; then
  host_netns=$(readlink /proc/self/ns/net)
  for ((i = 0; i < 100; i++)); do
    [[ $(readlink "/proc/$ns_pid/ns/net" 2>/dev/null) == "$host_netns" ]] || break
    sleep 0.1
  done
  [[ $(readlink "/proc/$ns_pid/ns/net") != "$host_netns" ]] || die "no network namespace for the rehearsal"
  slirp4netns --configure --mtu=65520 --disable-host-loopback "$ns_pid" tap0 >"$slirp_log" 2>&1 &
  slirp_pid=$!
  for ((i = 0; i < 100; i++)); do
    nsenter --net="/proc/$ns_pid/ns/net" ip -4 -o addr show dev tap0 2>/dev/null | grep -q inet && break
    kill -0 "$slirp_pid" 2>/dev/null || break
    sleep 0.1
  done
  nsenter --net="/proc/$ns_pid/ns/net" ip -4 -o addr show dev tap0 2>/dev/null | grep -q inet ||
    die "slirp4netns did not set up the network: $(cat "$slirp_log")"
  touch "$ready_file"
fi
wait "$ns_pid" || cmd_rc=$?
cmd_rc=${cmd_rc:-0}
ns_pid=

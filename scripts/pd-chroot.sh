#!/bin/bash
# Debian 13's Pd 0.55 (puredata-core from trixie, and puredata-dev: its headers, for building the
# object against Pd 0.54+'s multichannel API) in a chroot, for the Pd-level test suites:
#   scripts/pd-chroot.sh [DIR]            make DIR (default build/pd-0.55) unless it is ready
#   scripts/pd-chroot.sh --remove [DIR]   remove it safely (never through a live mount)
# The chroot is `debootstrap --variant=minbase --include=$packages trixie`: 30 s to 3 min
# (the network), 230 MB. It is made in DIR.tmp and renamed to DIR only once complete, so DIR is
# either ready or absent; a DIR.tmp left by an interrupted run is removed first. debootstrap is
# installed when missing (scripts/install-deps.sh chroot). Needs root, or sudo. Exits non-zero
# with a message naming what is missing when the chroot cannot be made. Mirror: DEBIAN_MIRROR
# (default http://deb.debian.org/debian). One run at a time per DIR (flock on DIR.lock).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

say() { echo "pd-chroot: $*"; }
die() { echo "pd-chroot: FAILED: $*" >&2; exit 1; }

remove=""
if [ "${1:-}" = --remove ]; then remove=1; shift; fi
dir=${1:-build/pd-0.55}
dir=${dir%/}
tmp=$dir.tmp
log=$dir.debootstrap.log
suite=trixie
packages=puredata-core,puredata-dev
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null; then
    sudo="sudo"
else
    die "making or running the Pd 0.55 chroot needs root or sudo (sudo is not installed)"
fi

# safe_rm PATH: remove a chroot tree. A symbolic link is removed as a link (its target is left
# alone). Anything mounted at or below PATH (a bind mount of the project, debootstrap's /proc and
# /sys after a crash) is unmounted first, and nothing is removed while a mount remains: `rm -rf`
# goes through a bind mount of the same file system, --one-file-system or not.
safe_rm() {
    local p=$1
    if [ -L "$p" ]; then $sudo rm -f -- "$p"; return; fi
    [ -e "$p" ] || return 0
    local real m
    real=$(realpath -e -- "$p") || return 1
    case $real in /|"$top"|"$top"/build) die "refusing to remove $real" ;; esac
    mounts_below() { findmnt -rn -o TARGET | awk -v d="$real" '$0 == d || index($0, d "/") == 1' | sort -r; }
    for m in $(mounts_below); do
        say "unmounting $m (left mounted by an interrupted run)"
        $sudo umount -- "$m" 2>/dev/null || $sudo umount -l -- "$m"
    done
    if [ -n "$(mounts_below)" ]; then
        die "cannot remove $p: still mounted: $(mounts_below | tr '\n' ' ')"
    fi
    $sudo rm -rf --one-file-system -- "$real"
}

# ready DIR: DIR holds a finished chroot whose pd is 0.55 (debootstrap removes DIR/debootstrap/
# only when it has finished; DIR/usr/bin/pd is an absolute link, so only the chroot can follow it).
ready() {
    [ -d "$1/usr/lib/puredata" ] && [ -f "$1/usr/include/pd/m_pd.h" ] && [ ! -e "$1/debootstrap" ] ||
        return 1
    case $($sudo chroot "$1" /usr/bin/pd -version 2>&1) in Pd-0.55*) return 0 ;; esac
    return 1
}

# one pd-chroot at a time per DIR (two make checks at once: the second waits, then finds it ready)
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
if ! flock -w 600 9; then die "another pd-chroot has held $dir.lock for 10 minutes"; fi

if [ -n "$remove" ]; then
    say "removing $dir"
    if ! safe_rm "$tmp" || ! safe_rm "$dir"; then die "could not remove $dir"; fi
    exit 0
fi

# tests/pd-run.sh bind-mounts the project in a mount namespace of its own: check that one can be had
# (an unprivileged container cannot), so that the suites do not fail one Pd run at a time.
if ! $sudo unshare --mount --propagation private -- true 2>/dev/null; then
    die "cannot make a private mount namespace (unshare --mount), which the Pd 0.55 runs need: no CAP_SYS_ADMIN (an unprivileged container?)"
fi

if ready "$dir"; then
    say "$dir is ready: $($sudo chroot "$dir" /usr/bin/pd -version 2>&1 | head -1)"
    exit 0
fi
if [ -e "$dir" ] || [ -L "$dir" ]; then
    say "$dir is incomplete (no working Pd 0.55, or no headers, in it): removing it"
    safe_rm "$dir" || die "could not remove the incomplete $dir"
fi
if [ -e "$tmp" ] || [ -L "$tmp" ]; then
    say "removing $tmp, a half-made chroot left by an interrupted run"
    safe_rm "$tmp" || die "could not remove $tmp"
fi

if ! command -v debootstrap >/dev/null && [ ! -x /usr/sbin/debootstrap ]; then
    say "installing debootstrap"
    "$top/scripts/install-deps.sh" chroot ||
        die "debootstrap is not installed and could not be installed (scripts/install-deps.sh chroot)"
fi
debootstrap=$(command -v debootstrap || echo /usr/sbin/debootstrap)
[ -x "$debootstrap" ] || die "debootstrap not found (PATH, /usr/sbin) though its package is installed"
[ -f "/usr/share/debootstrap/scripts/$suite" ] ||
    die "this debootstrap does not know Debian '$suite' (/usr/share/debootstrap/scripts/$suite missing; a newer debootstrap is needed)"

say "debootstrap --variant=minbase --include=$packages $suite $tmp $mirror (30 s to 3 min; log: $log)"
start=$SECONDS
# In a mount namespace of its own: the /proc and /sys debootstrap mounts in the target vanish
# with it, even when it is killed.
if ! $sudo unshare --mount --propagation private -- \
        "$debootstrap" --variant=minbase --include="$packages" "$suite" "$tmp" "$mirror" \
        >"$log" 2>&1; then
    tail -n 5 "$log" | sed 's/^/    /' >&2
    safe_rm "$tmp"
    die "debootstrap of Debian $suite with $packages failed (network? mirror $mirror? see $log)"
fi
ready "$tmp" || { safe_rm "$tmp"; die "debootstrap finished but $tmp has no working Pd 0.55"; }
$sudo mv -T -- "$tmp" "$dir" || die "could not rename $tmp to $dir"
say "$dir made in $((SECONDS - start)) s: $($sudo chroot "$dir" /usr/bin/pd -version 2>&1 | head -1)"

#!/bin/bash
# Run one Pd, of a given version, under a time limit:
#   tests/pd-run.sh 0.53 SECONDS PD-ARGS...   Debian 12's Pd on this machine (`pd`)
#   tests/pd-run.sh 0.55 SECONDS PD-ARGS...   Debian 13's Pd, inside the chroot build/pd-0.55
#                                             (made by scripts/pd-chroot.sh)
# The exit status is Pd's (124 on time-out). Paths in PD-ARGS must lie inside the project folder:
# for 0.55 that folder is bind-mounted at the same path inside the chroot for the length of the
# run (and unmounted afterwards, whatever happens), so both Pds see the same files.
set -u
version=${1:?usage: tests/pd-run.sh 0.53|0.55 SECONDS PD-ARGS...}
seconds=${2:?usage: tests/pd-run.sh 0.53|0.55 SECONDS PD-ARGS...}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)

case "$version" in
0.53)
    exec timeout "$seconds" pd "$@"
    ;;
0.55)
    root="$top/build/pd-0.55"
    if [ ! -x "$root/usr/bin/pd" ]; then
        echo "pd-run: no Pd 0.55 chroot at $root (make it with scripts/pd-chroot.sh)" >&2
        exit 127
    fi
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    # The mount point is a fresh folder per run, so that runs never share (or stack) a mount,
    # and nothing under build/ is ever a live mount once this script has ended.
    mnt="$root$top"
    $sudo mkdir -p "$mnt"
    if ! $sudo mount --bind "$top" "$mnt"; then
        echo "pd-run: cannot bind-mount $top into the chroot (needs root or sudo)" >&2
        exit 127
    fi
    trap '$sudo umount "$mnt" 2>/dev/null || $sudo umount -l "$mnt"' EXIT
    # run as the calling user inside the chroot, in the same working folder
    timeout "$seconds" $sudo chroot --userspec="$(id -u):$(id -g)" "$root" \
        /bin/sh -c 'cd "$1" && shift && exec pd "$@"' sh "$PWD" "$@"
    exit $?
    ;;
*)
    echo "pd-run: unknown Pd version '$version' (0.53 or 0.55)" >&2
    exit 2
    ;;
esac

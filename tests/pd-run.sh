#!/bin/bash
# Run one Pd, of a given version, under a time limit:
#   tests/pd-run.sh 0.53 SECONDS PD-ARGS...   Debian 12's Pd on this machine (`pd`)
#   tests/pd-run.sh 0.55 SECONDS PD-ARGS...   Debian 13's Pd, inside the chroot build/pd-0.55
#                                             (made by scripts/pd-chroot.sh)
# The exit status is Pd's (124 on time-out). Paths in PD-ARGS must lie inside the project folder:
# for 0.55 that folder is bind-mounted at the same path inside the chroot, so both Pds see the
# same files. The bind mount is made in a private mount namespace (unshare) that ends with the
# Pd process: it is never visible outside the run, cannot outlive it (even on SIGKILL), and runs
# never share or stack mounts. So no `rm -rf` of build/ can reach the project through it.
# 0.55 runs with -nrt: Debian 13's puredata-core has no pd-watchdog, without which Pd drops
# real-time priority anyway, after saying so on the console (which the suites read).
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
    # (usr/bin/pd is an absolute link: followed from outside it would find this machine's pd)
    if [ ! -x "$root/usr/bin/puredata" ] || [ -e "$root/debootstrap" ]; then
        echo "pd-run: no Pd 0.55 chroot at $root (make it with scripts/pd-chroot.sh)" >&2
        exit 127
    fi
    if [ "$(id -u)" -eq 0 ]; then sudo=""
    elif command -v sudo >/dev/null; then sudo="sudo"
    else echo "pd-run: Pd 0.55 runs in a chroot: needs root or sudo" >&2; exit 127; fi
    case $PWD/ in "$top"/*) ;; *)
        echo "pd-run: the working folder $PWD is outside the project $top" >&2; exit 2 ;;
    esac
    mnt="$root$top"
    # A mount left in this namespace by an older pd-run (which mounted outside a namespace of its
    # own) would make build/ a way into the project: take it down first.
    while mountpoint -q "$mnt" 2>/dev/null; do
        echo "pd-run: unmounting $mnt, left mounted by an earlier run" >&2
        $sudo umount "$mnt" 2>/dev/null || $sudo umount -l "$mnt" || exit 127
    done
    [ -d "$mnt" ] || $sudo mkdir -p "$mnt" || exit 127
    # unshare execs the shell, which execs chroot, which execs pd: one process, which timeout
    # signals directly. Pd runs as the calling user, in the same working folder.
    # shellcheck disable=SC2016 # (the inner shell expands its own arguments)
    timeout "$seconds" $sudo unshare --mount --propagation private -- /bin/sh -c '
        top=$1 mnt=$2 root=$3 user=$4 cwd=$5; shift 5
        mount --bind "$top" "$mnt" ||
            { echo "pd-run: cannot bind-mount $top into the chroot" >&2; exit 127; }
        exec chroot --userspec="$user" "$root" /bin/sh -c "cd \"\$0\" && exec pd \"\$@\"" "$cwd" "$@"
    ' sh "$top" "$mnt" "$root" "$(id -u):$(id -g)" "$PWD" -nrt "$@"
    ;;
*)
    echo "pd-run: unknown Pd version '$version' (0.53 or 0.55)" >&2
    exit 2
    ;;
esac

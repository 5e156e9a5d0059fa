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
#
# The Pds of make check-ports (tests/ports.sh), named after the port they run:
#   tests/pd-run.sh linux-arm64 ...       Debian 13's arm64 Pd 0.55 under qemu-aarch64
#   tests/pd-run.sh linux-armv7 ...       Debian 13's armhf Pd 0.55 under qemu-arm
#                                         (trees made by scripts/pd-arm.sh; SECONDS is
#                                         multiplied by 5: emulation is ~40 times slower)
#   tests/pd-run.sh windows-amd64-32 ...  a Windows Pd 0.56 (float) under wine
#   tests/pd-run.sh windows-amd64-64 ...  the same built with PD_FLOATSIZE=64 (Pd64)
#                                         (wine prefix build/ports/wine, made by tests/ports.sh)
#   tests/pd-run.sh linux-amd64-64 ...    a Linux Pd64 0.56, this machine's CPU
#   tests/pd-run.sh linux-arm64-64 ...    a Linux Pd64 0.56 for arm64 under qemu-aarch64
#   tests/pd-run.sh linux-armv7-64 ...    a Linux Pd64 0.56 for armhf under qemu-arm
# (Pds built from Pd's sources, PD_SRC, by scripts/pd-build.sh, which caches them.)
# Each finds sidecar~ by the file name it looks for, in the same project folder.
set -u
usage="usage: tests/pd-run.sh 0.53|0.55|linux-arm64|linux-armv7|windows-amd64-32|windows-amd64-64|linux-amd64-64|linux-arm64-64|linux-armv7-64 SECONDS PD-ARGS..."
version=${1:?$usage}
seconds=${2:?$usage}
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
linux-arm64|linux-armv7)
    if [ "$version" = linux-arm64 ]; then arch=arm64 qemu=qemu-aarch64; else arch=armhf qemu=qemu-arm; fi
    root="$top/build/ports/pd-$arch"
    if [ ! -x "$root/usr/bin/puredata" ]; then
        echo "pd-run: no $arch Pd at $root (make it with scripts/pd-arm.sh $arch)" >&2
        exit 127
    fi
    exec timeout "$((seconds * 5))" "$qemu" -L "$root" "$root/usr/bin/puredata" -nrt "$@"
    ;;
linux-amd64-64|linux-arm64-64|linux-armv7-64)
    bin=$("$top/scripts/pd-build.sh" "${version%-64}" 64) || exit 127
    case "$version" in
        linux-amd64-64) exec timeout "$seconds" "$bin/pd" "$@" ;;
        # (the cross compiler's own libc, which it was linked against, as the root for qemu)
        linux-arm64-64) exec timeout "$((seconds * 5))" qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin/pd" "$@" ;;
        *) exec timeout "$((seconds * 5))" qemu-arm -L /usr/arm-linux-gnueabihf "$bin/pd" "$@" ;;
    esac
    ;;
windows-amd64-32|windows-amd64-64)
    bin=$("$top/scripts/pd-build.sh" windows-amd64 "${version##*-}") || exit 127
    export WINEPREFIX="$top/build/ports/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    # a null ALSA device: wine's audio driver probes ALSA at start-up, which would fill the log
    export ALSA_CONFIG_PATH="$top/build/ports/wine-alsa.conf"
    [ -f "$ALSA_CONFIG_PATH" ] || printf 'pcm.!default { type null }\nctl.!default { type null }\n' >"$ALSA_CONFIG_PATH"
    # The Windows console ends lines with CR LF: the suites read lines, so the CRs go. Pd's
    # stderr comes out on stdout (the suites send both to one log anyway). Through a file, not
    # a pipe: wine's helper processes (services.exe, ...) may hold a pipe open long after Pd.
    log=$(mktemp)
    timeout "$seconds" wine "$bin/pd.com" "$@" >"$log" 2>&1
    rc=$?
    tr -d '\r' <"$log"
    rm -f "$log"
    exit "$rc"
    ;;
*)
    echo "pd-run: unknown Pd version '$version'" >&2
    exit 2
    ;;
esac

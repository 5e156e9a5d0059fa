#!/bin/sh
# Install the Debian packages a task needs, only those missing; sudo only when not root.
#   scripts/install-deps.sh GROUP...   (groups below)
set -eu

pkgs_for() {
    case "$1" in
        base)  echo "make gcc puredata-core puredata-dev pd-lib-builder" ;;
        check) echo "clang libclang-rt-14-dev valgrind libsndfile1-dev sox python3" ;;
        demo)  echo "gnuplot-nox" ;;
        bench) echo "faust valgrind g++ clang" ;;
        gui)   echo "puredata-gui xvfb xauth imagemagick" ;;
        deken) echo "zip git" ;;   # the .dek is made with zip (Debian's deken needs the network); git lists the (Sources)
        chroot) echo "debootstrap debian-archive-keyring" ;;   # Pd 0.55 chroot (scripts/pd-chroot.sh)
        # make ports: the cross compilers (dlltool makes the import library for pd.dll)
        ports-build) echo "crossbuild-essential-arm64 crossbuild-essential-armhf gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64" ;;
        # make check-ports: Debian 13's arm64/armhf Pd unpacked by mmdebstrap, run by qemu-user;
        # a Windows Pd built with mingw-w64 (g++ links pd.com) from the xz tarball, run by wine
        # (64-bit only: wine64, no i386 architecture needed)
        ports) echo "qemu-user mmdebstrap debian-archive-keyring g++-mingw-w64-x86-64 wine wine64 xz-utils" ;;
        *) echo "install-deps: unknown group '$1'" >&2; exit 2 ;;
    esac
}

missing=""
for group in "$@"; do
    for p in $(pkgs_for "$group"); do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
        fi
    done
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "install-deps: installing$missing"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing

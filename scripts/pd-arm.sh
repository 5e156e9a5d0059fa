#!/bin/bash
# Debian 13's Pd (puredata-core) for an ARM architecture, unpacked under build/ for make
# check-ports to run under qemu-user:
#   scripts/pd-arm.sh arm64|armhf     make build/ports/pd-ARCH unless it is ready; print its path
#   scripts/pd-arm.sh --host arm64    build/ports/host-arm64: Debian 12's libsndfile1-dev for
#                                     arm64 (the release Debian's cross compiler targets), to
#                                     cross-build examples/host and run it under qemu
# `mmdebstrap --variant=extract` only unpacks the packages (puredata-core and what it depends
# on): no maintainer scripts run, no root needed inside, a few seconds and ~40 MB. The extract
# variant makes no /lib link, which the ARM programs' dynamic loader path (/lib/ld-linux-*.so)
# needs under `qemu-* -L TREE`: it is added here. Made in DIR.tmp, renamed when complete.
# Mirror: DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
suite=trixie packages=puredata-core name=pd want=usr/bin/puredata
if [ "${1:-}" = --host ]; then
    shift; suite=bookworm packages=libsndfile1-dev name=host want=usr/include/sndfile.h
fi
arch=${1:?usage: scripts/pd-arm.sh [--host] arm64|armhf}
case "$arch" in arm64|armhf) ;; *) echo "pd-arm: unknown architecture '$arch'" >&2; exit 2 ;; esac
dir=$top/build/ports/$name-$arch
if [ -e "$dir/$want" ] && [ -L "$dir/lib" ]; then echo "$dir"; exit 0; fi
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tmp=$dir.tmp
rm -rf --one-file-system "$tmp"
mkdir -p "$(dirname "$dir")"
echo "pd-arm: unpacking Debian's $packages ($suite) for $arch into $dir" >&2
if ! mmdebstrap --quiet --variant=extract --arch="$arch" --include="$packages" "$suite" "$tmp" \
        "$mirror" >"$dir.log" 2>&1; then
    echo "pd-arm: mmdebstrap failed (see $dir.log): $(tail -n 1 "$dir.log")" >&2
    rm -rf --one-file-system "$tmp"
    exit 1
fi
[ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
if [ ! -e "$tmp/$want" ]; then
    echo "pd-arm: no $want in the unpacked tree" >&2; exit 1
fi
rm -rf --one-file-system "$dir" && mv "$tmp" "$dir" && echo "$dir"

#!/bin/bash
# Debian 13's Pd (puredata-core) for an ARM architecture, unpacked under build/ for make
# check-ports to run under qemu-user:
#   scripts/pd-arm.sh arm64|armhf     make build/ports/pd-ARCH unless it is ready; print its path
# `mmdebstrap --variant=extract` only unpacks the packages (puredata-core and what it depends
# on): no maintainer scripts run, no root needed inside, a few seconds and ~40 MB. The extract
# variant makes no /lib link, which the ARM programs' dynamic loader path (/lib/ld-linux-*.so)
# needs under `qemu-* -L TREE`: it is added here. Made in DIR.tmp, renamed when complete.
# Mirror: DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: scripts/pd-arm.sh arm64|armhf}
case "$arch" in arm64|armhf) ;; *) echo "pd-arm: unknown architecture '$arch'" >&2; exit 2 ;; esac
dir=$top/build/ports/pd-$arch
if [ -x "$dir/usr/bin/puredata" ] && [ -L "$dir/lib" ]; then echo "$dir"; exit 0; fi
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tmp=$dir.tmp
rm -rf --one-file-system "$tmp"
mkdir -p "$(dirname "$dir")"
echo "pd-arm: unpacking Debian 13's puredata-core for $arch into $dir" >&2
if ! mmdebstrap --quiet --variant=extract --arch="$arch" --include=puredata-core trixie "$tmp" \
        "$mirror" >"$dir.log" 2>&1; then
    echo "pd-arm: mmdebstrap failed (see $dir.log): $(tail -n 1 "$dir.log")" >&2
    rm -rf --one-file-system "$tmp"
    exit 1
fi
[ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
if [ ! -x "$tmp/usr/bin/puredata" ]; then
    echo "pd-arm: no usr/bin/puredata in the unpacked tree" >&2; exit 1
fi
rm -rf --one-file-system "$dir" && mv "$tmp" "$dir" && echo "$dir"

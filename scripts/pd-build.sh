#!/bin/bash
# A Pd built from Pd's own sources, for make check-ports: a Windows Pd (pd.dll + pd.com,
# cross-built with mingw-w64 from src/makefile.mingw, run under wine), and double-precision Pds
# ("Pd64", PD_FLOATSIZE=64) where Debian has none. Nothing of Pd goes into the repository: the
# sources are unpacked under build/ and built there.
#   scripts/pd-build.sh PORT FLOATSIZE [SOURCE]
#       PORT windows-amd64 (mingw-w64), linux-amd64 (this machine's gcc), linux-arm64 or
#       linux-armv7 (Debian's cross compilers; the Linux Pds with src/makefile.gnu, no audio
#       API: they run -nosound -batch only); FLOATSIZE 32 or 64; SOURCE a Pd source tarball
#       (.tar.xz, .tar.gz) or an unpacked Pd source tree; default: PD_SRC, else
#       ../shared/fixtures/pure-data-0.56-5.tar.xz.
# Prints the folder holding the Pd program (pd.com and pd.dll with libwinpthread-1.dll beside
# them; or pd) on its last line (stdout); the build's own output goes to DIR.log. Cached in
# build/ports/pd-src/<key>-<PORT>-<FLOATSIZE>, <key> being the first 16 hex digits of the
# sha256 of the tarball (for a tree: its path) and this script, so a second run is instant. Made in DIR.tmp and
# renamed when complete; one build at a time per DIR. Exit status 2: no sources.
# About 1 to 2 minutes per Pd on 2 cores.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: scripts/pd-build.sh windows-amd64|linux-amd64|linux-arm64|linux-armv7 32|64 [SOURCE]"
port=${1:?$usage}
floatsize=${2:?$usage}
case "$port" in
    windows-amd64) host=x86_64-w64-mingw32 ;;
    linux-amd64) host="" ;;
    linux-arm64) host=aarch64-linux-gnu ;;
    linux-armv7) host=arm-linux-gnueabihf ;;
    *) echo "pd-build: unknown port '$port'" >&2; echo "$usage" >&2; exit 2 ;;
esac
case "$floatsize" in 32|64) ;; *) echo "pd-build: FLOATSIZE must be 32 or 64" >&2; exit 2 ;; esac
src=${3:-${PD_SRC:-$top/../shared/fixtures/pure-data-0.56-5.tar.xz}}
if [ ! -e "$src" ]; then
    echo "pd-build: no Pd sources at $src (set PD_SRC= to a Pd source tarball or tree)" >&2
    exit 2
fi
src=$(realpath "$src")
# the key: the sources and this script (a change of recipe builds afresh)
if [ -d "$src" ]; then key=$({ printf '%s' "$src"; cat "$0"; } | sha256sum | cut -c1-16)
else key=$(cat "$src" "$0" | sha256sum | cut -c1-16); fi
dir=$top/build/ports/pd-src/$key-$port-$floatsize
if [ "$port" = windows-amd64 ]; then prog=pd.com; else prog=pd; fi
ready() { [ -x "$dir/bin/$prog" ]; }
if ready; then echo "$dir/bin"; exit 0; fi
# one build at a time per folder; whoever waited finds it ready
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if ready; then echo "$dir/bin"; exit 0; fi

tmp=$dir.tmp log=$dir.log
rm -rf --one-file-system "$tmp" && mkdir -p "$tmp" || exit 1
echo "pd-build: building Pd for $port (float size $floatsize) from $src in $dir (log: $log)" >&2
if [ -d "$src" ]; then
    cp -r "$src/src" "$src/portaudio" "$src/portmidi" "$tmp/" || exit 1
else
    tar -xf "$src" -C "$tmp" --strip-components=1 || { echo "pd-build: cannot unpack $src" >&2; exit 1; }
fi
jobs=$(nproc 2>/dev/null || echo 1)
fail() { echo "pd-build: the build failed, see $log:" >&2; tail -n 5 "$log" >&2; exit 1; }
mkdir -p "$tmp/keep/bin"
if [ "$port" != windows-amd64 ]; then
    [ -f "$tmp/src/makefile.gnu" ] || { echo "pd-build: no src/makefile.gnu in $src" >&2; exit 2; }
    # no audio or MIDI API but the dummy ones, so nothing beyond libc is needed; -O1 (see below)
    make -C "$tmp/src" -j"$jobs" -f makefile.gnu ALSA=false OSS=false CC="${host:+$host-}gcc" \
        CODECFLAGS=-O1 MORECFLAGS="-DPD_FLOATSIZE=$floatsize" ../bin/pd >"$log" 2>&1 || fail
    cp "$tmp/bin/pd" "$tmp/keep/bin/"
    rm -rf --one-file-system "$dir"
    mv "$tmp/keep" "$dir" && rm -rf --one-file-system "$tmp"
    echo "$dir/bin"
    exit 0
fi
[ -f "$tmp/src/makefile.mingw" ] || { echo "pd-build: no src/makefile.mingw in $src" >&2; exit 2; }
# Pd's makefile.mingw flags, minus ASIO (its SDK is not free) and with the float size. pd.dll
# first, then pd.com, which links against pd.dll's import library (not in one parallel run).
# -O1 instead of Pd's -O3: these Pds only carry samples to and from the object under test
# (tabplay~, tabwrite~, soundfiler), which no optimisation level changes, and build in about
# half the time.
flags=(-f makefile.mingw CC=$host-gcc CXX=$host-g++ WINDRES=$host-windres MORECFLAGS=-O1
    STRIP="$host-strip --strip-unneeded" ASIOSRC=
    "ARCH_CFLAGS=-DPD -DPD_INTERNAL -DPD_FLOATSIZE=$floatsize -DWINVER=0x0502 -DPA_USE_WASAPI -DUSEAPI_MMIO -DUSEAPI_PORTAUDIO -mms-bitfields")
{ make -C "$tmp/src" -j"$jobs" "${flags[@]}" ../bin/pd.dll &&
  make -C "$tmp/src" "${flags[@]}" ../bin/pd.com; } >"$log" 2>&1 || fail
dll=$($host-gcc -print-file-name=libwinpthread-1.dll)
[ -f "$dll" ] || dll=/usr/$host/lib/libwinpthread-1.dll
cp "$dll" "$tmp/bin/" || { echo "pd-build: no libwinpthread-1.dll from mingw-w64" >&2; exit 1; }
# keep only what running Pd needs
cp "$tmp/bin/pd.com" "$tmp/bin/pd.dll" "$tmp/bin/libwinpthread-1.dll" "$tmp/keep/bin/" || exit 1
rm -rf --one-file-system "$dir"
mv "$tmp/keep" "$dir" && rm -rf --one-file-system "$tmp"
echo "$dir/bin"

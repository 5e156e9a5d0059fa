#!/bin/bash
# A Windows Pd (x86-64, pd.dll + pd.com) cross-built from Pd's own sources with mingw-w64, for
# make check-ports to run under wine. Nothing of Pd goes into the repository: the sources are
# unpacked under build/ and built there.
#   scripts/pd-windows.sh FLOATSIZE [SOURCE]
#       FLOATSIZE 32 (Pd) or 64 (Pd64, PD_FLOATSIZE=64); SOURCE a Pd source tarball (.tar.xz,
#       .tar.gz) or an unpacked Pd source tree (with src/makefile.mingw); default: PD_SRC, else
#       ../shared/fixtures/pure-data-0.56-5.tar.xz.
# Prints the folder holding pd.com, pd.dll and libwinpthread-1.dll on its last line (stdout);
# the build's own output goes to DIR.log. The build is cached in build/pd-win/<key>-<FLOATSIZE>,
# <key> being the first 16 hex digits of the tarball's sha256 (for a tree: of its path), so a
# second run is instant. Made in DIR.tmp and renamed when complete. Exit status 2: no source.
# About 1 to 3 minutes per float size on 2 cores.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
floatsize=${1:?usage: scripts/pd-windows.sh 32|64 [SOURCE]}
case "$floatsize" in 32|64) ;; *) echo "pd-windows: FLOATSIZE must be 32 or 64" >&2; exit 2 ;; esac
src=${2:-${PD_SRC:-$top/../shared/fixtures/pure-data-0.56-5.tar.xz}}
if [ ! -e "$src" ]; then
    echo "pd-windows: no Pd sources at $src (set PD_SRC= to a Pd source tarball or tree)" >&2
    exit 2
fi
src=$(realpath "$src")
if [ -d "$src" ]; then key=$(printf '%s' "$src" | sha256sum | cut -c1-16)
else key=$(sha256sum "$src" | cut -c1-16); fi
dir=$top/build/pd-win/$key-$floatsize
if [ -f "$dir/bin/pd.com" ] && [ -f "$dir/bin/pd.dll" ]; then echo "$dir/bin"; exit 0; fi

tmp=$dir.tmp log=$dir.log
rm -rf --one-file-system "$tmp" && mkdir -p "$tmp" || exit 1
echo "pd-windows: building a Windows Pd (float size $floatsize) from $src in $dir (log: $log)" >&2
if [ -d "$src" ]; then
    cp -r "$src/src" "$src/portaudio" "$src/portmidi" "$tmp/" || exit 1
else
    tar -xf "$src" -C "$tmp" --strip-components=1 || { echo "pd-windows: cannot unpack $src" >&2; exit 1; }
fi
[ -f "$tmp/src/makefile.mingw" ] || { echo "pd-windows: no src/makefile.mingw in $src" >&2; exit 2; }

host=x86_64-w64-mingw32
# Pd's makefile.mingw flags, minus ASIO (its SDK is not free) and with the float size. pd.dll
# first, then pd.com, which links against pd.dll's import library (not in one parallel run).
flags=(-f makefile.mingw CC=$host-gcc CXX=$host-g++ WINDRES=$host-windres
    STRIP="$host-strip --strip-unneeded" ASIOSRC=
    "ARCH_CFLAGS=-DPD -DPD_INTERNAL -DPD_FLOATSIZE=$floatsize -DWINVER=0x0502 -DPA_USE_WASAPI -DUSEAPI_MMIO -DUSEAPI_PORTAUDIO -mms-bitfields")
jobs=$(nproc 2>/dev/null || echo 1)
if ! { make -C "$tmp/src" -j"$jobs" "${flags[@]}" ../bin/pd.dll &&
       make -C "$tmp/src" "${flags[@]}" ../bin/pd.com; } >"$log" 2>&1; then
    echo "pd-windows: the build failed, see $log:" >&2
    tail -n 5 "$log" >&2
    exit 1
fi
dll=$($host-gcc -print-file-name=libwinpthread-1.dll)
[ -f "$dll" ] || dll=/usr/$host/lib/libwinpthread-1.dll
cp "$dll" "$tmp/bin/" || { echo "pd-windows: no libwinpthread-1.dll from mingw-w64" >&2; exit 1; }
# keep only what running Pd needs (pd.com, pd.dll, the headers for building externals)
mkdir -p "$tmp/keep/bin" "$tmp/keep/include"
cp "$tmp/bin/pd.com" "$tmp/bin/pd.dll" "$tmp/bin/libwinpthread-1.dll" "$tmp/keep/bin/"
cp "$tmp/src/m_pd.h" "$tmp/keep/include/"
cp "$tmp/src/pd.a" "$tmp/keep/bin/" 2>/dev/null
rm -rf --one-file-system "$dir"
mv "$tmp/keep" "$dir" && rm -rf --one-file-system "$tmp"
echo "$dir/bin"

#!/bin/sh
# An import library for pd.dll made from Pd's own headers, so that the Windows binaries link
# without a Windows Pd on this machine (pd-lib-builder links against "$(PDBINDIR)/pd.dll"; ld
# reads an import library under that name just as well as the DLL itself).
#   scripts/pd-importlib.sh PDINCLUDEDIR OUTDIR     writes OUTDIR/pd.dll (an import library)
# Every function and variable the headers declare EXTERN (m_pd.h, m_imp.h, g_canvas.h: what
# sidecar~.c includes) goes in; the linker takes only those the object uses, and the Windows
# loader then looks each of them up in the running Pd's pd.dll by name. Names only in a newer
# Pd (signal_setmultiout) are not in these headers, so they can never become a load-time
# dependency: sidecar~.c finds that one with GetProcAddress.
set -eu
inc=${1:?usage: scripts/pd-importlib.sh PDINCLUDEDIR OUTDIR}
out=${2:?usage: scripts/pd-importlib.sh PDINCLUDEDIR OUTDIR}
host=${PLATFORM:-x86_64-w64-mingw32}
mkdir -p "$out"
# Preprocess as a Windows external does (EXTERN = dllimport), one declaration per line, keep
# the dllimport ones, and print the declared names: a function's is the last word before its
# first '('; a variable list's ("t_symbol s_pointer, s_float, ...") every item's last word.
printf '#include "m_pd.h"\n#include "m_imp.h"\n#include "g_canvas.h"\n' |
    "$host-gcc" -E -P -DPD -DMSW -DNT -DPD_LONGINTTYPE=__int64 -I"$inc" -x c - |
    tr '\n' ' ' | sed 's/;/;\n/g' | grep 'dllimport' |
    awk '{
        sub(/.*__attribute__\(\(dllimport\)\) extern/, "")
        if (index($0, "(")) { s = substr($0, 1, index($0, "(") - 1); n = split(s, w, /[^A-Za-z0-9_]+/)
            while (n > 0 && w[n] == "") n--; if (n) print w[n] }
        else { sub(/;.*/, ""); gsub(/\[[^]]*\]/, ""); m = split($0, item, ",")
            for (i = 1; i <= m; i++) { n = split(item[i], w, /[^A-Za-z0-9_]+/)
                while (n > 0 && w[n] == "") n--; if (n) print w[n] } }
    }' | grep -v '^__' | LC_ALL=C sort -u >"$out/pd.names"
[ -s "$out/pd.names" ] || { echo "pd-importlib: no EXTERN declarations found in $inc" >&2; exit 1; }
{ echo "LIBRARY pd.dll"; echo "EXPORTS"; cat "$out/pd.names"; } >"$out/pd.def"
"$host-dlltool" -d "$out/pd.def" -l "$out/pd.dll"

#!/bin/bash
# One optimisation step's check, in about a minute: accuracy and block-size independence
# (refcheck), the core's speed alone, and the marginal instructions per frame of sidecar~ in Pd
# (duck and comp, N = 16, 1 s of kick/pad material, callgrind, floor subtracted).
#   bench/step.sh        (from the project root; builds the object first)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out/patches"
make -s all >/dev/null
cc=${CC:-cc}
$cc -std=c11 -Wall -Wextra -O3 -funroll-loops -fomit-frame-pointer -Idsp bench/refcheck.c dsp/sidecar.c -lm -o "$out/refcheck"
"$out/refcheck" | tail -1
"$out/refcheck" speed
cg() { # KIND SECONDS -> instructions of the whole run
    local f="$out/patches/step-$1-$2.pd" c="$out/step.callgrind.$1-$2"
    bench/gen-patch.sh "$1" 16 64 0 "w:0:$2" >"$f"
    valgrind --tool=callgrind --callgrind-out-file="$c" pd -batch -noprefs -nosound -r 48000 \
        -path . "$f" >/dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$c"
}
fl=$(($(cg floor 1.5) - $(cg floor 0.5)))
for kind in duck comp; do
    d=$(($(cg $kind 1.5) - $(cg $kind 0.5)))
    awk -v d="$d" -v f="$fl" -v k=$kind 'BEGIN { printf "%s: %.1f instructions per frame (callgrind, marginal, in Pd)\n", k, (d - f) / (48000 * 16) }'
done

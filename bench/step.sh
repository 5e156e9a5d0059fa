#!/bin/bash
# One optimisation step's check, in about a minute: accuracy and block-size independence
# (refcheck), the core's speed alone, and the marginal instructions per frame of sidecar~ in Pd
# (N = 16, 1 s of kick/pad material, callgrind, floor subtracted).
#   bench/step.sh           duck and comp at defaults (from the project root; builds the object)
#   bench/step.sh all       the same, plus duck and comp with all seven v0.2 options on
#   bench/step.sh options   the same as all, plus duck with each option alone on
# (the option values are make bench's: see bench/gen-patch.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-defaults}
kinds=(duck comp)
case "$what" in
    defaults) ;;
    all) kinds+=(duck+all comp+all) ;;
    options) kinds+=(duck+range duck+hold duck+lookahead duck+mix duck+rms duck+link duck+sc_lpf
        duck+all comp+all) ;;
    *) echo "usage: bench/step.sh [defaults|all|options]" >&2; exit 2 ;;
esac
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
        -path . "$f" >"$c.log" 2>&1
    if grep -q "couldn't create\|error:" "$c.log"; then
        cat "$c.log" >&2; echo "step: errors in $f" >&2; exit 1
    fi
    awk '/^(summary|totals):/ { print $2; exit }' "$c"
}
fl=$(($(cg floor 1.5) - $(cg floor 0.5)))
declare -A ipf
for kind in "${kinds[@]}"; do
    d=$(($(cg "$kind" 1.5) - $(cg "$kind" 0.5)))
    ipf[$kind]=$(awk -v d="$d" -v f="$fl" 'BEGIN { printf "%.1f", (d - f) / (48000 * 16) }')
    base=${kind%%+*}
    ratio=""
    [ "$kind" != "$base" ] && ratio=$(awk -v a="${ipf[$kind]}" -v b="${ipf[$base]}" 'BEGIN { printf " (%.2f x %s defaults)", a / b, "'"$base"'" }')
    echo "$kind: ${ipf[$kind]} instructions per frame (callgrind, marginal, in Pd)$ratio"
done

#!/bin/bash
# One optimisation step's check, in about a minute: accuracy and block-size independence
# (refcheck), the core's speed alone, and the marginal instructions per frame of sidecar~ in Pd
# (N = 16, 1 s of kick/pad material, callgrind, floor subtracted).
#   bench/step.sh           duck and comp at defaults (from the project root; builds the object)
#   bench/step.sh all       the same, plus duck and comp with all seven v0.2 options on
#   bench/step.sh options   the same as all, plus duck with each option alone on (v0.2 and v0.3)
#   bench/step.sh v03       duck and comp at defaults, duck with each v0.3 option alone on, and
#                           duck and comp with all eleven options on
#   bench/step.sh KIND...   the named kinds of bench/gen-patch.sh (e.g. duck faust duck+feedback)
# BLOCK=1 bench/step.sh ...  at Pd block size 1 (default 64); faust (Faust's compressor, built
# without AVX-512 for valgrind) is measured with the same patch, block and N.
# (the option values are make bench's: see bench/gen-patch.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-defaults}
kinds=(duck comp)
case "$what" in
    defaults) ;;
    all) kinds+=(duck+all comp+all) ;;
    options) kinds+=(duck+range duck+hold duck+lookahead duck+mix duck+rms duck+link duck+sc_lpf
        duck+all comp+all duck+feedback duck+ms duck+slow_release duck+listen duck+all11 comp+all11) ;;
    v03) kinds+=(duck+feedback duck+ms duck+slow_release duck+listen duck+all11 comp+all11) ;;
    floor | duck* | comp* | faust) kinds=("$@") ;;
    *) echo "usage: bench/step.sh [defaults|all|options|v03|KIND...]" >&2; exit 2 ;;
esac
block=${BLOCK:-64}
out=bench/out
mkdir -p "$out/patches"
make -s all >/dev/null
[[ " ${kinds[*]} " == *" faust "* ]] && bench/faust-peer.sh "$out/faust-cg" "-mno-avx512f"
cc=${CC:-cc}
$cc -std=c11 -Wall -Wextra -O3 -funroll-loops -fomit-frame-pointer -Idsp bench/refcheck.c dsp/sidecar.c -lm -o "$out/refcheck"
"$out/refcheck" | tail -1
"$out/refcheck" speed
cg() { # KIND SECONDS -> instructions of the whole run
    local f="$out/patches/step-$1-$block-$2.pd" c="$out/step.callgrind.$1-$block-$2"
    bench/gen-patch.sh "$1" 16 "$block" 0 "w:0:$2" >"$f"
    valgrind --tool=callgrind --callgrind-out-file="$c" pd -batch -noprefs -nosound -r 48000 \
        -path . -path "$out/faust-cg" "$f" >"$c.log" 2>&1
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
    [ "$kind" != "$base" ] && [ -n "${ipf[$base]:-}" ] &&
        ratio=$(awk -v a="${ipf[$kind]}" -v b="${ipf[$base]}" 'BEGIN { printf " (%.2f x %s defaults)", a / b, "'"$base"'" }')
    echo "$kind: ${ipf[$kind]} instructions per frame (callgrind, marginal, in Pd, block $block)$ratio"
done

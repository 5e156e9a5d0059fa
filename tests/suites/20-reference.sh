#!/bin/bash
# Render-and-compare: every case of tests/render/cases.c is played through the real object in
# `pd -batch` and its 4 outlets are compared sample by sample with the double-precision
# reference of SPEC.md (tests/reference/): 1e-3 absolute on audio, 2e-3 on the envelopes.
# One PASS/FAIL line per case with the max errors; files of case X stay in tests/out/ref/X/
# (in.wav, case.pd, out.wav = the object, ref.wav = the reference, pd.log).
#   tests/suites/20-reference.sh [CASE...]   only the named cases
# make check-ports (tests/ports.sh) runs this same suite in each port's Pd (PD_VERSION, see
# tests/pd-run.sh) with SAME_AS=<the x86-64 Linux run's ref/ folder>: each case's out.wav must
# then also be byte-identical to that run's (one more line per case, "CASE/same-bits"); the
# reference's self-check, which does not involve Pd, is left to make check then.
set -u
cd "$(dirname "$0")/../.." || exit 2

out=${OUT:-tests/out}/ref
tool=${OUT:-tests/out}/sidecar_render
mkdir -p "$out"

if ! gcc -std=c11 -Wall -Wextra -O2 -Itests/reference -Itests/render \
        tests/reference/sidecar_ref.c tests/render/material.c tests/render/cases.c \
        tests/render/sidecar_render.c -o "$tool" -lsndfile -lm; then
    echo "FAIL reference-build: cannot build $tool"
    exit 1
fi
if [ ! -f sidecar~.pd_linux ]; then
    echo "FAIL reference-object: sidecar~.pd_linux not built (run make first)"
    exit 1
fi

# The reference and the material on their own (one line per check).
[ -n "${SAME_AS:-}" ] || "$tool" selfcheck

if [ $# -gt 0 ]; then cases=("$@"); else mapfile -t cases < <("$tool" list); fi
# run_case CASE: render it in Pd and compare; its verdict lines go to $out/CASE/verdict.
run_case() {
    local c=$1 dir=$out/$1
    rm -rf "$dir" && mkdir -p "$dir"
    {
        if ! "$tool" prepare "$c" "$dir"; then
            echo "FAIL $c: cannot prepare the case"
        else
            run_prepared "$c" "$dir"
        fi
    } >"$dir/verdict.tmp" 2>&1
    mv "$dir/verdict.tmp" "$dir/verdict"
}
# run_prepared CASE DIR: the Pd run and the comparison of a prepared case
run_prepared() {
    local c=$1 dir=$2 rc
    tests/pd-run.sh "${PD_VERSION:-0.53}" 60 -batch -noprefs -nosound -nostdpath \
        -r "$(cat "$dir/sr")" -path "$PWD" "$dir/case.pd" >"$dir/pd.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $c: pd exited with status $rc (see $dir/pd.log)"
    elif grep -q "couldn't create" "$dir/pd.log"; then
        echo "FAIL $c: pd could not create: $(grep "couldn't create" "$dir/pd.log" | head -1)"
    else
        "$tool" compare "$c" "$dir"
        # check-ports: the same render on x86-64 Linux, byte for byte
        if [ -n "${SAME_AS:-}" ]; then
            if cmp -s "$dir/out.wav" "$SAME_AS/$c/out.wav"; then
                echo "PASS $c/same-bits: out.wav byte-identical to $SAME_AS/$c/out.wav"
            else
                echo "FAIL $c/same-bits: out.wav differs from $SAME_AS/$c/out.wav:" \
                    "$(cmp "$dir/out.wav" "$SAME_AS/$c/out.wav" 2>&1 | head -n 1)"
            fi
        fi
    fi
}
export -f run_case run_prepared
export out tool SAME_AS
# The cases are independent: as many at once as there are cores (the verdicts are printed in
# the table's order afterwards, so the log reads the same however they were scheduled).
printf '%s\0' "${cases[@]}" | xargs -0 -P "$(nproc)" -I{} bash -c 'run_case "$1"' _ {}
for c in "${cases[@]}"; do
    if [ -f "$out/$c/verdict" ]; then cat "$out/$c/verdict"
    else echo "FAIL $c: no verdict (the case's run did not finish)"; fi
done

# Bit-level claims of SPEC.md: the same input and settings give the same bits on every run,
# and with constant settings the output does not depend on the block size.
samebits() { # name file1 file2
    if [ -f "$2" ] && [ -f "$3" ] && cmp -s "$2" "$3"; then echo "PASS $1: identical outlets"
    else echo "FAIL $1: $2 and $3 differ (or are missing)"; fi
}
if [ $# -eq 0 ]; then
    again=$out/duck-defaults-again
    rm -rf "$again" && cp -r "$out/duck-defaults" "$again" && rm -f "$again/out.wav"
    tests/pd-run.sh "${PD_VERSION:-0.53}" 60 -batch -noprefs -nosound -nostdpath -r 48000 -path "$PWD" "$again/case.pd" \
        >"$again/pd.log" 2>&1
    samebits determinism-rerun "$out/duck-defaults/out.wav" "$again/out.wav"
    # and with every option on, messages to each of them and a trigger mid-stream
    again=$out/all-seven-cv-msgs-again
    rm -rf "$again" && cp -r "$out/all-seven-cv-msgs" "$again" && rm -f "$again/out.wav"
    tests/pd-run.sh "${PD_VERSION:-0.53}" 60 -batch -noprefs -nosound -nostdpath -r 48000 -path "$PWD" "$again/case.pd" \
        >"$again/pd.log" 2>&1
    samebits determinism-rerun-options "$out/all-seven-cv-msgs/out.wav" "$again/out.wav"
    # and with all eleven (feedback: each sample's detector hears the previous one's gain)
    again=$out/all-eleven-cv-msgs-again
    rm -rf "$again" && cp -r "$out/all-eleven-cv-msgs" "$again" && rm -f "$again/out.wav"
    tests/pd-run.sh "${PD_VERSION:-0.53}" 60 -batch -noprefs -nosound -nostdpath -r 48000 -path "$PWD" "$again/case.pd" \
        >"$again/pd.log" 2>&1
    samebits determinism-rerun-v03 "$out/all-eleven-cv-msgs/out.wav" "$again/out.wav"
    samebits block-size-independence "$out/block-1024/out.wav" "$out/block-64-twin/out.wav"
    # the same with all seven 0.2 options on (lookahead, hold, rms, link, sc_lpf, range, mix)
    # and a trigger at sample 0
    samebits block-size-independence-options "$out/options-block-1024/out.wav" \
        "$out/options-block-64-twin/out.wav"
    # every 0.3 option on as well (feedback: the detector then depends on the previous
    # sample's gain) at block sizes 1, 16, 64 and 1024, and with listen at 1 and 64
    for b in 1 16 1024; do
        samebits "block-size-independence-v03-$b" "$out/v03-block-$b/out.wav" \
            "$out/v03-block-64/out.wav"
    done
    samebits block-size-independence-v03-listen "$out/v03-block-1-listen/out.wav" \
        "$out/v03-block-64-listen/out.wav"
fi
exit 0

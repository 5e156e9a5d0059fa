#!/bin/bash
# `make bench`: sidecar~ against Faust's co.compressor_stereo, in real `pd -batch` runs.
# Run from the project root after `make all` (mk/bench.mk does both). Writes bench/out/.
#
#   bench/run.sh              the whole benchmark (a few minutes)
#   BENCH_REPS=3 bench/run.sh fewer repetitions (default 5; the median is reported)
#   BENCH_SKIP=callgrind      skip parts: any of time, silence, block, callgrind, options
#                             (comma list)
#
# What is measured (see README "Performance"):
#   time       ns per frame per instance = (run - floor) / (frames * N), median of BENCH_REPS
#              interleaved repetitions, for N = 1, 4, 16, 64, 256 (the cost must grow linearly
#              with N: the per-instance figure should stay flat); ratio = sidecar / Faust
#   silence    the same after the material stops and exact silence follows, in 1-second
#              windows up to 85 s after the end (a denormal slow-down would show as a bump)
#   block      the same at Pd block sizes 1, 16, 64 and 1024
#   callgrind  marginal instructions per frame per instance: the difference between a 0.5 s and
#              a 1.5 s render, minus the same difference for the floor patch, over 1 s * N frames.
#              Start-up and instance creation cancel out; the figure is exact and repeatable.
#   options    the same callgrind figure for duck with each v0.2 option alone on (range 12,
#              hold 50, lookahead 5, mix 0.5, rms 10, link 0.5, sc_lpf 150), all seven at once
#              (duck and comp), each v0.3 option alone on (feedback 0.5, ms 1 with link 0,
#              slow_release 1000, listen 1), all eleven at once (duck and comp), and
#              trigger-driven pumping (when the glue has `trigger`), as ratios to the defaults;
#              plus all seven in the silence after the material.
#              The silence section also times duck and comp with all seven on.
# Timing is wall time measured inside Pd with [realtime] around the rendered span only (Pd's
# [cputime] has a 10 ms grain). Benchmarks are not tests: nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out
mkdir -p "$out/faust" "$out/patches"
reps=${BENCH_REPS:-5}
skip=,${BENCH_SKIP:-},
sr=48000
pdcmd=(pd -batch -noprefs -nosound -r $sr -path "$root" -path "$out/faust")

[ -f "$root/sidecar~.pd_linux" ] || { echo "bench: build sidecar~ first (make all)" >&2; exit 1; }

# --- the Faust peer, generated here and never committed (bench/faust-peer.sh; the callgrind
# runs use a build without AVX-512, which valgrind cannot run)
bench/faust-peer.sh "$out/faust"
[[ $skip == *,callgrind,* ]] || bench/faust-peer.sh "$out/faust-cg" "-mno-avx512f"

# awk helpers over whitespace-separated numbers
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

# run_pd KIND N BLOCK GATE_OFF WINDOW... -> "name real_ms cpu_ms" lines
run_pd() {
    local f="$out/patches/$1-$2-$3.pd" log
    "$root/bench/gen-patch.sh" "$@" >"$f"
    log=$(timeout 900 "${pdcmd[@]}" "$f" 2>&1) || { echo "$log" >&2; echo "bench: pd failed on $f" >&2; exit 1; }
    if grep -q "couldn't create\|error:" <<<"$log"; then
        echo "$log" >&2; echo "bench: errors in $f" >&2; exit 1
    fi
    awk '$1 == "bench:" { print $2, $3, $4 }' <<<"$log"
}

# instr KIND N BLOCK GATE SECONDS -> total instructions of the whole pd run
instr() {
    local f="$out/patches/cg-$1-$2-$3-$5.pd" cg="$out/callgrind.out.$1-$2-$3-$5"
    "$root/bench/gen-patch.sh" "$1" "$2" "$3" "$4" "w:0:$5" >"$f"
    timeout 900 valgrind --tool=callgrind --callgrind-out-file="$cg" \
        pd -batch -noprefs -nosound -r $sr -path "$root" -path "$out/faust-cg" "$f" \
        >/dev/null 2>"$cg.log" || { cat "$cg.log" >&2; exit 1; }
    if grep -q "couldn't create\|error:" "$cg.log"; then
        cat "$cg.log" >&2; echo "bench: errors in $f" >&2; exit 1
    fi
    awk '/^(summary|totals):/ { print $2; exit }' "$cg"
}

# time_cfg N BLOCK SECONDS -> sets ns[kind] (per instance per frame, floor subtracted) and
# floor_ns (per frame), medians over $reps interleaved repetitions
declare -A ns
time_cfg() {
    local n=$1 block=$2 secs=$3 kind r ms frames
    local -A samples=()
    frames=$(calc "$secs * $sr" 0)
    for ((r = 0; r < reps; r++)); do
        for kind in floor duck comp faust; do
            ms=$(run_pd $kind "$n" "$block" 0 "w:0.25:$(calc "0.25 + $secs" 4)" | awk '{ print $2 }')
            samples[$kind]="${samples[$kind]:-} $ms"
        done
    done
    local fl
    fl=$(median <<<"${samples[floor]}")
    floor_ns=$(calc "$fl * 1e6 / $frames")
    for kind in duck comp faust; do
        ns[$kind]=$(calc "($(median <<<"${samples[$kind]}") - $fl) * 1e6 / ($frames * $n)")
    done
}

report=$out/report.md
: >"$report"
say() { echo "$*" | tee -a "$report"; }

say "# sidecar~ benchmark"
say
say "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1) (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p')), $(nproc) cores; $(uname -sr)"
say "- Pd $(pd -version 2>&1 | sed -n 's/^Pd-\([^ ]*\).*/\1/p'), $sr Hz, \`pd -batch -nosound\`;" \
    "sidecar~ built with \`make\` ($(gcc --version | head -1), -O3 -funroll-loops, generic x86-64)"
say "- Faust peer: co.compressor_stereo(4, -18, 0.010, 0.100) from Faust $(faust --version | sed -n 's/FAUST Version //p')'s" \
    "library, built by faust2puredata (its own flags: -Ofast -march=native)"
say "- material: a 2 Hz kick ducking a saw pad, made in Pd; floor = the same sources and sinks, no processor"
say "- ns/frame: per instance, floor subtracted, median of $reps; instr/frame: callgrind, marginal" \
    "(the Faust peer rebuilt without AVX-512 for valgrind)"
say

if [[ $skip != *,time,* ]]; then
    say "## Cost per instance vs number of instances (block 64)"
    say
    say "| N | audio s | floor ns/frame | duck ns/frame | comp ns/frame | Faust ns/frame | duck / Faust | comp / Faust |"
    say "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in 1 4 16 64 256; do
        # about the same work in every run: 960 instance-seconds of audio
        secs=$(awk -v n="$n" 'BEGIN { print 960 / n }')
        time_cfg "$n" 64 "$secs"
        say "| $n | $secs | $floor_ns | ${ns[duck]} | ${ns[comp]} | ${ns[faust]} |" \
            "$(calc "${ns[duck]} / ${ns[faust]}") | $(calc "${ns[comp]} / ${ns[faust]}") |"
    done
    say
fi

if [[ $skip != *,block,* ]]; then
    say "## Pd block size (N = 16, 10 s of audio)"
    say
    say "| block | floor ns/frame | duck ns/frame | comp ns/frame | Faust ns/frame | duck / Faust |"
    say "|---:|---:|---:|---:|---:|---:|"
    for block in 1 16 64 1024; do
        time_cfg 16 "$block" 10
        say "| $block | $floor_ns | ${ns[duck]} | ${ns[comp]} | ${ns[faust]} | $(calc "${ns[duck]} / ${ns[faust]}") |"
    done
    say
fi

if [[ $skip != *,silence,* ]]; then
    # 10 s of material, then 85 s of exact silence; 1 s windows. A state variable decaying
    # towards 0 turns denormal at some point in that span (a double one-pole at 20 Hz after
    # ~6 s, the gain smoother in dB after ~70 s): any slow-down shows as a bump in a window.
    wins=()
    for ((w = 0; w < 10; w++)); do wins+=("m$w:$(calc "0.25 + $w" 2):$(calc "1.25 + $w" 2)"); done
    for ((w = 0; w < 85; w++)); do wins+=("s$w:$((10 + w)).5:$((11 + w)).5"); done
    declare -A win=()
    : >"$out/silence-windows.txt"
    for ((r = 0; r < reps; r++)); do
        for kind in floor duck comp faust duck+all comp+all; do
            res=$(run_pd $kind 16 64 10.25 "${wins[@]}")
            while read -r name ms _; do
                win[$kind.$name]="${win[$kind.$name]:-} $ms"
            done <<<"$res"
        done
    done
    # per window: median over reps, floor subtracted, per instance per frame
    declare -A sil_mat sil_med sil_max sil_at
    for kind in duck comp faust duck+all comp+all; do
        mats="" sils=""
        for ((w = 0; w < 10; w++)); do
            mats="$mats $(calc "($(median <<<"${win[$kind.m$w]}") - $(median <<<"${win[floor.m$w]}")) * 1e6 / ($sr * 16)")"
        done
        for ((w = 0; w < 85; w++)); do
            sils="$sils $(calc "($(median <<<"${win[$kind.s$w]}") - $(median <<<"${win[floor.s$w]}")) * 1e6 / ($sr * 16)")"
        done
        echo "$kind material:$mats" >>"$out/silence-windows.txt"
        echo "$kind silence:$sils" >>"$out/silence-windows.txt"
        sil_mat[$kind]=$(calc "$(median <<<"$mats")")
        sil_med[$kind]=$(calc "$(median <<<"$sils")")
        read -r sil_max[$kind] sil_at[$kind] < <(echo "$sils" | awk '{ m = $1; at = 0; for (i = 2; i <= NF; i++) if ($i > m) { m = $i; at = i - 1 } print m, at }')
    done
    say "## After the material: silence (N = 16, block 64; per instance ns/frame, 1 s windows)"
    say
    say "| | material (median) | silence (median) | silence (worst window, s after end) |"
    say "|---|---:|---:|---:|"
    for kind in duck comp faust duck+all comp+all; do
        say "| ${kind/+all/, all seven options} | ${sil_mat[$kind]} | ${sil_med[$kind]} | ${sil_max[$kind]} (${sil_at[$kind]} s) |"
    done
    say
fi

if [[ $skip != *,callgrind,* ]]; then
    command -v valgrind >/dev/null || { echo "bench: valgrind missing" >&2; exit 1; }
    # marginal N BLOCK GATE T1 T2 -> sets ipf[kind], instructions per frame per instance
    declare -A ipf
    marginal() {
        local n=$1 block=$2 gate=$3 t1=$4 t2=$5 kind fl
        local -A d
        for kind in floor duck comp faust; do
            d[$kind]=$(($(instr $kind "$n" "$block" "$gate" "$t2") - $(instr $kind "$n" "$block" "$gate" "$t1")))
        done
        fl=${d[floor]}
        floor_ipf=$(calc "$fl / (($t2 - $t1) * $sr)" 1)
        for kind in duck comp faust; do
            ipf[$kind]=$(calc "(${d[$kind]} - $fl) / (($t2 - $t1) * $sr * $n)" 1)
        done
    }
    say "## Instructions per frame per instance (callgrind, marginal, N = 16)"
    say
    say "| span | floor instr/frame | duck | comp | Faust |"
    say "|---|---:|---:|---:|---:|"
    marginal 16 64 0 0.5 1.5
    say "| material, block 64 | $floor_ipf | ${ipf[duck]} | ${ipf[comp]} | ${ipf[faust]} |"
    marginal 16 64 1 4 5
    say "| silence 3-4 s after the material, block 64 | $floor_ipf | ${ipf[duck]} | ${ipf[comp]} | ${ipf[faust]} |"
    for block in 1 16 1024; do
        marginal 16 "$block" 0 0.5 1.5
        say "| material, block $block | $floor_ipf | ${ipf[duck]} | ${ipf[comp]} | ${ipf[faust]} |"
    done
    say
    say "Hot spots of the duck run: \`callgrind_annotate bench/out/callgrind.out.duck-16-64-1.5\`"
    say
fi

if [[ $skip != *,options,* ]]; then
    command -v valgrind >/dev/null || { echo "bench: valgrind missing" >&2; exit 1; }
    # the same marginal figure as above, for any KIND of gen-patch.sh: ipf_of KIND N BLOCK GATE
    # T1 T2 (floor_delta must hold the floor's difference for the same N, BLOCK, GATE, T1, T2)
    ipf_of() {
        local d=$(($(instr "$1" "$2" "$3" "$4" "$6") - $(instr "$1" "$2" "$3" "$4" "$5")))
        calc "($d - $floor_delta) / (($6 - $5) * $sr * $2)" 1
    }
    # does this build's glue have the `trigger` message? (a one-instance run, errors counted)
    "$root/bench/gen-patch.sh" duck+trigger 1 64 0 w:0:0.6 >"$out/patches/probe-trigger.pd"
    has_trigger=1
    "${pdcmd[@]}" "$out/patches/probe-trigger.pd" 2>&1 | grep -q "error:" && has_trigger=0
    say "## What each option costs when on (callgrind, marginal instr/frame per instance, N = 16, block 64)"
    say
    say "Material: the kick/pad patch above, 0.5..1.5 s; silence: 3..4 s after the material stops."
    say
    say "| setting | flags | instr/frame | / defaults |"
    say "|---|---|---:|---:|"
    floor_delta=$(($(instr floor 16 64 0 1.5) - $(instr floor 16 64 0 0.5)))
    declare -A opt_ipf
    # opt_row LABEL KIND FLAGS BASE: one row of the table: KIND measured (and kept in opt_ipf),
    # its FLAGS, and its cost over BASE's
    opt_row() {
        opt_ipf[$2]=$(ipf_of "$2" 16 64 0 0.5 1.5)
        say "| $1 |${3:+ \`$3\`} | ${opt_ipf[$2]} | $(calc "${opt_ipf[$2]} / ${opt_ipf[$4]}") |"
    }
    opt_row "duck defaults" duck "" duck
    opt_row "comp defaults" comp "-mode comp" comp
    rows=("range:-range 12" "hold:-hold 50" "lookahead:-lookahead 5" "mix:-mix 0.5" "rms:-rms 10"
        "link:-link 0.5" "sc_lpf:-sc_lpf 150")
    for row in "${rows[@]}"; do opt_row "duck, ${row%%:*}" "duck+${row%%:*}" "${row#*:}" duck; done
    all7='-range 12 -hold 50 -lookahead 5 -mix 0.5 -rms 10 -link 0.5 -sc_lpf 150'
    for kind in duck comp; do opt_row "$kind, all seven" "$kind+all" "$all7" "$kind"; done
    # the kick is a mono key: with link below 1 both channels' detectors then agree and run once;
    # a stereo key (the mix of each side on MAIN L and R), with its own defaults as the measure
    opt_row "duck defaults, a stereo key (the mix of each side on MAIN L and R)" duck+stereo "" \
        duck+stereo
    opt_row "duck, all seven, the stereo key" duck+all_stereo "$all7" duck+stereo
    # v0.3: each option alone, then all eleven (the seven and the four) at once
    rows03=("feedback:-feedback 0.5" "ms:-ms 1 -link 0" "slow_release:-slow_release 1000"
        "listen:-listen 1")
    for row in "${rows03[@]}"; do opt_row "duck, ${row%%:*}" "duck+${row%%:*}" "${row#*:}" duck; done
    all11="$all7 -feedback 0.5 -ms 1 -slow_release 1000 -listen 1"
    for kind in duck comp; do opt_row "$kind, all eleven" "$kind+all11" "$all11" "$kind"; done
    if ((has_trigger)); then
        opt_row "duck, trigger-driven (no key, \`trigger 24\` at 2 Hz)" duck+trigger "-hold 50" duck
    else
        say "| duck, trigger-driven | \`-hold 50\` | n/a: this glue has no \`trigger\` message | |"
    fi
    floor_delta=$(($(instr floor 16 64 1 5) - $(instr floor 16 64 1 4)))
    for kind in duck comp duck+all comp+all duck+feedback duck+all11 comp+all11; do
        v=$(ipf_of "$kind" 16 64 1 4 5)
        name=${kind/+all11/, all eleven}
        say "| silence: ${name/+all/, all seven} | | $v | $(calc "$v / ${opt_ipf[$kind]}") of its material |"
    done
    say
    say "Hot spots: \`callgrind_annotate bench/out/callgrind.out.duck+all-16-64-1.5\`" \
        "(build with -g for lines: \`make CFLAGS=\"-Wall -Wextra -O3 -funroll-loops -fomit-frame-pointer -g\"\`)"
    say
fi
say "Reproduce: \`make bench\` (report in bench/out/report.md)"

#!/bin/bash
# Multichannel (SPEC.md, "Multichannel"), in Pd 0.55 (the chroot build/pd-0.55, through
# tests/pd-run.sh) and Pd 0.53 (this machine's pd):
#   - 0.55: every strip of a multichannel [sidecar~] is bit-identical to a one-channel instance
#     fed that strip's channels, in the same patch (tests/patches/multichannel.py writes the
#     patches): all inlets multichannel, broadcast of a one-channel signal, mixed channel
#     counts, normalling, CV channels, messages; connections made and removed while DSP runs
#     (strip 0 keeps its state, new strips start fresh with strip 0's knobs, dropped channels
#     are gone); one console error per clamped value, not one per strip; print shows the
#     channels and the latency;
#   - 0.55 under valgrind memcheck: the chroot's Pd binary runs on this machine's libraries, so
#     the host's valgrind runs it directly (valgrind is not in the chroot); objects with
#     multichannel strips created, rewired and deleted while DSP runs: no memory error and no
#     definite leak whose stack mentions sidecar;
#   - 0.53: the object loads, creates and runs with one channel, and print says so.
#   MC_SECTIONS="static dynamic ..."  only those sections (default all: static dynamic h055
#   pd053 help valgrind); MC_PD=<a Pd of tests/pd-run.sh> runs static and dynamic in that Pd
#   instead of 0.55, MC_OUT=<folder> instead of tests/out/mc: make check-ports runs the strips
#   in the Windows Pd 0.56 (multichannel found with GetProcAddress) and the ARM Pds this way.
set -u
. tests/lib.sh
cd "$(dirname "$0")/../.." || exit 2
out=${MC_OUT:-tests/out/mc}
sections=" ${MC_SECTIONS:-static dynamic h055 pd053 help valgrind} "
want() { [[ "$sections" == *" $1 "* ]]; }
mcpd=${MC_PD:-0.55}
rm -rf "$out"
mkdir -p "$out"

if [ ! -f sidecar~.pd_linux ]; then
    echo "FAIL mc/object: sidecar~.pd_linux is not built (make all)"
    exit 0
fi
if ! python3 tests/patches/multichannel.py "$out" >"$out/gen.log" 2>&1; then
    echo "FAIL mc/generate: $(tail -n 1 "$out/gen.log")"
    exit 0
fi

# run VERSION TAG PATCH...: one Pd run (tests/lib.sh's pd_checks: its checks, exit, ran,
# creates, and no object may refuse multichannel input); ${first:-.} is where Pd looks for
# sidecar~ first (the project folder unless set)
run() {
    local version=$1 tag=$2; shift 2
    pd_checks "$version" "$tag" "$out/$tag.log" -r 48000 -path "${first:-.}" -path . \
        -path tests/patches "$@"
}
# section LOG NAME: the console lines after "MARK <NAME>" up to the next MARK line
section() { awk -v m="MARK $2" '$0 == m { on = 1; next } /^MARK / { on = 0 } on' "$1"; }
# one_error NAME LOG MARK TOKEN...: exactly one console error after MARK, containing every TOKEN
one_error() {
    local name=$1 log=$2 mark=$3; shift 3
    local sec n
    sec=$(section "$log" "$mark")
    n=$(printf '%s\n' "$sec" | grep -c '^error:')
    if [ "$n" -ne 1 ]; then
        echo "FAIL $name: $n console errors, want exactly 1 (one per message, not per strip)"
        return
    fi
    local line
    line=$(printf '%s\n' "$sec" | grep '^error:')
    for tok in "$@"; do
        if ! printf '%s\n' "$line" | grep -q -w -F -e "$tok"; then
            echo "FAIL $name: the error does not mention '$tok': $line"
            return
        fi
    done
    echo "PASS $name"
}

# ---- strips against one-channel instances ------------------------------------------------------
if want static; then
run "$mcpd" static "$out/mc-static.pd"
log=$out/static.log
one_error console/clamp_threshold_once "$log" clamp_threshold threshold 5 -60
one_error console/clamp_lookahead_once "$log" clamp_lookahead lookahead 50 20
one_error console/clamp_trigger_once "$log" clamp_trigger trigger 200 120
one_error console/bad_trigger_missing "$log" bad_trigger trigger
one_error console/bad_trigger_symbol "$log" bad_trigger_symbol trigger
one_error console/bad_trigger_two_numbers "$log" bad_trigger_two trigger
one_error console/bad_mode_once "$log" bad_mode mode
pr=$(section "$log" print)
if printf '%s\n' "$pr" | grep -q -E '^ *channels: 3( |$)' &&
    printf '%s\n' "$pr" | grep -q -E '^ *latency: 960 samples \(20 ms\)'; then
    echo "PASS console/print_channels_latency"
else
    echo "FAIL console/print_channels_latency: want 'channels: 3' and 'latency: 960 samples (20 ms)' in:"
    printf '%s\n' "$pr" | sed 's/^/  /'
fi
n=$(grep '^error:' "$log" | grep -v -c 'sidecar~')
if [ "$n" -eq 0 ]; then echo "PASS console/static_no_other_errors"
else echo "FAIL console/static_no_other_errors: $(grep '^error:' "$log" | grep -v -m1 'sidecar~')"; fi
n=$(awk '/^MARK console_begin$/ { on = 1 } /^MARK console_end$/ { on = 0; next } !on' "$log" | grep -c '^error:')
if [ "$n" -eq 0 ]; then echo "PASS console/no_errors_outside_the_console_checks"
else echo "FAIL console/no_errors_outside_the_console_checks: $n"; fi

fi
# ---- connections made and removed while DSP runs ------------------------------------------------
if want dynamic; then
run "$mcpd" dynamic "$out/mc-dynamic.pd"
log=$out/dynamic.log
for step in three:3 one:1 three_again:3; do
    mark=${step%:*} want=${step#*:}
    if section "$log" "$mark" | grep -q -E "^ *channels: $want( |\$)"; then
        echo "PASS console/dynamic_${mark}_channels_$want"
    else
        echo "FAIL console/dynamic_${mark}_channels_$want: print after the change says: $(section "$log" "$mark" | grep -m1 channels)"
    fi
done
if grep -q '^error:' "$log"; then echo "FAIL console/dynamic_no_errors: $(grep -m1 '^error:' "$log")"
else echo "PASS console/dynamic_no_errors"; fi

fi
# ---- built against Pd 0.54+ headers (signal_setmultiout and s_nchans used directly) ------------
if want h055; then
# Needs the chroot's puredata-dev (build/pd-0.55/usr/include/pd); without it, a FAIL.
inc=${PD055_INCLUDE:-build/pd-0.55/usr/include/pd} # (PD055_INCLUDE: other headers to try)
if [ -f "$inc/m_pd.h" ]; then
    dir=$out/h055
    mkdir -p "$dir/dsp"
    cp Makefile sidecar~.c "$dir/"
    cp dsp/*.c dsp/*.h "$dir/dsp/"
    if make -B -C "$dir" PDINCLUDEDIR="$(realpath "$inc")" >"$dir/build.log" 2>&1 && [ -f "$dir/sidecar~.pd_linux" ]; then
        if grep -i -E 'warning|error' "$dir/build.log" | grep -v -E '^\+\+\+\+' | grep -q .; then
            echo "FAIL h055/build_warnings: $(grep -i -m1 -E 'warning|error' "$dir/build.log")"
        else
            echo "PASS h055/build"
        fi
        first=$dir run 0.55 h055 -verbose "$out/mc-static.pd"
        if grep 'succeeded' "$out/h055.log" | grep -q -F "$dir/sidecar~"; then
            echo "PASS h055/this_build_loaded"
        else
            echo "FAIL h055/this_build_loaded: Pd did not load $dir/sidecar~.pd_linux"
        fi
    else
        echo "FAIL h055/build: make against $inc failed (see $dir/build.log)"
    fi
else
    echo "FAIL h055/headers: no Pd 0.54+ headers in $inc (puredata-dev in the chroot: scripts/pd-chroot.sh installs it), so the build against them cannot be tested"
fi

fi
# ---- Pd 0.53: one channel, as before -----------------------------------------------------------
if want pd053; then
cat >"$out/one53.pd" <<'PATCH'
#N canvas 0 0 500 300 12;
#X obj 10 10 osc~ 24000;
#X obj 10 60 sidecar~ -lookahead 10;
#X obj 10 110 expect~ check mc53_runs_env 0.750288 0.001;
#X obj 200 10 finish 500;
#X obj 200 60 r check;
#X msg 200 110 print;
#X connect 0 0 1 0;
#X connect 1 2 2 0;
#X connect 4 0 5 0;
#X connect 5 0 1 0;
PATCH
run 0.53 pd053 "$out/one53.pd"
if grep -q -E '^ *channels: 1 \(this Pd has no multichannel signals\)' "$out/pd053.log" &&
    grep -q -E '^ *latency: 480 samples \(10 ms\)' "$out/pd053.log"; then
    echo "PASS pd053/print_one_channel"
else
    echo "FAIL pd053/print_one_channel: want 'channels: 1 (this Pd has no multichannel signals)' and 'latency: 480 samples (10 ms)'"
fi
# the same patch in 0.55: one channel too (no multichannel input)
run 0.55 pd055-one "$out/one53.pd"
if grep -q -E '^ *channels: 1 \(' "$out/pd055-one.log"; then echo "PASS pd055-one/print_one_channel"
else echo "FAIL pd055-one/print_one_channel: $(grep -m1 channels "$out/pd055-one.log")"; fi

fi
# ---- the help's [pd multichannel] ------------------------------------------------------------
if want help; then
# 0.55: its example is built, runs, and its object has 3 strips that reduce; 0.53: it loads clean
sub=$out/help-mc-subpatch.pd.txt # the subpatch, cut out of the help patch (nested canvases too)
awk '/^#N canvas .* multichannel [01];$/ && !depth { on = 1 }
     on && /^#N canvas/ { depth++ }
     on { print }
     on && /^#X restore/ { if (--depth == 0) on = 0 }' help/sidecar~-help.pd >"$sub"
if [ ! -s "$sub" ]; then
    echo "FAIL help-mc/exists: no [pd multichannel] in help/sidecar~-help.pd"
else
    # object 39 of the built example is the next one made (37 objects and 2 comments), 17 is
    # its sidecar~
    { echo "#N canvas 0 0 500 300 12;"; cat "$sub"; cat <<'PATCH'
#X obj 10 100 loadbang;
#X msg 10 130 \; sidecar-mc-build bang \; pd dsp 1;
#X obj 10 160 del 800;
#X msg 10 190 \; pd-sidecar-mc-demo obj 10 450 r mctest \; pd-sidecar-mc-demo connect 39 0 17 0 \; mctest print \; pd quit 0;
#X connect 1 0 2 0;
#X connect 1 0 3 0;
#X connect 3 0 4 0;
PATCH
    } >"$out/help-mc.pd"
    tests/pd-run.sh 0.55 30 -batch -noprefs -nosound -r 48000 -path . "$out/help-mc.pd" \
        >"$out/help-mc.log" 2>&1
    rc=$?
    gr=$(grep 'gain reduction' "$out/help-mc.log" | grep -o -E '[0-9]+\.[0-9]+' | tail -n 1)
    if [ "$rc" -ne 0 ]; then echo "FAIL help-mc/runs_055: pd exited $rc"
    elif grep -q '^error' "$out/help-mc.log"; then
        echo "FAIL help-mc/runs_055: $(grep -m1 '^error' "$out/help-mc.log")"
    elif ! grep -q -E '^ *channels: 3 ' "$out/help-mc.log"; then
        echo "FAIL help-mc/runs_055: the example's sidecar~ does not report 3 channels"
    elif ! awk -v g="${gr:-0}" 'BEGIN { exit !(g > 1) }'; then
        echo "FAIL help-mc/runs_055: the example does not duck (gain reduction '${gr}')"
    else
        echo "PASS help-mc/runs_055"
    fi
    { echo "#N canvas 0 0 500 300 12;"; cat "$sub"; echo "#X obj 10 100 quit-soon;"; } \
        >"$out/help-mc053.pd"
    tests/pd-run.sh 0.53 30 -batch -noprefs -nosound -path . -path tests/patches \
        "$out/help-mc053.pd" >"$out/help-mc053.log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && ! grep -q '^error' "$out/help-mc053.log"; then
        echo "PASS help-mc/loads_clean_053"
    else
        echo "FAIL help-mc/loads_clean_053: exit $rc, $(grep -m1 '^error' "$out/help-mc053.log")"
    fi
fi

fi
# ---- valgrind over multichannel patches in Pd 0.55 ---------------------------------------------
if want valgrind; then
pd055=build/pd-0.55/usr/bin/puredata
if ! command -v valgrind >/dev/null; then
    echo "FAIL valgrind/installed: valgrind not installed (scripts/install-deps.sh check)"
    exit 0
fi
if ! timeout 20 "$pd055" -version >/dev/null 2>&1; then
    echo "FAIL valgrind/pd055_on_host: $pd055 does not run outside its chroot here, so the host's valgrind cannot run it"
    exit 0
fi
for patch in memory dynamic static; do
    vlog="$out/valgrind-$patch.log"
    timeout 600 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --num-callers=30 --log-file="$vlog" \
        "$pd055" -batch -noprefs -nosound -r 48000 -path . -path tests/patches \
        "$out/mc-$patch.pd" >"$out/valgrind-$patch.pd.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL valgrind/$patch-run: pd under valgrind exited $rc (124 = timeout)"
        tail -n 10 "$out/valgrind-$patch.pd.log" | sed 's/^/  /'
    elif grep -q -e "couldn't create" -e '^FAIL' "$out/valgrind-$patch.pd.log"; then
        echo "FAIL valgrind/$patch-run: $(grep -m1 -e "couldn't create" -e '^FAIL' "$out/valgrind-$patch.pd.log")"
    else
        echo "PASS valgrind/$patch-run"
    fi
    # records (blank-line separated) that are errors or definite leaks, and which mention us
    awk '/^==[0-9]+== $/ { if (rec != "") print rec "\n@@"; rec = ""; next }
         { rec = rec $0 "\n" }
         END { if (rec != "") print rec "\n@@" }' "$vlog" |
        awk -v RS='@@' -v ORS='@@' '/(Invalid|uninitialised|Mismatched|overlap|definitely lost in)/' \
            >"$out/valgrind-$patch.records"
    # ours: a frame in our binary or one of our functions (not merely a path that contains
    # "sidecar", such as a clone in /root/sidecar)
    mine='sidecar~[.][a-z_0-9.-]*(so|pd_linux)|sidecar_[a-z]'
    ours=$(awk -v RS='@@' -v re="$mine" '$0 ~ re { n++ } END { print n + 0 }' "$out/valgrind-$patch.records")
    summary=$(grep -m1 'ERROR SUMMARY' "$vlog" | sed 's/^==[0-9]*== //')
    if [ -z "$summary" ]; then
        echo "FAIL valgrind/$patch-sidecar_clean: no valgrind summary in $vlog"
    elif [ "$ours" -gt 0 ]; then
        echo "FAIL valgrind/$patch-sidecar_clean: $ours memcheck report(s) involving sidecar~ ($summary)"
        awk -v RS='@@' -v re="$mine" '$0 ~ re' "$out/valgrind-$patch.records" | head -n 40 | sed 's/^/  /'
    else
        echo "PASS valgrind/$patch-sidecar_clean"
        echo "    ($summary; reports from Pd itself, if any, do not count)"
    fi
done
fi
exit 0

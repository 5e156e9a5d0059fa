#!/bin/bash
# Regression patches run in real Pd (pd -batch): tests/patches/test-*.pd. Each patch prints
# "PASS name" / "FAIL name: why" lines through [expect] and quits with status 0 or 1; this
# script prefixes them with the run's tag, checks the exit status agrees, and greps the console
# (Pd's stderr) for the errors the spec requires: clamped values name the parameter, the value
# and the range; malformed messages and flags are reported; nothing fails to create.
#   PATCH_SECTIONS="flags messages ..."  only those sections (default: all of them: flags
#   messages params03 normalling robust blocksize timing flagvalue help); make check-ports runs the
#   malformed-input and help sections in each port's Pd this way.
set -u
. tests/lib.sh
sections=" ${PATCH_SECTIONS:-flags messages params03 normalling robust blocksize timing flagvalue help} "
want() { [[ "$sections" == *" $1 "* ]]; }
out=${OUT:-tests/out}/patches
mkdir -p "$out"
rm -f "$out"/*.wav "$out"/*.log

if [ ! -f sidecar~.pd_linux ]; then
    echo "FAIL patches/object: sidecar~.pd_linux is not built (make all)"
    exit 0
fi

# run TAG RATE PATCH...: one Pd run (tests/lib.sh's pd_checks: its checks, exit, ran, creates)
run() {
    local tag=$1 rate=$2; shift 2
    pd_checks "${PD_VERSION:-0.53}" "$tag" "$out/$tag.log" -r "$rate" -path . "$@"
}

# error_line NAME TEXT TOKEN...: TEXT has an "error:" line containing every TOKEN (as a word)
error_line() {
    local name=$1 text=$2; shift 2
    local lines
    lines=$(printf '%s\n' "$text" | grep '^error:')
    for tok in "$@"; do lines=$(printf '%s\n' "$lines" | grep -w -F -e "$tok"); done
    if [ -n "$lines" ]; then echo "PASS $name"
    else echo "FAIL $name: no console error mentioning: $*"; fi
}

# between LOG MARK: the console lines between "MARK <MARK>_begin" and "MARK <MARK>_end"
between() { sed -n "/^MARK $2_begin\$/,/^MARK $2_end\$/p" "$1"; }
# section LOG NAME: the console lines after "MARK <NAME>" up to the next MARK line
section() { awk -v m="MARK $2" '$0 == m { on = 1; next } /^MARK / { on = 0 } on' "$1"; }
# reset_no_error LOG MARK NAME: the `reset` in LOG's section MARK posted no error
reset_no_error() {
    if [ -z "$(section "$1" "$2" | grep '^error')" ]; then echo "PASS console/$3"
    else echo "FAIL console/$3: 'reset' posted an error"; fi
}
# bad_messages LOG MARK NAME < LIST: line i of LIST is a malformed message whose section
# MARK_<i> of LOG must hold a sidecar~ error (check NAME_<i>)
bad_messages() {
    local i=0 msg n
    while read -r msg; do
        n=$(section "$1" "$2_$i" | grep -c '^error:.*sidecar~')
        if [ "$n" -ge 1 ]; then echo "PASS console/$3_$i"
        else echo "FAIL console/$3_$i: no sidecar~ error for the malformed message '$msg'"; fi
        i=$((i + 1))
    done
}

# ---- creation flags ------------------------------------------------------------------------
if want flags; then
run flags 48000 tests/patches/test-flags.pd
# each object of test-flags.pd is created once more after a "MARK flag_<i>" console line
flag_section() { awk -v m="MARK flag_$1" 'index($0, m " ") == 1 { on = 1; next } /^MARK / { on = 0 } on' "$out/flags.log"; }
for i in 0 1 2 3 4 5 6 7 8 9 10; do # valid flags: silent
    n=$(flag_section "$i" | grep -c '^error')
    if [ "$n" -eq 0 ]; then echo "PASS console/flag_${i}_valid_is_silent"
    else echo "FAIL console/flag_${i}_valid_is_silent: $(flag_section "$i" | grep -m1 '^error')"; fi
done
# out of range: one error per value, naming the flag, the value and the range
clamped() { # INDEX NAME WANT-ERRORS (then TOKEN... per error, ';' between errors)
    local i=$1 name=$2 want=$3; shift 3
    local sec n
    sec=$(flag_section "$i"); n=$(printf '%s\n' "$sec" | grep -c '^error')
    if [ "$n" -ne "$want" ]; then
        echo "FAIL console/flag_$name: $n console errors, want $want (one per clamped value)"; return
    fi
    local toks=()
    for t in "$@" ';'; do
        if [ "$t" = ';' ]; then error_line "console/flag_${name}_${toks[0]}" "$sec" "${toks[@]}"; toks=()
        else toks+=("$t"); fi
    done
}
clamped 11 clamp_threshold 1 threshold 5 -60
clamped 12 clamp_threshold_ratio 2 threshold -100 -60 ';' ratio 50 20
clamped 13 clamp_makeup_inputLevel 2 makeup 40 24 ';' inputLevel 3 2
# malformed: an error that names the culprit
error_line console/flag_bad_leading_junk "$(flag_section 14)" foo
error_line console/flag_bad_unknown_flag "$(flag_section 15)" bogus
error_line console/flag_bad_symbol_value "$(flag_section 16)" threshold
error_line console/flag_bad_mode "$(flag_section 17)" mode
error_line console/flag_bad_missing_value "$(flag_section 18)" ratio
error_line console/flag_bad_trailing_number "$(flag_section 19)" 12

fi
# ---- messages --------------------------------------------------------------------------------
if want messages; then
run messages 48000 tests/patches/test-messages.pd
# clamped messages: exactly one error each, naming the parameter, the value and the range
i=0
while read -r name value range; do
    # (Pd on Windows formats its console lines with msvcrt's _vsnprintf, which writes 1e+006
    # for 1e+06: read exponents as two digits)
    sec=$(section "$out/messages.log" "clamp_$i" | sed -E 's/([0-9]e[-+])0([0-9][0-9])/\1\2/g')
    n=$(printf '%s\n' "$sec" | grep -c '^error:')
    if [ "$n" -eq 1 ]; then error_line "console/msg_clamp_$name" "$sec" "$name" "$value" "$range"
    else echo "FAIL console/msg_clamp_$name: $n console errors for '$name $value' (want exactly 1)"; fi
    i=$((i + 1))
done <<'LIST'
threshold 5 -60
attack 0 0.1
sc_hpf 5000 1000
ratio 0.5 20
release 1e+06 2000
envMag 9 2
inputLevel -1 2
makeup 30 24
knee 25 24
range 200 120
hold 5000 1000
lookahead 50 20
mix 2 1
rms 1000 300
link -1 0
sc_lpf 5 20
trigger 200 120
LIST
reset_no_error "$out/messages.log" clamp_17 msg_reset_no_error

# malformed messages (the same list as in test-messages.pd): an error each
bad_messages "$out/messages.log" bad msg_bad <<'LIST'
threshold
threshold 1 2
threshold foo
foo 1
mode foo
mode
mode duck comp
mode 1
ratio
knee 3 x
envMag
bang
reset 1
print 1
trigger
trigger foo
trigger 1 2
hold
sc_lpf x
lookahead 1 2
LIST

pr=$(between "$out/messages.log" print)
missing=""
for w in comp -30 threshold ratio attack release knee envMag inputLevel makeup sc_hpf range hold \
    lookahead mix rms link sc_lpf feedback ms slow_release listen audio_l_in sc_l_in; do
    printf '%s\n' "$pr" | grep -q -w -F -e "$w" || missing="$missing $w"
done
if [ -z "$missing" ]; then echo "PASS console/print_contents"
else echo "FAIL console/print_contents: the print output lacks:$missing"; fi
# the 0.3 parameters each on a line of their own ("ms" alone would match the unit)
missing=""
for w in feedback ms slow_release listen; do
    printf '%s\n' "$pr" | grep -q -E "^ *$w( |:|=|\$)" || missing="$missing $w"
done
if [ -z "$missing" ]; then echo "PASS console/print_contents_v03"
else echo "FAIL console/print_contents_v03: no print line starts with:$missing"; fi
if printf '%s\n' "$pr" | grep -q -w -e audio_r_in -e sc_r_in; then
    echo "FAIL console/print_patched: lists an unconnected inlet as patched"
else echo "PASS console/print_patched"; fi
if printf '%s\n' "$pr" | grep -q -E '^ *latency: 240 samples \(5 ms\)'; then
    echo "PASS console/print_latency"
else echo "FAIL console/print_latency: want 'latency: 240 samples (5 ms)' (lookahead 5 at 48 kHz) in the print"; fi
gr=$(printf '%s\n' "$pr" | grep -i 'reduction' | grep -o -E '[0-9]+(\.[0-9]+)?' | tail -n 1)
if [ -n "$gr" ] && awk -v g="$gr" 'BEGIN { exit !(g > 5 && g < 40) }'; then
    echo "PASS console/print_gain_reduction"
else echo "FAIL console/print_gain_reduction: want a reduction of 5..40 dB in the print, got '${gr}'"; fi

fi
# ---- the 0.3 parameters: flag = message, each acts, clamps, malformed messages and flags -------
# (tests/patches/test-params03.pd, written by make-test-params03.py)
if want params03; then
run params03 48000 tests/patches/test-params03.pd
p03log=$out/params03.log
i=0
while read -r name value limit; do # clamped messages: exactly one error each, naming all three
    sec=$(section "$p03log" "p03clamp_$i")
    n=$(printf '%s\n' "$sec" | grep -c '^error:')
    if [ "$n" -eq 1 ]; then error_line "console/p03_msg_clamp_${name}_$value" "$sec" "$name" "$value" "$limit"
    else echo "FAIL console/p03_msg_clamp_${name}_$value: $n console errors for '$name $value' (want exactly 1)"; fi
    i=$((i + 1))
done <<'LIST'
feedback -1 0
feedback 2 1
ms -3 0
ms 5 1
slow_release -3 0
slow_release 9000 5000
listen -2 0
listen 3 1
LIST
reset_no_error "$p03log" p03clamp_8 p03_reset_no_error
# malformed messages: an error each (and test-params03 checks nothing changed)
bad_messages "$p03log" p03bad p03_msg_bad <<'LIST'
feedback
feedback 1 2
feedback x
ms
ms on
ms 1 2
slow_release
slow_release fast
slow_release 1 2
listen
listen on
listen 1 0
slow-release 100
fb 1
LIST
if [ -z "$(between "$p03log" p03bad | grep -v '^MARK' | grep -v '^error:.*sidecar~')" ] &&
    [ "$(between "$p03log" p03bad | sed -n '2p')" = "MARK p03bad_0" ]; then
    echo "PASS console/p03_good_messages_silent"
else echo "FAIL console/p03_good_messages_silent: the valid messages before p03bad_0 posted something"; fi
# flags: clamped ones give one error naming flag, value and limit; malformed ones an error
# naming the culprit; valid ones are silent
p03flag() { awk -v m="MARK p03flag_$1" '$0 == m { on = 1; next } /^MARK / { on = 0 } on' "$p03log"; }
for spec in "0 feedback 2 1" "1 ms 5 1" "2 slow_release 9000 5000" "3 listen -1 0"; do
    set -- $spec
    n=$(p03flag "$1" | grep -c '^error')
    if [ "$n" -eq 1 ]; then error_line "console/p03_flag_clamp_$2" "$(p03flag "$1")" "$2" "$3" "$4"
    else echo "FAIL console/p03_flag_clamp_$2: $n console errors (want exactly 1)"; fi
done
for spec in "4 feedback" "5 ms" "6 slow_release" "7 2"; do
    set -- $spec
    error_line "console/p03_flag_bad_$1" "$(p03flag "$1")" "$2"
done
for i in 8 9; do
    if [ "$(p03flag "$i" | grep -c '^error')" -eq 0 ]; then echo "PASS console/p03_flag_${i}_valid_is_silent"
    else echo "FAIL console/p03_flag_${i}_valid_is_silent: $(p03flag "$i" | grep -m1 '^error')"; fi
done
set --
fi

# ---- normalling, incl. connections made and removed while DSP runs ----------------------------
if want normalling; then
run normalling 48000 tests/patches/test-normalling.pd

fi
# ---- NaN and Inf on detector and CV inlets ------------------------------------------------------
if want robust; then
run robust 48000 tests/patches/test-robust.pd

fi
# ---- block sizes 1, 64, 1024, and two runs: byte-identical renders -----------------------------
if want blocksize; then
# blockrender.pd writes its renders to tests/out/patches (a path fixed in the patch): each run's
# are moved into $out (per Pd) as soon as it ends
renders=tests/out/patches
mkdir -p "$renders"
collect() { for b in b1 b64 b1024 a1 a16 a64 a1024; do [ -f "$renders/render-$b.wav" ] && mv "$renders/render-$b.wav" "$out/$1-$b.wav"; done; }
rm -f "$renders"/render-*.wav
run blocksize 48000 tests/patches/test-blocksize.pd
collect run1
run blocksize-again 48000 tests/patches/test-blocksize.pd
collect run2
same renders/block1_equals_block64 "$out/run1-b1.wav" "$out/run1-b64.wav"
same renders/block1024_equals_block64 "$out/run1-b1024.wav" "$out/run1-b64.wav"
# every option on, the 0.3 ones too (feedback: the detector depends on the previous sample's gain)
for b in a1 a16 a1024; do same "renders/all_options_${b#a}_equals_64" "$out/run1-$b.wav" "$out/run1-a64.wav"; done
for b in b1 b64 b1024 a1 a16 a64 a1024; do same "renders/two_runs_identical_$b" "$out/run1-$b.wav" "$out/run2-$b.wav"; done

fi
# ---- time constants at several sample rates, block 1, overlap, up-sampling ---------------------
if want timing; then
for rate in 44100 48000 96000 192000; do
    run "timing@$rate" "$rate" tests/patches/test-timing.pd
done

fi
# ---- a flag's bad value that looks like a flag: one error naming what was given --------------
if want flagvalue; then
# (`-threshold -24dB` is the flag's bad value, not an unknown flag; `-ratio 8` after it still
# applies, checked through print)
cat >"$out/flagvalue.pd" <<'PATCH'
#N canvas 0 0 400 300 12;
#X obj 10 10 sidecar~ -threshold -24dB -ratio 8;
#X obj 10 50 sidecar~ -mode Comp -knee 3;
#X obj 10 90 loadbang;
#X msg 10 120 print;
#X msg 10 150 \; pd quit 0;
#X connect 2 0 3 0;
#X connect 2 0 4 0;
#X connect 3 0 0 0;
#X connect 3 0 1 0;
PATCH
nochecks=1 run flagvalue 48000 "$out/flagvalue.pd"
n=$(grep -c '^error' "$out/flagvalue.log")
if [ "$n" -eq 2 ]; then echo "PASS console/flag_value_like_a_flag_one_error_each"
else echo "FAIL console/flag_value_like_a_flag_one_error_each: $n console errors, want 2"; fi
error_line console/flag_value_named_threshold "$(cat "$out/flagvalue.log")" -threshold -24dB
error_line console/flag_value_named_mode "$(cat "$out/flagvalue.log")" -mode Comp
if grep -q '^ *ratio *8 ' "$out/flagvalue.log" && grep -q '^ *knee *3 ' "$out/flagvalue.log"; then
    echo "PASS console/flags_after_a_bad_value_apply"
else
    echo "FAIL console/flags_after_a_bad_value_apply: ratio 8 / knee 3 not in print"
fi

fi
# ---- the help patch opens cleanly ---------------------------------------------------------------
if want help; then
help=help/sidecar~-help.pd
if [ ! -f "$help" ]; then
    echo "FAIL help/opens: $help does not exist"
else
    nochecks=1 run help 48000 -open "$help" tests/patches/quit-soon.pd
    if grep -q '^error' "$out/help.log"; then
        echo "FAIL help/no_errors: $(grep -m1 '^error' "$out/help.log")"
    else
        echo "PASS help/no_errors"
    fi
fi
fi
exit 0

#!/bin/bash
# sidecar-panel~, the faceplate abstraction, in real Pd (pd -batch; Pd 0.53 and 0.55):
#   - the committed sidecar-panel~.pd is what scripts/panel.py writes (edit the script, not the
#     patch);
#   - a panel with flags renders bit-identically to a bare sidecar~ with the same flags (both
#     modes, every option, the normalling cases, floats on the CV inlets, flag aliases);
#   - the mouse (clicks and a drag sent as the canvas's mouse messages, as Pd's GUI does) moves
#     the controls, and the object follows them (Pd 0.53: 0.55's batch mode has no editor);
#   - messages to the panel's left inlet change the sound exactly as they do for the object, and
#     the panel's controls follow them (read back with "state NAME", clamped like the object,
#     malformed ones ignored); two copies of a user abstraction holding a panel keep their own;
#   - save and reopen: two panels (one in a subpatch) set by messages, saved by `menusave` in
#     batch mode, reopened: the same render, bit for bit, and the saved settings win over the
#     creation flags; without the messages the render differs (so the test can fail);
#   - the gain-reduction meter shows 24 * env_out / envMag (knob and CV), read with "meter NAME";
#   - the panel opens and runs with an empty console;
#   - right-click > Help on a panel (done-popup) leaves help/sidecar-panel~-help.pd alone open,
#     from the source tree (also with the help already open) and from an install;
#   - Pd 0.55: with multichannel inputs the panel gives the same channels as the object.
# tests/patches/panel.py writes the patches; files stay in $OUT/panel/.
set -u
. tests/lib.sh
cd "$(dirname "$0")/../.." || exit 2
out=${OUT:-tests/out}/panel
rm -rf "$out"
mkdir -p "$out"
pdv=${PD_VERSION:-0.53}

if [ ! -f sidecar~.pd_linux ]; then
    echo "FAIL panel/object: sidecar~.pd_linux is not built (make all)"
    exit 0
fi
if [ ! -f sidecar-panel~.pd ]; then
    echo "FAIL panel/exists: sidecar-panel~.pd is missing"
    exit 0
fi

# ---- the patch is the generator's output --------------------------------------------------------
if python3 scripts/panel.py "$out/generated.pd" && cmp -s "$out/generated.pd" sidecar-panel~.pd; then
    echo "PASS panel/generated: sidecar-panel~.pd is what scripts/panel.py writes"
else
    echo "FAIL panel/generated: sidecar-panel~.pd differs from scripts/panel.py's output (run python3 scripts/panel.py)"
fi

# (every parameter, 0.3's too, always: one the object or the panel lacks fails)
if ! python3 tests/patches/panel.py "$out" >"$out/gen.log" 2>&1; then
    echo "FAIL panel/generate: $(tail -n 1 "$out/gen.log")"
    exit 0
fi

# run TAG PATCH [PD-ARGS...]: one Pd run (tests/lib.sh's pd_checks: its checks, exit, ran,
# creates)
run() {
    local tag=$1; shift
    pd_checks "$pdv" "$tag" "$out/$tag.log" -r 48000 -path . -path tests/patches "$@"
}
# want TAG N: the run printed at least N check lines (a check that never ran is a failure too)
want() {
    local n
    n=$(grep -c -e '^PASS ' -e '^FAIL ' "$out/$1.log")
    if [ "$n" -ge "$2" ]; then echo "PASS $1/all_checks_ran"
    else echo "FAIL $1/all_checks_ran: $n check lines, want $2"; fi
}

# ---- flags: panel == object ------------------------------------------------------------------------
run flags -open "$out/panel-flags.pd"
want flags $(grep -c 'expect~ check' "$out/panel-flags.pd")
if grep -q '^error' "$out/flags.log"; then
    echo "FAIL flags/no_console_errors: $(grep -m1 '^error' "$out/flags.log")"
else
    echo "PASS flags/no_console_errors"
fi

# ---- messages: panel == object, controls follow --------------------------------------------------
run messages -open "$out/panel-messages.pd"
want messages $(grep -c -e 'expect~ check' -e 'obj [0-9]* [0-9]* expect ' "$out/panel-messages.pd")
# the out-of-range and malformed messages were reported by the panel's object as by the bare
# one: each error twice, nothing else
errs=$(grep '^error' "$out/messages.log" | sort | uniq -c | awk '$1 != 2' | head -n 1)
if [ -z "$errs" ] && [ "$(grep -c '^error' "$out/messages.log")" -ge 12 ]; then
    echo "PASS messages/errors_as_the_object: each error once from the panel, once from the object"
else
    echo "FAIL messages/errors_as_the_object: ${errs:-fewer than 12 errors}"
fi

# ---- the mouse: clicks and a drag through the canvas's mouse messages ---------------------------
# (Pd 0.53 only: Pd 0.55 in batch mode, with no GUI, gives a canvas no editor to click in; the
# patch logic behind the controls is the same in both)
if [ "$pdv" = 0.53 ]; then
    run mouse -open "$out/panel-mouse.pd"
    want mouse $(grep -c -e 'expect~ check' -e 'obj [0-9]* [0-9]* expect ' "$out/panel-mouse.pd")
else
    echo "(mouse: run under Pd 0.53 only; batch-mode Pd $pdv has no canvas editor to click in)"
fi

# ---- the meter, read back with "meter NAME" -------------------------------------------------------
run meter -open "$out/panel-meter.pd"
want meter $(grep -c 'obj [0-9]* [0-9]* expect ' "$out/panel-meter.pd")

# ---- save and reopen ----------------------------------------------------------------------------------
cp "$out/panel-save.pd" "$out/panel-save-orig.pd"
# (the patch saves itself as panel-save.pd: menusave names the canvas by its file name)
nochecks=1 run save0 -open "$out/panel-save-orig.pd" -send "out symbol render0.wav"
nochecks=1 run save1 -open "$out/panel-save.pd" -send "setpanels bang" -send "out symbol render1.wav" \
    -send "dosave 1"
nsaved=$(grep -c '^#A saved ' "$out/panel-save.pd")
if [ "$nsaved" -eq 2 ] && grep -q '^#A saved threshold -40 .*mode comp' "$out/panel-save.pd" &&
    grep -q '^#A saved threshold -12 .*lookahead 5 .*trigger_depth 30' "$out/panel-save.pd"; then
    echo "PASS save/state_in_file: two '#A saved' lines with each panel's settings"
else
    echo "FAIL save/state_in_file: $nsaved '#A saved' lines in $out/panel-save.pd"
fi
cp "$out/panel-save.pd" "$out/panel-save-saved.pd"
nochecks=1 run save2 -open "$out/panel-save.pd" -send "out symbol render2.wav"
same save/reopened_renders_the_same "$out/render1.wav" "$out/render2.wav"
if [ -s "$out/render0.wav" ] && [ -s "$out/render1.wav" ] && ! cmp -s "$out/render0.wav" "$out/render1.wav"; then
    echo "PASS save/settings_matter: the render without the messages differs"
else
    echo "FAIL save/settings_matter: render0.wav and render1.wav are the same (or missing)"
fi
# panel A was created with -threshold -20 -ratio 3 and set to -40 by message: the reopened panel
# says -40 (saved wins over flags) and keeps ratio 3 (a flag nothing changed)
st1=$(grep '^sidecar-panel~: threshold' "$out/save1.log")
st2=$(grep '^sidecar-panel~: threshold' "$out/save2.log")
if [ -n "$st1" ] && [ "$st1" = "$st2" ] && [[ "$st2" == *"threshold -40 ratio 3 "* ]]; then
    echo "PASS save/saved_wins_over_flags: $st2"
else
    echo "FAIL save/saved_wins_over_flags: before '$st1', after '$st2'"
fi
for r in save0 save1 save2; do
    if grep '^error' "$out/$r.log" | grep -q .; then
        echo "FAIL $r/no_console_errors: $(grep -m1 '^error' "$out/$r.log")"
    else echo "PASS $r/no_console_errors"; fi
done

# ---- an empty console -----------------------------------------------------------------------------
tests/pd-run.sh "$pdv" 60 -batch -noprefs -nosound -r 48000 -path . -path tests/patches \
    -open "$out/panel-clean.pd" >"$out/clean.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL clean/opens: pd exited $rc"
elif [ -s "$out/clean.log" ]; then
    echo "FAIL clean/empty_console: $(head -n 3 "$out/clean.log" | tr '\n' ' ')"
else
    echo "PASS clean/empty_console: three panels (no flags, every flag, comp) and a [clone] of two, 0.5 s of DSP, not a line"
fi

# ---- the help patch: opens and plays (DSP on, its kick ducking its pad) with an empty console,
# shows the version of dsp/sidecar.h, and has its reference and example --------------------------
help=help/sidecar-panel~-help.pd
tests/pd-run.sh "$pdv" 60 -batch -noprefs -nosound -r 48000 -open "$help" -send "pd dsp 1" \
    -open tests/patches/quit-soon.pd >"$out/help.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ -s "$out/help.log" ]; then
    echo "FAIL help/opens_clean: pd status $rc, console: $(head -n 2 "$out/help.log" | tr '\n' ' ')"
else
    echo "PASS help/opens_clean: DSP on, not a console line"
fi
version=$(sed -n 's/^#define SIDECAR_VERSION "\(.*\)"/\1/p' dsp/sidecar.h)
missing=""
grep -q "^#X text [0-9]* [0-9]* updated for sidecar~ $version;" "$help" || missing="$missing updated-for-$version"
grep -q "^#X restore [0-9]* [0-9]* pd reference;" "$help" || missing="$missing [pd reference]"
grep -q "^#X obj [0-9]* [0-9]* sidecar-panel~ " "$help" || missing="$missing live-example"
for m in state trigger_depth feedback slow_release listen; do
    grep -q "$m" "$help" || missing="$missing reference:$m"
done
if [ -z "$missing" ]; then echo "PASS help/contents: version $version, reference, live example"
else echo "FAIL help/contents: missing$missing"; fi

# ---- right-click > Help on a panel: from the source tree and from an install -----------------------
# Pd looks for an abstraction's help only beside it (then in the help path): the root's
# sidecar-panel~-help.pd opens help/sidecar-panel~-help.pd, which closes it one tick later. The
# patch sends its own canvas "done-popup 2 X Y" on the panel (what the GUI sends for the popup
# menu's Help), then checks: [pointer] traverses the canvas named sidecar-panel~-help.pd (an error
# if there is none, "multiply defined" if the redirect stayed open beside the help), and a probe
# goes to the receive name the real help binds (my-settings, printed there; "no such object" if it
# did not open). The console must hold the probe's one line and nothing else. Run once on its own
# and once with the help already open (then Pd shows that one instead of loading a second).
# An install (make install PDLIBDIR=...) has the deken package's layout (a .dek zips that folder).
cat > "$out/helppanel.pd" <<'EOF'
#N canvas 0 50 450 300 12;
#X obj 20 20 sidecar-panel~;
#X obj 20 300 loadbang;
#X obj 20 330 delay 10;
#X msg 20 360 \; pd-helppanel.pd done-popup 2 30 30;
#X obj 200 300 delay 50;
#X obj 200 330 t b b;
#X msg 220 360 \; my-settings probe;
#X msg 200 390 traverse pd-sidecar-panel~-help.pd;
#X obj 200 420 pointer;
#X obj 200 450 delay 100;
#X msg 200 480 \; pd quit 0;
#X connect 1 0 2 0;
#X connect 2 0 3 0;
#X connect 1 0 4 0;
#X connect 4 0 5 0;
#X connect 5 0 7 0;
#X connect 5 1 6 0;
#X connect 7 0 8 0;
#X connect 1 0 9 0;
#X connect 9 0 10 0;
EOF
helplib="$PWD/$out/pdlib"
if ! make install PDLIBDIR="$helplib" >"$out/install.log" 2>&1; then
    echo "FAIL rightclick-help/install: make install failed: $(grep -v '^++++' "$out/install.log" | tail -n 2 | tr '\n' ' ')"
fi
rightclick_help() { # NAME LIBRARY-DIR [PD-ARGS...]
    local name=$1 dir=$2 log="$out/rightclick-$1.log" rc; shift 2
    tests/pd-run.sh "$pdv" 60 -batch -noprefs -nosound -nostdpath -path "$dir" "$@" \
        -open "$out/helppanel.pd" >"$log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL rightclick-help/$name: pd exited $rc: $(head -n 3 "$log" | tr '\n' ' ')"
    elif [ "$(cat "$log")" != "my-settings: probe" ]; then
        echo "FAIL rightclick-help/$name: want the probe's line alone, console: $(head -n 4 "$log" | tr '\n' ' ')"
    else
        echo "PASS rightclick-help/$name: help/sidecar-panel~-help.pd alone open, the redirect closed, a clean console"
    fi
}
rightclick_help repo "$PWD"
rightclick_help repo-help-already-open "$PWD" -open "$PWD/help/sidecar-panel~-help.pd"
rightclick_help install "$helplib/sidecar"

# ---- multichannel (Pd 0.54+) ------------------------------------------------------------------------
if [ "$pdv" != 0.53 ]; then
    run mc -open "$out/panel-mc.pd"
    want mc $(grep -c 'expect~ check' "$out/panel-mc.pd")
fi
exit 0

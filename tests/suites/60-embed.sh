#!/bin/bash
# Embedding and packaging: libpd's multi-instance flags, the plain C host (no Pd) on WAV files,
# the double-precision build beside the float one, make install, right-click > Help from the
# source tree and from an install (Pd 0.53, and 0.55 when its chroot exists), the single version
# string, make deken (every binary in one package, the (Sources) package, byte-identical runs).
# Set LIBPD_DIR (a libpd checkout built with `make STATIC=true`, plus MULTI=true if LIBPD_MULTI=true)
# to also build and run examples/libpd; CI has no libpd (Debian does not package it).
set -u
cd "$(dirname "$0")/../.." || exit 2
out=tests/out/embed
rm -rf "$out"; mkdir -p "$out"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
# rms FILE START LEN [CHANNEL]: RMS amplitude of one channel (1 = left) over a time window.
rms() { sox -V1 "$1" -n trim "$2" "$3" remix "${4:-1}" stat 2>&1 | awk '/^RMS +amplitude/ {print $3}'; }
db() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", 20 * log(a / b) / log(10); else print "none" }'; }
# within X LO HI: X is a plain finite number in [LO, HI] (an empty, "none", "nan" or "inf" X
# fails: awk would otherwise compare such words as strings).
within() { awk -v x="$1" -v lo="$2" -v hi="$3" \
    'BEGIN { exit !(x ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ && x + 0 >= lo && x + 0 <= hi) }'; }
version=$(sed -n 's/^#define SIDECAR_VERSION "\(.*\)"/\1/p' dsp/sidecar.h)
# Pd's (and deken's) name for this CPU; a double-precision Pd 0.54+ loads NAME.linux-CPU-64.so
cpu=$(case $(uname -m) in x86_64) echo amd64 ;; aarch64) echo arm64 ;; armv7l) echo armv7 ;;
    i?86) echo i386 ;; *) uname -m ;; esac)
bin32='sidecar~.pd_linux'
bin64="sidecar~.linux-$cpu-64.so"

# --- the Pd glue under libpd's multi-instance flags, warning-free with gcc and clang ----------
for cc in gcc clang; do
    for fs in 32 64; do
        name="multi-instance-build-$cc-float$fs"
        flags=(-std=c11 -Wall -Wextra -Wshadow -Wstrict-aliasing -Werror -O2 -fPIC
               -DPD -DPDINSTANCE -DPDTHREADS -DPD_FLOATSIZE="$fs" -I/usr/include/pd -Idsp)
        if ! command -v "$cc" >/dev/null; then fail "$name" "$cc not installed"; continue; fi
        if ! "$cc" "${flags[@]}" -c 'sidecar~.c' -o "$out/glue-$cc-$fs.o" >"$out/$name.log" 2>&1 \
            || ! "$cc" "${flags[@]}" -c dsp/sidecar.c -o "$out/core-$cc-$fs.o" >>"$out/$name.log" 2>&1
        then
            fail "$name" "$(head -5 "$out/$name.log")"
        elif ! nm "$out/glue-$cc-$fs.o" | grep -q ' T sidecar_tilde_setup$'; then
            fail "$name" "sidecar_tilde_setup is not exported"
        else
            pass "$name"
        fi
    done
done

# --- one version string ---------------------------------------------------------------------
if [ -z "$version" ]; then
    fail version-single-source "no SIDECAR_VERSION in dsp/sidecar.h"
elif ! make -s version-check >"$out/version.log" 2>&1; then
    fail version-single-source "$(grep -v '^++++' "$out/version.log" | head -3)"
elif make -s version-check sidecar.metaversion=0.0.0-drift >/dev/null 2>&1; then
    fail version-single-source "version-check accepts a mismatched meta file"
else
    pass version-single-source
fi

# --- the double-precision build beside the float one ------------------------------------------
# make floatsize=64 must add sidecar~.linux-CPU-64.so next to sidecar~.pd_linux, from its own
# objects (build/obj64/), without touching the float build; then neither make relinks anything.
# The double build starts from nothing, so that it really compiles and links beside the float one.
stamp() { [ -f "$1" ] && echo "$(stat -c %Y "$1") $(sha256sum <"$1")"; }
make >"$out/make32.log" 2>&1   # an up-to-date float build first (a stale one would be rebuilt below)
rm -rf --one-file-system build/obj64; rm -f "$bin64"
before=$(stamp "$bin32"; stamp sidecar~.o; stamp dsp/sidecar.o)
if ! make floatsize=64 >"$out/make64.log" 2>&1; then
    fail pd64-beside-float "make floatsize=64 failed: $(grep -E 'rror' "$out/make64.log" | head -3)"
elif [ ! -f "$bin64" ] || [ ! -f "$bin32" ]; then
    fail pd64-beside-float "after make and make floatsize=64: $(ls sidecar~.* | tr '\n' ' ')"
elif [ "$before" != "$(stamp "$bin32"; stamp sidecar~.o; stamp dsp/sidecar.o)" ]; then
    fail pd64-beside-float "make floatsize=64 changed the float binary or its objects"
elif ! make >"$out/remake32.log" 2>&1 || ! make floatsize=64 >"$out/remake64.log" 2>&1; then
    fail pd64-beside-float "make / make floatsize=64 failed the second time"
elif grep -E 'linking|making .*\.o' "$out/remake32.log" "$out/remake64.log"; then
    fail pd64-beside-float "a second make rebuilt something (see above)"
else
    pass pd64-beside-float
fi
# Both export the setup function; the double objects are compiled with PD_FLOATSIZE=64 (under
# which sidecar~.c's _Static_assert ties the core's sample type to Pd's t_sample: double) and
# the float ones without it; the objects live apart.
for b in "$bin32" "$bin64"; do
    nm -D --defined-only "$b" 2>/dev/null | grep -q ' T sidecar_tilde_setup$' ||
        echo "    $b: no sidecar_tilde_setup"
done >"$out/nm.log"
make -n -B floatsize=64 2>/dev/null | grep -E -- ' -c (sidecar~|dsp/sidecar)\.c' >"$out/cc64.log"
make -n -B 2>/dev/null | grep -E -- ' -c (sidecar~|dsp/sidecar)\.c' >"$out/cc32.log"
if [ -s "$out/nm.log" ]; then fail pd64-setup-and-double "$(cat "$out/nm.log")"
elif [ "$(grep -c -- '-DPD_FLOATSIZE=64 .*-o build/obj64/' "$out/cc64.log")" -ne 2 ]; then
    fail pd64-setup-and-double "double objects not both compiled with -DPD_FLOATSIZE=64 into build/obj64/: $(cat "$out/cc64.log")"
elif [ "$(wc -l <"$out/cc32.log")" -ne 2 ] || grep -q PD_FLOATSIZE "$out/cc32.log"; then
    fail pd64-setup-and-double "the float build's compile lines: $(cat "$out/cc32.log")"
else
    pass pd64-setup-and-double
fi
# make clean removes both builds and nothing else under build/ (a dry run: the tree stays built)
clean_cmds=$(make -n clean 2>/dev/null)
if ! grep -qF -- "$bin32" <<<"$clean_cmds" || ! grep -qF -- "$bin64" <<<"$clean_cmds" ||
    ! grep -qF 'rm -rf --one-file-system build/obj64' <<<"$clean_cmds"; then
    fail clean-both-builds "make clean misses a build: $(grep rm <<<"$clean_cmds" | tr '\n' ' ')"
elif grep -E 'rm -rf[^;]* build/? *$|build/pd-0\.55' <<<"$clean_cmds"; then
    fail clean-both-builds "make clean would remove build/ or the Pd 0.55 chroot"
else
    pass clean-both-builds
fi

# --- make install into a temporary PDLIBDIR: both binaries, the help in help/ ---------------
lib="$PWD/$out/pdlib"
if ! make install PDLIBDIR="$lib" >"$out/install.log" 2>&1; then
    fail install "make install failed: $(grep -v '^++++' "$out/install.log" | tail -3)"
else
    missing=""
    for f in "$bin32" "$bin64" "${portfiles[@]}" 'help/sidecar~-help.pd' LICENSE README.md sidecar-meta.pd; do
        [ -f "$lib/sidecar/$f" ] || missing="$missing $f"
    done
    if [ -n "$missing" ]; then fail install "missing in PDLIBDIR/sidecar:$missing"
    else pass install; fi
fi
cat > "$out/print.pd" <<'EOF'
#N canvas 0 50 450 300 12;
#X obj 20 20 loadbang;
#X obj 20 50 t b b;
#X msg 120 80 print;
#X obj 120 110 sidecar~;
#X msg 20 80 \; pd quit 0;
#X connect 0 0 1 0;
#X connect 1 0 4 0;
#X connect 1 1 2 0;
#X connect 2 0 3 0;
EOF
timeout 60 pd -batch -noprefs -nosound -r 48000 -path "$lib/sidecar" "$out/print.pd" \
    >"$out/print.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    fail installed-object-prints-version "pd exited $rc: $(tail -3 "$out/print.log")"
elif grep -q "couldn't create" "$out/print.log"; then
    fail installed-object-prints-version "the installed sidecar~ could not be created"
elif ! grep -qF "$version" "$out/print.log"; then
    fail installed-object-prints-version "print does not show version $version"
else
    pass installed-object-prints-version
fi

# --- right-click > Help, from the source tree and from an install ---------------------------
# The patch asks its own canvas for the popup menu's "Help" on the object (done-popup 2 X Y, what
# the GUI sends), then talks to the help's canvas ("no such object" if it did not open). With
# -verbose Pd logs every file it tries, so the log shows which help patch it opened.
cat > "$out/helpopen.pd" <<'EOF'
#N canvas 0 50 450 300 12;
#X obj 20 20 sidecar~;
#X obj 20 100 loadbang;
#X msg 20 130 \; pd-helpopen.pd done-popup 2 24 24 \; pd-sidecar~-help.pd dirty 0 \; pd quit 0;
#X connect 1 0 2 0;
EOF
help_case() { # PD-VERSION LAYOUT OBJECT-DIR
    local name="help-from-$2-pd$1" log="$out/help-$2-$1.log" rc
    tests/pd-run.sh "$1" 60 -batch -noprefs -nosound -nostdpath -verbose -path "$3" \
        "$out/helpopen.pd" >"$log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then fail "$name" "pd exited $rc: $(grep -v 'tried' "$log" | tail -3)"
    elif grep -q "couldn't create" "$log"; then fail "$name" "sidecar~ not created from $3"
    elif grep -qE "sorry, couldn't find help|no such object" "$log"; then
        fail "$name" "$(grep -E "sorry|no such object" "$log" | head -2)"
    elif ! grep -qF "tried $3/help/sidecar~-help.pd and succeeded" "$log"; then
        fail "$name" "did not open $3/help/sidecar~-help.pd: $(grep -- '-help.pd' "$log" | head -3)"
    else pass "$name"; fi
}
for v in 0.53 0.55; do
    if [ "$v" = 0.55 ] && [ ! -x build/pd-0.55/usr/bin/pd ]; then
        for where in repo install; do
            fail "help-from-$where-pd0.55" "no Pd 0.55 chroot in build/pd-0.55 (make pd-chroot; make check makes it)"
        done
        continue
    fi
    help_case "$v" repo "$PWD"
    help_case "$v" install "$lib/sidecar"
done

# --- a double-precision Pd, only when one is given ------------------------------------------
# PD64=/path/to/pd (a Pd 0.54+ built with PD_FLOATSIZE=64; Debian has none) loads the installed
# double binary, which must duck like the float one in Pd 0.53: a 100 Hz sine at full scale on
# MAIN, 0.25 on SIDECHAIN, threshold -24, env_out after 1 s.
cat > "$out/duck1s.pd" <<'EOF'
#N canvas 0 50 600 400 12;
#X obj 20 20 loadbang;
#X msg 20 50 \; pd dsp 1;
#X obj 20 100 osc~ 100;
#X obj 200 100 sig~ 0.25;
#X obj 20 160 sidecar~ -threshold -24;
#X obj 20 220 snapshot~;
#X obj 20 250 print env_out;
#X obj 300 50 delay 1000;
#X obj 300 80 t b b;
#X msg 300 280 \; pd quit 0;
#X connect 0 0 1 0;
#X connect 0 0 7 0;
#X connect 2 0 4 0;
#X connect 3 0 4 2;
#X connect 4 2 5 0;
#X connect 5 0 6 0;
#X connect 7 0 8 0;
#X connect 8 1 5 0;
#X connect 8 0 9 0;
EOF
if [ -n "${PD64:-}" ]; then
    timeout 60 "$PD64" -batch -noprefs -nosound -nostdpath -verbose -r 48000 \
        -path "$lib/sidecar" "$out/duck1s.pd" >"$out/pd64.log" 2>&1
    timeout 60 pd -batch -noprefs -nosound -nostdpath -r 48000 -path "$lib/sidecar" \
        "$out/duck1s.pd" >"$out/pd32.log" 2>&1
    e64=$(sed -n 's/^env_out: //p' "$out/pd64.log"); e32=$(sed -n 's/^env_out: //p' "$out/pd32.log")
    echo "    env_out after 1 s: $e64 in $PD64, $e32 in Pd 0.53"
    if ! grep -q 'float precision = 64' "$out/pd64.log"; then
        fail pd64-loads "$PD64 is not a double-precision Pd"
    elif ! grep -qF "tried $lib/sidecar/$bin64 and succeeded" "$out/pd64.log"; then
        fail pd64-loads "$PD64 did not load $bin64: $(grep -E "couldn't|error" "$out/pd64.log" | head -2)"
    elif ! within "$e64" 0.5 2 || ! within "$(awk -v a="$e64" -v b="$e32" \
        'BEGIN { d = a - b; print (d < 0 ? -d : d) }')" 0 1e-4; then
        fail pd64-loads "env_out $e64 in the double Pd, $e32 in the float one"
    else pass pd64-loads; fi
else
    echo "    (no double-precision Pd: set PD64 to one to load the double build)"
fi

# --- make deken: one package with every binary, and the (Sources) package ------------------
# (this machine's two and those of every port: mk/ports.mk, tested by make check-ports; the
# package's name and the port files come from the Makefile)
dekdir="$out/dek"
dekname="$(make -s deken-name | grep -v "^++++")"
read -r -a portfiles <<<"$(make -s ports-files | grep -v "^++++")"
srcname="sidecar[v$version](Sources)"
dek="$dekdir/$dekname.dek"
src="$dekdir/$srcname.dek"
if ! make deken DEKDIR="$dekdir" >"$out/deken.log" 2>&1; then
    fail deken "make deken failed: $(grep -E 'deken:|rror|cannot' "$out/deken.log" | head -3)"
elif [ ! -f "$dek" ]; then
    fail deken "no $dek (made: $(ls "$dekdir" | tr '\n' ' '))"
else
    listing=$(zip -sf "$dek")
    echo "$listing" | sed 's/^/    /'
    missing=""
    for f in "$bin32" "$bin64" "${portfiles[@]}" 'help/sidecar~-help.pd' LICENSE README.md sidecar-meta.pd; do
        echo "$listing" | grep -qxF "  sidecar/$f" || missing="$missing sidecar/$f"
    done
    stray=$(echo "$listing" | grep '^  ' | grep -v '^  sidecar/')
    extra=$(zipinfo -v "$dek" | grep 'length of extra field' | grep -v ' 0 bytes')
    if [ -n "$missing" ]; then fail deken "missing in the .dek:$missing"
    elif [ -n "$stray" ]; then fail deken "files outside sidecar/: $stray"
    elif [ -n "$extra" ]; then fail deken "zip entries with extra fields: $(echo "$extra" | head -2)"
    else pass deken; fi
fi
# .dek.sha256 as deken writes it: the hex digest, nothing else
for kind in binaries Sources; do
    if [ "$kind" = Sources ]; then d=$src; else d=$dek; fi
    if [ ! -f "$d" ]; then fail "deken-sha256-$kind" "no $d"
    elif [ "$(cat "$d.sha256" 2>/dev/null)" = "$(sha256sum "$d" | cut -d' ' -f1)" ]; then
        pass "deken-sha256-$kind"
    else
        fail "deken-sha256-$kind" "$d.sha256 holds '$(head -c 80 "$d.sha256" 2>/dev/null)'"
    fi
done
# .dek.txt: one line per object (sidecar~, then the sidecar-panel~ abstraction): its name, a tab,
# the DESCRIPTION of its help's [pd META]
want_txt=""
for obj in sidecar~ sidecar-panel~; do
    desc=$(sed -n 's/^#X text [0-9]* [0-9]* DESCRIPTION \(.*\);$/\1/p' "help/$obj-help.pd" |
        sed 's/, f [0-9]*$//; s/ \\,/,/g' | head -1)
    if [ -z "$desc" ]; then
        fail "deken-objects-file" "no one-line DESCRIPTION in help/$obj-help.pd's [pd META]"
        want_txt=""; break
    fi
    want_txt="$want_txt$(printf '%s\t%s' "$obj" "$desc")
"
done
if [ -n "$want_txt" ]; then
    if [ "$(cat "$dek.txt" 2>/dev/null)" != "$(printf '%s' "$want_txt")" ]; then
        fail deken-objects-file "$dek.txt holds '$(cat "$dek.txt" 2>/dev/null)', want '$want_txt'"
    else
        pass deken-objects-file
    fi
fi
# (Sources): every file git tracks (that exists), under sidecar/, and no build output
if [ ! -f "$src" ]; then
    fail deken-sources "no $src"
else
    srclist=$(zip -sf "$src" | sed -n 's|^  sidecar/||p' | grep -v -e '/$' -e '^$' | sort)
    tracked=$(git ls-files | while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
    outputs=$(grep -E '\.(o|pd_linux|so|dll|l_arm|l_arm64|m_amd64|dek)$|^build/|^tests/out/' <<<"$srclist")
    if [ "$srclist" != "$tracked" ]; then
        fail deken-sources "not what git tracks: $(diff <(echo "$tracked") <(echo "$srclist") |
            grep '^[<>]' | head -4 | tr '\n' ' ')"
    elif [ -n "$outputs" ]; then fail deken-sources "build outputs inside: $outputs"
    elif ! grep -qxF 'dsp/sidecar.c' <<<"$srclist"; then fail deken-sources "no dsp/sidecar.c"
    else pass deken-sources; fi
fi
# A second run, more than zip's 2-second time resolution later: every file byte-identical.
if [ -f "$dek" ]; then
    sleep 2
    if ! make deken DEKDIR="$out/dek2" >"$out/deken2.log" 2>&1; then
        fail deken-reproducible "the second make deken failed"
    else
        differ=""
        for f in "$dekname.dek" "$dekname.dek.sha256" "$dekname.dek.txt" \
            "$srcname.dek" "$srcname.dek.sha256"; do
            cmp -s "$dekdir/$f" "$out/dek2/$f" || differ="$differ $f"
        done
        if [ -z "$differ" ]; then
            pass deken-reproducible
            echo "    .dek sha256 $(cat "$dek.sha256") in both runs"
        else fail deken-reproducible "differ between two runs:$differ"; fi
    fi
fi

# --- the plain C host: no Pd, WAV files in and out -------------------------------------------
# Built into $out (wiped above), so a stale binary can never pass for a fresh one.
if ! make -C examples/host BUILD="$PWD/$out/host" >"$out/host.log" 2>&1; then
    fail host-build "$(grep -E 'error|warning' "$out/host.log" | head -5)"
elif grep -q 'warning' "$out/host.log"; then
    fail host-build "warnings: $(grep warning "$out/host.log" | head -3)"
else
    pass host-build
fi
host=$out/host/sidecar-wav
# Material: MAIN = a 1 kHz square "kick", 0.25 per channel, from 0.5 s to 1.5 s; SIDECHAIN = a
# 440 Hz sine "pad", 0.25, for 2.5 s. The square keeps the detector level nearly constant
# (|yL| + |yR| = 0.5, i.e. -6.02 dB, less the 20 Hz high-pass's droop of at most 0.55 dB
# between edges), so the static curve of SPEC step 6 predicts the depth of the ducking.
sox -D -n -r 48000 -b 32 -e floating-point -c 2 "$out/main.wav" synth 1 square 1000 vol 0.25 \
    pad 0.5 1
sox -D -n -r 48000 -b 32 -e floating-point -c 2 "$out/pad.wav" synth 2.5 sine 440 vol 0.25
sox -D "$out/pad.wav" -c 1 "$out/pad-mono.wav" remix 1
# duck_case NAME EXPECTED_DB [host flags...]: the pad untouched before the kick, ducked by
# EXPECTED_DB (+-0.6 dB) during its second half, back within 0.2 dB 0.5 s after it.
duck_case() {
    local name=$1 expect=$2; shift 2
    local res="$out/$name.wav" diff="$out/$name-diff.wav"
    if [ ! -x "$host" ]; then fail "$name" "no host binary"; return; fi
    if ! "$host" "$@" "$out/main.wav" "$out/pad.wav" "$res" 2>"$out/$name.log"; then
        fail "$name" "host failed: $(cat "$out/$name.log")"; return
    fi
    cat "$out/$name.log"
    # out - MAIN - pad: zero where the pad is not ducked; out - MAIN: the ducked pad alone.
    sox -V1 -D -m -v 1 "$res" -v -1 "$out/main.wav" -v -1 "$out/pad.wav" "$diff"
    sox -V1 -D -m -v 1 "$res" -v -1 "$out/main.wav" "$out/$name-wet.wav"
    local err_before pad red red_after
    err_before=$(rms "$diff" 0.05 0.4)
    pad=$(rms "$out/pad.wav" 1.0 0.5)
    red=$(db "$pad" "$(rms "$out/$name-wet.wav" 1.0 0.5)")
    red_after=$(db "$(rms "$out/pad.wav" 2.0 0.5)" "$(rms "$out/$name-wet.wav" 2.0 0.5)")
    echo "    $name: error before the kick $err_before, reduction during it $red dB" \
        "(expected $expect), 0.5 s after it $red_after dB"
    if ! within "$err_before" 0 1e-5; then fail "$name" "pad altered before the kick: $err_before"
    elif ! within "$red" "$(awk -v e="$expect" 'BEGIN{print e - 0.6}')" \
        "$(awk -v e="$expect" 'BEGIN{print e + 0.6}')"; then
        fail "$name" "reduction $red dB, expected $expect dB"
    elif ! within "$red_after" -0.01 0.2; then fail "$name" "no release: $red_after dB left"
    else pass "$name"; fi
}
# Static curve, above the knee: g* = -(1 - 1/ratio) * (x - T), x = 20 log10(0.5).
expect() { awk -v t="$1" -v r="$2" 'BEGIN { printf "%.3f", (1 - 1/r) * (20*log(0.5)/log(10) - t) }'; }
duck_case host-duck-defaults "$(expect -18 4)"
duck_case host-duck-flags "$(expect -30 8)" -threshold -30 -ratio 8
# A mono sidechain is normalled to both outputs (SC R <- SC L), like an unpatched inlet.
if [ -x "$host" ] && "$host" "$out/main.wav" "$out/pad-mono.wav" "$out/mono.wav" 2>/dev/null; then
    sox -V1 -D -m -v 1 "$out/mono.wav" -v -1 "$out/main.wav" "$out/mono-wet.wav"
    r=$(rms "$out/mono-wet.wav" 0.05 0.4 2); p=$(rms "$out/pad.wav" 0.05 0.4 2)
    if within "$(db "$r" "$p")" -0.001 0.001; then pass host-mono-sidechain
    else fail host-mono-sidechain "right output carries $r of the pad's $p"; fi
else
    fail host-mono-sidechain "host failed on a mono sidechain"
fi
# Bad command lines fail cleanly (usage, non-zero exit), never crash.
bad=0
for args in "-ratio" "-ratio x $out/main.wav $out/bad.wav" "-nosuch 1 $out/main.wav $out/bad.wav" \
    "-mode loud $out/main.wav $out/bad.wav" "$out/missing.wav $out/bad.wav" "$out/main.wav"; do
    # shellcheck disable=SC2086
    "$host" $args >/dev/null 2>&1; rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -gt 2 ]; then echo "    '$args' exited $rc"; bad=1; fi
done
if [ "$bad" -eq 0 ]; then pass host-bad-arguments; else fail host-bad-arguments "see above"; fi

# --- examples/libpd, only when a libpd build is given -----------------------------------------
if [ -n "${LIBPD_DIR:-}" ]; then
    if make -C examples/libpd LIBPD_DIR="$LIBPD_DIR" MULTI="${LIBPD_MULTI:-}" \
        BUILD="$PWD/$out/libpd" run >"$out/libpd.log" 2>&1; then
        grep -E '^(ok|FAIL|sidecar-libpd)' "$out/libpd.log" | sed 's/^/    /'
        pass libpd-host
    else
        fail libpd-host "$(tail -5 "$out/libpd.log")"
    fi
else
    echo "    (examples/libpd not built: set LIBPD_DIR to a libpd checkout to include it)"
fi

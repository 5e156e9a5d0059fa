#!/bin/bash
# Embedding and packaging: libpd's multi-instance flags, the plain C host (no Pd) on WAV files,
# make install, the single version string, make deken.
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

# --- make install into a temporary PDLIBDIR, then load the installed copy in Pd --------------
lib="$PWD/$out/pdlib"
if ! make install PDLIBDIR="$lib" >"$out/install.log" 2>&1; then
    fail install "make install failed: $(grep -v '^++++' "$out/install.log" | tail -3)"
else
    missing=""
    for f in 'sidecar~.pd_linux' 'sidecar~-help.pd' LICENSE sidecar-meta.pd; do
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

# --- make deken: the .dek is a zip with the library folder ----------------------------------
dekdir="$out/dek"
dek="$dekdir/sidecar[v$version](Linux-$(case $(uname -m) in x86_64) echo amd64 ;;
    aarch64) echo arm64 ;; armv7l) echo armv7 ;; i?86) echo i386 ;; *) uname -m ;; esac)-32).dek"
if ! make deken DEKDIR="$dekdir" >"$out/deken.log" 2>&1; then
    fail deken "make deken failed: $(grep -E 'deken:|rror|cannot' "$out/deken.log" | head -3)"
elif [ ! -f "$dek" ]; then
    fail deken "no $dek (made: $(ls "$dekdir" | tr '\n' ' '))"
else
    listing=$(zip -sf "$dek")
    echo "$listing" | sed 's/^/    /'
    missing=""
    for f in 'sidecar~.pd_linux' 'sidecar~-help.pd' LICENSE sidecar-meta.pd; do
        echo "$listing" | grep -qxF "  sidecar/$f" || missing="$missing sidecar/$f"
    done
    stray=$(echo "$listing" | grep '^  ' | grep -v '^  sidecar/')
    if [ -n "$missing" ]; then fail deken "missing in the .dek:$missing"
    elif [ -n "$stray" ]; then fail deken "files outside sidecar/: $stray"
    elif ! (cd "$dekdir" && sha256sum --quiet -c "$(basename "$dek").sha256"); then
        fail deken "sha256 file does not match"
    else pass deken; fi
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

#!/bin/bash
# make check-ports: the release check. Every binary of the deken package (make ports) runs in a
# real Pd of its platform, through the same suites as make check (tests/suites/20-reference.sh,
# 30-patches.sh, 35-multichannel.sh, by way of tests/pd-run.sh), and every render must be
# byte-identical to the same render on x86-64 Linux:
#
#   port (binary)                        Pd it runs in                    what runs
#   linux-amd64-32 (.pd_linux)           Debian 12's Pd 0.53 (native)     all render cases: the
#                                                                         float baseline
#   linux-amd64-64 (.linux-amd64-64.so)  Pd64 0.56 from PD_SRC (native)   all render cases: the
#                                                                         double baseline
#   windows-amd64-32 (.m_amd64)          Windows Pd 0.56 from PD_SRC,     all render cases,
#   windows-amd64-64 (.windows-amd64-64.dll)  and its Pd64, under wine    malformed input, help,
#                                                                         multichannel strips
#   linux-arm64-32 (.l_arm64)            Debian 13's arm64 Pd 0.55 and    a subset of the render
#   linux-armv7-32 (.l_arm)              armhf Pd 0.55, qemu-user         cases (below), malformed
#                                                                         input, help, strips
#   linux-arm64-64, linux-armv7-64       Pd64 0.56 from PD_SRC,           the same subset
#   (.linux-arm64-64.so, ...)            cross-built, qemu-user
#
# plus, for every binary, without running it: its format and CPU, which file each Pd loads
# (-verbose), what a Windows DLL exports and imports, and no fused multiply-add in the code;
# and the plain-C host (examples/host, the core without Pd, as a libpd app embeds it) built for
# arm64 and run under qemu, its output byte-identical to the x86-64 host's.
# Under qemu (about 40 times slower than native) the render cases are a subset chosen from
# whatever tests/render/cases.c defines when this runs: greedily, until every case-name family
# (the name up to its first '-'), every creation flag, every message selector and both modes
# that appear in any case appear in one chosen case. PORTS_QEMU_CASES="a b ..." names them
# instead.
#
# PD_SRC: Pd's sources (tarball or tree) for the Windows Pds and the Pd64s; default
# ../shared/fixtures/pure-data-0.56-5.tar.xz. Without them those legs are skipped with one line
# saying so, and counted in the closing line "N passed, N failed, N skipped", which also names
# every binary that no Pd here could load. Exits 1 on any failure.
# Output: build/ports/out/<port>/ (per port: the suites' files, as under tests/out/).
set -u
cd "$(dirname "$0")/.." || exit 2
top=$PWD
start=$SECONDS
out=build/ports/out
mkdir -p "$out"
passed=0; failed=0; skipped=0; failures=(); skips=(); unloaded=(); wine_started=""

# leg NAME COMMAND...: run a command that prints PASS/FAIL lines; prefix them with NAME/, count
# them (a command that exits non-zero without a FAIL line counts as one failure)
leg() {
    local name=$1; shift
    local log t=$SECONDS rc p f
    log=$(mktemp)
    echo "=== $name"
    "$@" 2>&1 | sed -e "s|^PASS |PASS $name/|" -e "s|^FAIL |FAIL $name/|" | tee "$log"
    rc=${PIPESTATUS[0]}
    p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: exited $rc"; f=1; failures+=("$name: exited $rc")
    fi
    while IFS= read -r line; do failures+=("${line#FAIL }"); done < <(grep '^FAIL ' "$log")
    echo "--- $name: $p passed, $f failed ($((SECONDS - t)) s)"
    passed=$((passed + p)); failed=$((failed + f))
    rm -f "$log"
}
check() { # NAME COMMAND... : one PASS/FAIL line (the message on failure: $why)
    local name=$1; shift
    if "$@"; then echo "PASS $name"; else echo "FAIL $name: ${why:-failed}"; fi
}

# ---- the binaries -------------------------------------------------------------------------------
lib=sidecar~
declare -A file_of=(
    [linux-amd64-32]=$lib.pd_linux [linux-amd64-64]=$lib.linux-amd64-64.so
    [linux-arm64-32]=$lib.l_arm64 [linux-arm64-64]=$lib.linux-arm64-64.so
    [linux-armv7-32]=$lib.l_arm [linux-armv7-64]=$lib.linux-armv7-64.so
    [windows-amd64-32]=$lib.m_amd64 [windows-amd64-64]=$lib.windows-amd64-64.dll
)
# the Pd (tests/pd-run.sh) each port runs in
declare -A pd_of=(
    [linux-amd64-32]=0.53 [linux-amd64-64]=linux-amd64-64
    [linux-arm64-32]=linux-arm64 [linux-arm64-64]=linux-arm64-64
    [linux-armv7-32]=linux-armv7 [linux-armv7-64]=linux-armv7-64
    [windows-amd64-32]=windows-amd64-32 [windows-amd64-64]=windows-amd64-64
)
ports=(linux-amd64-32 linux-amd64-64 windows-amd64-32 windows-amd64-64
       linux-arm64-32 linux-armv7-32 linux-arm64-64 linux-armv7-64)
missing=""
for p in "${ports[@]}"; do [ -f "${file_of[$p]}" ] || missing="$missing ${file_of[$p]}"; done
if [ -n "$missing" ]; then
    echo "FAIL ports/binaries: not built:$missing (make ports)"
    echo; echo "0 passed, 1 failed, 0 skipped"; exit 1
fi

# no_fma CROSS-PREFIX FILE: no fused multiply-add instruction in FILE's code (x86 vfmadd...,
# AArch64 fmadd/fmsub/fnmadd/fnmsub, ARMv7 vfma/vfms/vfnma/vfnms): C11 mode keeps GCC from
# contracting a*b + c, which is what keeps the bits the same on every CPU
no_fma() {
    ! "${1}objdump" -d "$2" | grep -q -E '\s(vfn?m(add|sub)[0-9a-z]*|fn?m(add|sub)|vfn?m[as]\.f(32|64))\s'
}
# static checks of one binary: format and CPU, the multichannel lookup, exports, no FMA
static_checks() {
    local port=$1 f=${file_of[$1]} hdr ok
    case "$port" in
    windows-*)
        hdr=$(x86_64-w64-mingw32-objdump -p "$f" 2>&1)
        why="not a PE32+ x86-64 DLL" check format \
            grep -q 'file format pei-x86-64' <<<"$hdr"
        # exports: only the setup function (the name table lists one entry)
        local exports
        exports=$(awk '/\[Ordinal\/Name Pointer\] Table/ { on = 1; next } on && /^\t\[/ { print $NF; next } on { exit }' <<<"$hdr" | tr '\n' ' ')
        why="exports: $exports(want sidecar_tilde_setup only)" check exports_setup_only \
            test "$exports" = "sidecar_tilde_setup "
        # imports from pd.dll: no signal_setmultiout (found with GetProcAddress at run time),
        # so the DLL also loads in a Pd without it (0.51-0.53); the Windows loader fails a DLL
        # only on a missing import
        local imports
        imports=$(awk '/DLL Name: pd.dll/ { on = 1; next } /DLL Name:/ { on = 0 } on && NF >= 3 { print $3 }' <<<"$hdr")
        why="no imports from pd.dll found" check imports_pd_dll test -n "$imports"
        why="imports signal_setmultiout from pd.dll: would not load in Pd 0.51-0.53" \
            check no_setmultiout_import bash -c '! grep -qx signal_setmultiout <<<"$1"' _ "$imports"
        why="fused multiply-add instructions in the code" check no_fma no_fma x86_64-w64-mingw32- "$f"
        ;;
    linux-*)
        local cross="" machine
        case "$port" in
            linux-amd64-*) machine="X86-64" ;;
            linux-arm64-*) machine="AArch64"; cross=aarch64-linux-gnu- ;;
            linux-armv7-*) machine="ARM"; cross=arm-linux-gnueabihf- ;;
        esac
        why="not an ELF shared object for $machine" check format \
            bash -c 'readelf -h "$1" | grep -q "Machine:.*$2" && readelf -h "$1" | grep -q "Type:.*DYN"' _ "$f" "$machine"
        if [ "$machine" = ARM ]; then
            # ARMv7 with the hard-float calling convention (Debian armhf, Raspberry Pi OS
            # 32-bit on Pi 2 and later, Bela)
            why="not ARMv7 hard-float: $(readelf -A "$f" | grep -E 'Tag_CPU_arch:|Tag_ABI_VFP_args' | tr -s ' \n' ' ')" \
                check armv7_hard_float bash -c 'readelf -A "$1" | grep -q "Tag_CPU_arch: v7" && readelf -A "$1" | grep -q "Tag_ABI_VFP_args: VFP registers"' _ "$f"
        fi
        # signal_setmultiout: a weak reference (the loader leaves it NULL in Pd 0.51-0.53)
        why="signal_setmultiout is not a weak undefined symbol: $(nm -D "$f" | grep signal_setmultiout)" \
            check weak_setmultiout bash -c 'nm -D "$1" | grep -q -E "^ +w signal_setmultiout$"' _ "$f"
        why="fused multiply-add instructions in the code" check no_fma no_fma "$cross" "$f"
        ;;
    esac
}
for p in "${ports[@]}"; do leg "$p/static" static_checks "$p"; done

# ---- which Pds can be had -----------------------------------------------------------------------
# ARM trees (seconds, network) and the Pds built from PD_SRC (minutes the first time, cached)
declare -A pd_ok=([linux-amd64-32]=1)
pd_src=${PD_SRC:-$top/../shared/fixtures/pure-data-0.56-5.tar.xz}
for arch in arm64 armhf; do
    port=linux-arm64-32; [ "$arch" = armhf ] && port=linux-armv7-32
    if scripts/pd-arm.sh "$arch" >/dev/null; then pd_ok[$port]=1
    else echo "FAIL $port/pd: Debian 13's $arch Pd could not be unpacked (see build/ports/pd-$arch.log)"
        failed=$((failed + 1)); failures+=("$port/pd: no $arch Pd"); fi
done
if [ ! -e "$pd_src" ]; then
    # one line, one skip per Pd that cannot be had
    from_src=(windows-amd64-32 windows-amd64-64 linux-amd64-64 linux-arm64-64 linux-armv7-64)
    echo "SKIP ${from_src[*]}: no Pd sources at $pd_src to build their Pds from (set PD_SRC= to a Pd source tarball or tree)"
    skipped=$((skipped + ${#from_src[@]}))
    skips+=("${from_src[*]}: no Pd sources at $pd_src (PD_SRC=)")
else
    # two builds at a time (each uses both cores for its compile, then links alone)
    builds=(windows-amd64:32 windows-amd64:64 linux-amd64:64 linux-arm64:64 linux-armv7:64)
    printf '%s\n' "${builds[@]}" | xargs -P 2 -I{} sh -c \
        'scripts/pd-build.sh "${1%:*}" "${1#*:}" "$2" >/dev/null' _ {} "$pd_src"
    for b in "${builds[@]}"; do
        port=${b%:*}-${b#*:}
        if scripts/pd-build.sh "${b%:*}" "${b#*:}" "$pd_src" >/dev/null; then pd_ok[$port]=1
        else echo "FAIL $port/pd: its Pd could not be built from $pd_src (see build/ports/pd-src/*-$port.log)"
            failed=$((failed + 1)); failures+=("$port/pd: no Pd built"); fi
    done
fi
if [ -n "${pd_ok[windows-amd64-32]:-}${pd_ok[windows-amd64-64]:-}" ]; then
    # one wine prefix for every run, made once (~20 s); the wineserver is kept for the whole
    # check (-p), so each Pd run does not start a new one
    export WINEPREFIX=$top/build/ports/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    wine_started=1
    [ -f "$WINEPREFIX/system.reg" ] || wineboot -i >/dev/null 2>&1
    # the wineserver and wine's helper processes start here, with no pipe of ours to hold open
    wineserver -p 120 </dev/null >/dev/null 2>&1
    wineboot </dev/null >/dev/null 2>&1
fi

# ---- which file each Pd loads -------------------------------------------------------------------
# Every binary sits in the project folder side by side, as in the deken package: each Pd must
# take its own and nothing else.
cat >"$out/loads.pd" <<'PATCH'
#N canvas 0 0 400 300 12;
#X obj 10 10 sidecar~;
#X obj 10 60 loadbang;
#X msg 10 90 print;
#X msg 100 90 \; pd quit 0;
#X connect 1 0 2 0;
#X connect 1 0 3 0;
#X connect 2 0 0 0;
PATCH
loads() { # PORT
    local port=$1 log=$out/$1/loads.log
    mkdir -p "$out/$port"
    tests/pd-run.sh "${pd_of[$port]}" 60 -batch -noprefs -nosound -nostdpath -verbose \
        -path "$top" "$out/loads.pd" >"$log" 2>&1
    local rc=$? got
    got=$(grep 'succeeded' "$log" | grep -o -E 'sidecar~\.[A-Za-z0-9_.-]+' | head -n 1)
    if [ "$rc" -ne 0 ]; then echo "FAIL loads: pd exited $rc: $(grep -m1 -i -e error -e "couldn't" "$log")"
    elif [ "$got" = "${file_of[$port]}" ]; then echo "PASS loads: $got"
    else echo "FAIL loads: loaded '${got:-nothing}', want ${file_of[$port]}"; fi
    if grep -q -E '^ *sidecar~ [0-9]' "$log"; then echo "PASS creates_and_prints"
    else echo "FAIL creates_and_prints: no print output from the object"; fi
    if grep -q '^error' "$log"; then echo "FAIL no_errors: $(grep -m1 '^error' "$log")"
    else echo "PASS no_errors"; fi
}
for p in "${ports[@]}"; do
    if [ -n "${pd_ok[$p]:-}" ]; then leg "$p" loads "$p"; else unloaded+=("${file_of[$p]}"); fi
done

# ---- renders ------------------------------------------------------------------------------------
# render PORT [CASE...]: 20-reference.sh in the port's Pd; with SAME_AS for the ports, so each
# case also checks its bits against the baseline
render() {
    local port=$1; shift
    local same=""
    case "$port" in
        linux-amd64-32|linux-amd64-64) ;;
        *-32) same=$out/linux-amd64-32/ref ;;
        *-64) same=$out/linux-amd64-64/ref ;;
    esac
    if [ -n "$same" ] && [ ! -d "$same" ]; then
        echo "FAIL baseline: no x86-64 renders in $same to compare with"; return
    fi
    PD_VERSION=${pd_of[$port]} OUT=$out/$port SAME_AS=$same bash tests/suites/20-reference.sh "$@"
}
leg linux-amd64-32/render render linux-amd64-32
if [ -n "${pd_ok[linux-amd64-64]:-}" ]; then leg linux-amd64-64/render render linux-amd64-64; fi

# The qemu subset: greedy cover of every feature of every case (see the top of this file),
# read from the case patches the baseline prepared.
features() { # CASE-DIR: one feature a line
    local dir=$1 name
    name=$(basename "$dir")
    echo "family:${name%%-*}"
    awk '/^#X obj [0-9]+ [0-9]+ sidecar~/ {
             sub(/;$/, ""); comp = 0
             for (i = 5; i <= NF; i++) { if ($i ~ /^-[a-z]/) print "flag:" $i; if ($i == "-mode" && $(i+1) == "comp") comp = 1 }
             print (comp ? "mode:comp" : "mode:duck") }
         /^#X msg [0-9]+ [0-9]+ [a-z_A-Z]/ && $5 != "read" && $5 != "write" { sub(/;$/, "", $5); print "msg:" $5
             if ($5 == "mode") { v = $6; sub(/;$/, "", v); print "mode:" v } }' "$dir/case.pd"
}
qemu_cases() {
    if [ -n "${PORTS_QEMU_CASES:-}" ]; then printf '%s\n' $PORTS_QEMU_CASES; return; fi
    local tool=$out/linux-amd64-32/sidecar_render c
    for c in $("$tool" list); do
        [ -f "$out/linux-amd64-32/ref/$c/case.pd" ] || continue
        echo "$c $(features "$out/linux-amd64-32/ref/$c" | sort -u | tr '\n' ' ')"
    done | awk '{ name[NR] = $1; for (i = 2; i <= NF; i++) { f[NR, $i] = 1; all[$i] = 1 }; n = NR; nf[NR] = NF }
        END {
            for (;;) {
                best = 0; bestgain = 0
                for (r = 1; r <= n; r++) {
                    if (taken[r]) continue
                    gain = 0
                    for (k in all) if (!covered[k] && f[r, k]) gain++
                    if (gain > bestgain) { best = r; bestgain = gain }
                }
                if (!best) break
                taken[best] = 1
                for (k in all) if (f[best, k]) covered[k] = 1
            }
            for (r = 1; r <= n; r++) if (taken[r]) print name[r]
        }'
}
mapfile -t qcases < <(qemu_cases)
echo "qemu subset (${#qcases[@]} cases): ${qcases[*]}"

for p in windows-amd64-32 windows-amd64-64; do
    [ -n "${pd_ok[$p]:-}" ] && leg "$p/render" render "$p"
done
for p in linux-arm64-32 linux-armv7-32 linux-arm64-64 linux-armv7-64; do
    [ -n "${pd_ok[$p]:-}" ] && leg "$p/render" render "$p" "${qcases[@]}"
done

# ---- malformed input, the help patch, multichannel strips ----------------------------------------
patches() { # PORT
    PD_VERSION=${pd_of[$1]} OUT=$out/$1 PATCH_SECTIONS="flags messages params03 flagvalue help" \
        bash tests/suites/30-patches.sh
}
strips() { # PORT: Pd 0.55/0.56 have multichannel signals: strips against one-channel instances
    MC_PD=${pd_of[$1]} MC_OUT=$out/$1/mc MC_SECTIONS="static dynamic" \
        bash tests/suites/35-multichannel.sh
}
for p in windows-amd64-32 windows-amd64-64 linux-arm64-32 linux-armv7-32; do
    [ -n "${pd_ok[$p]:-}" ] || continue
    leg "$p/patches" patches "$p"
    leg "$p/mc" strips "$p"
done

# ---- the plain-C host on arm64 (what a libpd or phone app runs: the core, no Pd) -----------------
# examples/host cross-built for arm64 against Debian 12's arm64 libsndfile (scripts/pd-arm.sh
# --host), run under qemu-aarch64; its output samples byte-identical to the x86-64 host's
# (libsndfile stamps each WAV's PEAK chunk with the time, so the samples are compared, via sox)
host_arm64() {
    local tree d=$out/host h=$top/build/ports/host
    rm -rf "$d" "$h"; mkdir -p "$d"
    if ! tree=$(scripts/pd-arm.sh --host arm64 2>"$d/sysroot.log"); then
        echo "FAIL sysroot: Debian 12's arm64 libsndfile1-dev could not be unpacked: $(tail -n 1 "$d/sysroot.log")"
        return
    fi
    if ! make -C examples/host BUILD="$h/linux-amd64" >"$d/build-amd64.log" 2>&1; then
        echo "FAIL build_amd64: $(grep -m1 -E 'error|warning' "$d/build-amd64.log")"; return
    fi
    local lib=$tree/usr/lib/aarch64-linux-gnu
    if ! make -C examples/host CC=aarch64-linux-gnu-gcc BUILD="$h/linux-arm64" \
            SNDFILE_CFLAGS="-I$tree/usr/include" \
            SNDFILE_LIBS="-L$lib -Wl,-rpath-link,$lib -lsndfile" >"$d/build-arm64.log" 2>&1; then
        echo "FAIL build_arm64: $(grep -m1 -E 'error|warning' "$d/build-arm64.log")"; return
    fi
    if grep -q warning "$d/build-arm64.log"; then echo "FAIL build_arm64: $(grep -m1 warning "$d/build-arm64.log")"
    else echo "PASS build_arm64"; fi
    sox -D -n -r 48000 -b 32 -e floating-point -c 2 "$d/kick.wav" synth 1 square 1000 vol 0.25 pad 0.5 1
    sox -D -n -r 48000 -b 32 -e floating-point -c 2 "$d/pad.wav" synth 2.5 sine 440 vol 0.25
    sox -D -n -r 44100 -b 32 -e floating-point -c 2 "$d/mix.wav" synth 3 pinknoise sine 110 vol 0.5
    local name flags files
    while IFS='|' read -r name flags files; do
        # shellcheck disable=SC2086 # (flags and files are word lists)
        "$h/linux-amd64/sidecar-wav" $flags $(printf "$d/%s " $files) "$d/$name-amd64.wav" 2>/dev/null
        # shellcheck disable=SC2086
        timeout 300 qemu-aarch64 -L "$tree" "$h/linux-arm64/sidecar-wav" $flags \
            $(printf "$d/%s " $files) "$d/$name-arm64.wav" 2>/dev/null
        sox -D "$d/$name-amd64.wav" -t raw "$d/$name-amd64.raw" 2>/dev/null
        sox -D "$d/$name-arm64.wav" -t raw "$d/$name-arm64.raw" 2>/dev/null
        if [ ! -s "$d/$name-amd64.raw" ] || [ ! -s "$d/$name-arm64.raw" ]; then
            echo "FAIL $name: no output from one of the hosts"
        elif cmp -s "$d/$name-amd64.raw" "$d/$name-arm64.raw"; then
            echo "PASS $name/same-bits: $(stat -c %s "$d/$name-arm64.raw") bytes of samples"
        else echo "FAIL $name/same-bits: the arm64 host's samples differ from the x86-64 host's"; fi
    done <<'CASES'
duck|-threshold -30|kick.wav pad.wav
duck-options|-lookahead 5 -rms 10 -hold 50 -range 20 -link 0.5 -sc_lpf 300 -mix 0.8|kick.wav pad.wav
comp|-mode comp -threshold -30 -ratio 6 -attack 2 -release 80 -knee 6 -makeup 4|mix.wav
comp-keyed|-mode comp -sc_hpf 200 -rms 20|pad.wav kick.wav
CASES
}
if [ -n "${pd_ok[linux-arm64-32]:-}" ]; then leg linux-arm64-32/host host_arm64; fi

# (only the wineserver of our own prefix)
[ -n "${wine_started:-}" ] && wineserver -k 2>/dev/null

# ---- summary --------------------------------------------------------------------------------------
if [ "$failed" -gt 0 ]; then echo; echo "Failures:"; printf '  %s\n' "${failures[@]}"; fi
if [ "$skipped" -gt 0 ]; then echo; echo "Skipped:"; printf '  %s\n' "${skips[@]}"; fi
echo
echo "check-ports took $((SECONDS - start)) s"
note=""
[ ${#unloaded[@]} -gt 0 ] && note=" (not loaded in any Pd here: ${unloaded[*]})"
echo "$passed passed, $failed failed, $skipped skipped$note"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

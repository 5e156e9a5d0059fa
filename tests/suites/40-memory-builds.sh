#!/bin/bash
# Builds and memory:
#   - the object builds with gcc, with clang, and for double-precision Pd (make floatsize=64),
#     each in a fresh copy of the sources under tests/out/, without a single compiler warning;
#   - valgrind memcheck over a pd -batch run that creates, connects, disconnects and deletes
#     sidecar~ objects while DSP runs (tests/patches/mem-dynamic.pd): no memory error and no
#     definite leak whose stack mentions sidecar. Pd's own findings, if any, are listed but
#     do not fail the suite.
set -u
out=tests/out/builds
rm -rf "$out"
mkdir -p "$out"

cpu=$(case $(uname -m) in x86_64) echo amd64 ;; aarch64) echo arm64 ;; armv7l) echo armv7 ;;
    i?86) echo i386 ;; *) uname -m ;; esac)

# build NAME MAKE-ARGS...: make -B in a fresh copy holding only the sources (copied object files
# could be stale for other flags, and make would not notice)
build() {
    local name=$1; shift
    local dir="$out/$name"
    mkdir -p "$dir/dsp"
    cp Makefile sidecar~.c "$dir/"
    cp dsp/*.c dsp/*.h "$dir/dsp/"
    if ! make -B -C "$dir" "$@" >"$dir/build.log" 2>&1; then
        echo "FAIL build/$name: make $* failed"; tail -n 20 "$dir/build.log" | sed 's/^/  /'
        return 1
    fi
    # a double-precision Pd loads only the new-style name (see the Makefile)
    local bin='sidecar~.pd_linux'
    case " $* " in *" floatsize=64 "*) bin="sidecar~.linux-$cpu-64.so" ;; esac
    if [ ! -f "$dir/$bin" ]; then
        echo "FAIL build/$name: no $bin"; return 1
    fi
    echo "PASS build/$name"
    if grep -i -E 'warning|error' "$dir/build.log" | grep -v -E '^\+\+\+\+' >"$dir/warnings"; then
        echo "FAIL build/$name-warnings: $(head -n 1 "$dir/warnings")"
        sed 's/^/  /' "$dir/warnings" | head -n 20
    else
        echo "PASS build/$name-warnings"
    fi
}

build gcc CC=gcc
build clang CC=clang
if build double floatsize=64; then
    # every C file must have been compiled for double samples
    n=$(grep -c -E '(^| )(cc|gcc|clang) .*-c ' "$out/double/build.log")
    d=$(grep -E '(^| )(cc|gcc|clang) .*-c ' "$out/double/build.log" | grep -c -e '-DPD_FLOATSIZE=64')
    if [ "$n" -ge 2 ] && [ "$n" -eq "$d" ]; then echo "PASS build/double-flags"
    else echo "FAIL build/double-flags: $d of $n compiles had -DPD_FLOATSIZE=64"; fi
fi

# ---- valgrind -----------------------------------------------------------------------------------
if [ ! -f "$out/gcc/sidecar~.pd_linux" ]; then
    echo "FAIL valgrind/run: no gcc build to load"
    exit 0
fi
vlog="$out/valgrind.log"
timeout 300 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --num-callers=30 --log-file="$vlog" \
    pd -batch -noprefs -nosound -r 48000 -path "$out/gcc" tests/patches/mem-dynamic.pd \
    >"$out/valgrind.pd.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL valgrind/run: pd under valgrind exited $rc (124 = timeout)"
    tail -n 20 "$out/valgrind.pd.log" | sed 's/^/  /'
else
    echo "PASS valgrind/run"
fi
if grep -q "couldn't create" "$out/valgrind.pd.log" || ! grep -q 'sidecar~' "$out/valgrind.pd.log"; then
    # the patch's bad flags make every new sidecar~ post an error: no such line, no object
    echo "FAIL valgrind/objects_created: sidecar~ did not load (see $out/valgrind.pd.log)"
else
    echo "PASS valgrind/objects_created"
fi
# Split the log into records (blank-line separated) and keep those that are errors or leaks.
awk '/^==[0-9]+== $/ { if (rec != "") print rec "\n@@"; rec = ""; next }
     { rec = rec $0 "\n" }
     END { if (rec != "") print rec "\n@@" }' "$vlog" |
    awk -v RS='@@' -v ORS='@@' '/(Invalid|uninitialised|Mismatched|overlap|definitely lost in)/' >"$out/valgrind.records"
# ours: a frame in our binary or one of our functions (not merely a path containing "sidecar")
mine='sidecar~[.][a-z_0-9.-]*(so|pd_linux)|sidecar_[a-z]'
ours=$(awk -v RS='@@' -v re="$mine" '$0 ~ re { n++ } END { print n + 0 }' "$out/valgrind.records")
all=$(awk -v RS='@@' 'NF { n++ } END { print n + 0 }' "$out/valgrind.records")
summary=$(grep -m1 'ERROR SUMMARY' "$vlog" | sed 's/^==[0-9]*== //')
if [ "$ours" -gt 0 ]; then
    echo "FAIL valgrind/sidecar_clean: $ours memcheck report(s) involving sidecar~ ($summary)"
    awk -v RS='@@' -v re="$mine" '$0 ~ re' "$out/valgrind.records" | head -n 60 | sed 's/^/  /'
elif [ -z "$summary" ]; then
    echo "FAIL valgrind/sidecar_clean: no valgrind summary in $vlog"
else
    echo "PASS valgrind/sidecar_clean"
    [ "$all" -gt 0 ] && echo "  note: $all report(s) from Pd itself, none involving sidecar~ ($summary)"
fi
exit 0

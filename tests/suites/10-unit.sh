#!/bin/bash
# Unit tests of the DSP core (tests/unit/test_sidecar.c), and the core against the reference of
# SPEC.md over random runs with random events (tests/unit/diff_ref.c: unit-diff-*), each built
# three ways:
#   plain   gcc -O2, float samples (what the Pd object uses)
#   asan    clang with AddressSanitizer + UndefinedBehaviorSanitizer, any report is fatal
#   double  gcc -O2 with -DSIDECAR_SAMPLE_DOUBLE (double-precision Pd's t_sample)
# Each build's check lines are prefixed with its name; a build that fails to compile, or
# compiles with a warning (the core and each program are checked apart), is a FAIL of its own.
set -u
out=tests/out/unit
mkdir -p "$out"
warn="-std=c11 -Wall -Wextra -Wshadow -Idsp -Itests/unit -Itests/reference"
# (the core, dsp/sidecar.c, is compiled once per build and linked into both programs: under
# ASan its compile alone takes half a minute)
unit="tests/unit/test_sidecar.c"
# the core against the reference of SPEC.md, random runs (tests/unit/diff_ref.c)
diff="tests/unit/diff_ref.c tests/reference/sidecar_ref.c"

compiled() { # name log compiler: PASS/FAIL lines for one compile's log; fails without output
    local name=$1 log=$2 cc=$3
    if [ -s "$log" ]; then
        echo "FAIL unit-$name/build-warnings: $cc warned"; sed 's/^/  /' "$log"
    else
        echo "PASS unit-$name/build-warnings"
    fi
}

build_core() { # build compiler flags...: $out/core-<build>.o
    local name=$1 cc=$2; shift 2
    local log="$out/core-$name.build.log"
    rm -f "$out/core-$name.o"
    if ! "$cc" $warn "$@" -c dsp/sidecar.c -o "$out/core-$name.o" >"$log" 2>&1; then
        echo "FAIL unit-core-$name/build: $cc did not compile dsp/sidecar.c"; sed 's/^/  /' "$log"
        return
    fi
    compiled "core-$name" "$log" "$cc"
}

build_and_run() { # name build "sources" compiler flags...
    local name=$1 build=$2 src=$3 cc=$4; shift 4
    local bin="$out/$name" log="$out/$name.build.log"
    if [ ! -f "$out/core-$build.o" ]; then
        echo "FAIL unit-$name/build: no core object for the $build build (see above)"; return
    fi
    # shellcheck disable=SC2086
    if ! "$cc" $warn "$@" $src "$out/core-$build.o" -lm -o "$bin" >"$log" 2>&1; then
        echo "FAIL unit-$name/build: $cc did not compile the tests"; sed 's/^/  /' "$log"; return
    fi
    compiled "$name" "$log" "$cc"
    # The sanitizers print to stderr and exit non-zero on the first finding.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
        timeout 120 "$bin" >"$out/$name.log" 2>"$out/$name.err"
    local rc=$?
    sed -e "s/^PASS /PASS unit-$name\//" -e "s/^FAIL /FAIL unit-$name\//" "$out/$name.log" | grep -v '^#'
    if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out/$name.log"; then
        echo "FAIL unit-$name/exit: the test binary exited $rc without a failed check"
        sed 's/^/  /' "$out/$name.err" | head -40
    elif [ -s "$out/$name.err" ]; then
        echo "FAIL unit-$name/stderr-clean: the run wrote to stderr (a sanitizer report?)"
        sed 's/^/  /' "$out/$name.err" | head -40
    else
        echo "PASS unit-$name/stderr-clean"
    fi
}

asan="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
build_core plain gcc -O2
# shellcheck disable=SC2086
build_core asan clang $asan
build_core double gcc -O2 -DSIDECAR_SAMPLE_DOUBLE
for prog in unit diff; do
    p=; [ $prog = diff ] && p=diff-
    build_and_run "${p}plain" plain "${!prog}" gcc -O2
    # shellcheck disable=SC2086
    build_and_run "${p}asan" asan "${!prog}" clang $asan
    build_and_run "${p}double" double "${!prog}" gcc -O2 -DSIDECAR_SAMPLE_DOUBLE
done
exit 0

#!/bin/bash
# Unit tests of the DSP core (tests/unit/test_sidecar.c), and the core against the reference of
# SPEC.md over random runs with random events (tests/unit/diff_ref.c: unit-diff-*), each built
# three ways:
#   plain   gcc -O2, float samples (what the Pd object uses)
#   asan    clang with AddressSanitizer + UndefinedBehaviorSanitizer, any report is fatal
#   double  gcc -O2 with -DSIDECAR_SAMPLE_DOUBLE (double-precision Pd's t_sample)
# Each build's check lines are prefixed with its name; a build that fails to compile, or
# compiles with a warning, is a FAIL of its own.
set -u
out=tests/out/unit
mkdir -p "$out"
warn="-std=c11 -Wall -Wextra -Wshadow -Idsp -Itests/unit -Itests/reference"
unit="tests/unit/test_sidecar.c dsp/sidecar.c"
# the core against the reference of SPEC.md, random runs (tests/unit/diff_ref.c)
diff="tests/unit/diff_ref.c tests/reference/sidecar_ref.c dsp/sidecar.c"

build_and_run() { # name "sources" compiler flags...
    local name=$1 src=$2 cc=$3; shift 3
    local bin="$out/$name" log="$out/$name.build.log"
    # shellcheck disable=SC2086
    if ! "$cc" $warn "$@" $src -lm -o "$bin" >"$log" 2>&1; then
        echo "FAIL unit-$name/build: $cc did not compile the tests"; sed 's/^/  /' "$log"; return
    fi
    if [ -s "$log" ]; then
        echo "FAIL unit-$name/build-warnings: $cc warned"; sed 's/^/  /' "$log"
    else
        echo "PASS unit-$name/build-warnings"
    fi
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
for prog in unit diff; do
    p=; [ $prog = diff ] && p=diff-
    build_and_run "${p}plain" "${!prog}" gcc -O2
    # shellcheck disable=SC2086
    build_and_run "${p}asan" "${!prog}" clang $asan
    build_and_run "${p}double" "${!prog}" gcc -O2 -DSIDECAR_SAMPLE_DOUBLE
done
exit 0

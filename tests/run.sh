#!/bin/bash
# The test runner behind `make check`. Runs every suite tests/suites/*.sh (in name order) from
# the project root, under each Pd it is meant for (table below); a suite prints one line per test
# case, "PASS <name>" or "FAIL <name>: why", plus whatever detail it likes on other lines. A suite
# that exits non-zero without printing a FAIL counts as one failure. Ends with the line
# "N passed, N failed" over all suites and Pds; exits 1 on any failure.
#   tests/run.sh [PATTERN]   run only the suites whose file name contains PATTERN
#   tests/run.sh --list      which suite runs under which Pd
#   PD_VERSIONS="0.53" tests/run.sh  only the given Pds (default: PD_VERSIONS="0.53 0.55")
#
# Pds: 0.53 is this machine's (Debian 12), 0.55 is Debian 13's in the chroot build/pd-0.55, which
# scripts/pd-chroot.sh makes once (when a 0.55 suite is about to run) and keeps. A suite sees its
# Pd as PD_VERSION (run Pd through tests/pd-run.sh "$PD_VERSION" ...) and the folder for its
# files as OUT: tests/out for 0.53, tests/out/pd-0.55 for 0.55, so the runs never overwrite each
# other. Under 0.55 every test name is prefixed "pd0.55/". If the chroot cannot be made, each
# 0.55 suite counts as one FAIL naming what is missing.
set -u
cd "$(dirname "$0")/.." || exit 2

# Which Pds each suite runs under; a suite not listed runs once, under 0.53 (the suites that do
# not depend on the Pd version, and 50-robust, whose long extreme/valgrind runs stay on 0.53).
declare -A pds_of=(
    [20-reference]="0.53 0.55"
    [30-patches]="0.53 0.55"
    [35-multichannel]="0.55"      # multichannel signals: Pd 0.54 and later only
    [70-frontdoor]="0.53 0.55"
    [80-panel]="0.53 0.55"         # sidecar-panel~ (multichannel rows under 0.55 only)
)
pds_for() { echo "${pds_of[$1]:-0.53}"; }

if [ "${1:-}" = --list ]; then
    for suite in tests/suites/*.sh; do
        name=$(basename "$suite" .sh); printf '%-20s Pd %s\n' "$name" "$(pds_for "$name")"
    done
    exit 0
fi
pattern=${1:-}
selected=" ${PD_VERSIONS:-0.53 0.55} "

passed=0; failed=0; failures=()
chroot_state=""   # "", ok, or the reason it could not be made

# run_suite SUITE PD: one run of SUITE under Pd PD, counted
run_suite() {
    local suite=$1 pd=$2 name prefix="" out=tests/out
    name=$(basename "$suite" .sh)
    if [ "$pd" != 0.53 ]; then prefix="pd$pd/"; out=tests/out/pd-$pd; fi
    echo "=== $prefix$name (Pd $pd)"
    local log start=$SECONDS rc p f
    log=$(mktemp)
    if [ "$pd" = 0.55 ] && [ -z "$chroot_state" ]; then
        scripts/pd-chroot.sh 2>&1 | tee "$log"
        if [ "${PIPESTATUS[0]}" -eq 0 ]; then chroot_state=ok
        else chroot_state="no Pd 0.55 chroot: $(sed -n 's/^pd-chroot: FAILED: //p' "$log" | tail -n 1)"; fi
    fi
    if [ "$pd" = 0.55 ] && [ "$chroot_state" != ok ]; then
        echo "FAIL $prefix$name: not run: $chroot_state" | tee "$log"
        rc=0
    else
        mkdir -p "$out"
        PD_VERSION=$pd OUT=$out bash "$suite" 2>&1 |
            sed -e "s|^PASS |PASS $prefix|" -e "s|^FAIL |FAIL $prefix|" | tee "$log"
        rc=${PIPESTATUS[0]}
    fi
    p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $prefix$name: suite exited $rc"; f=1
        failures+=("$prefix$name: suite exited $rc")
    fi
    while IFS= read -r line; do failures+=("$name: ${line#FAIL }"); done < <(grep '^FAIL ' "$log")
    echo "--- $prefix$name: $p passed, $f failed ($((SECONDS - start)) s)"
    passed=$((passed + p)); failed=$((failed + f))
    rm -f "$log"
}

for suite in tests/suites/*.sh; do
    [ -n "$pattern" ] && [[ "$suite" != *"$pattern"* ]] && continue
    for pd in $(pds_for "$(basename "$suite" .sh)"); do
        if [[ "$selected" == *" $pd "* ]]; then run_suite "$suite" "$pd"
        else echo "=== $(basename "$suite" .sh) not run under Pd $pd (PD_VERSIONS=\"${PD_VERSIONS:-}\")"; fi
    done
done
if [ "$failed" -gt 0 ]; then
    echo; echo "Failures:"; printf '  %s\n' "${failures[@]}"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

#!/bin/bash
# The test runner behind `make check`. Runs every suite tests/suites/*.sh (in name order) from
# the project root; a suite prints one line per test case, "PASS <name>" or "FAIL <name>: why",
# plus whatever detail it likes on other lines. A suite that exits non-zero without printing a
# FAIL counts as one failure. Ends with the line "N passed, N failed"; exits 1 on any failure.
#   tests/run.sh [PATTERN]   run only the suites whose file name contains PATTERN
set -u
cd "$(dirname "$0")/.." || exit 2
pattern=${1:-}
passed=0; failed=0; failures=()
for suite in tests/suites/*.sh; do
    [ -n "$pattern" ] && [[ "$suite" != *"$pattern"* ]] && continue
    name=$(basename "$suite" .sh)
    echo "=== $name"
    log=$(mktemp)
    start=$SECONDS
    bash "$suite" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: suite exited $rc"; f=1
        failures+=("$name: suite exited $rc")
    fi
    while IFS= read -r line; do failures+=("$name: ${line#FAIL }"); done < <(grep '^FAIL ' "$log")
    echo "--- $name: $p passed, $f failed ($((SECONDS - start)) s)"
    passed=$((passed + p)); failed=$((failed + f))
    rm -f "$log"
done
if [ "$failed" -gt 0 ]; then
    echo; echo "Failures:"; printf '  %s\n' "${failures[@]}"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

# Shell functions the suites share (sourced, from the project root).

# pd_checks VERSION TAG LOG PD-ARGS...: one `pd -batch -noprefs -nosound` run of Pd VERSION under
# a time limit (tests/pd-run.sh, 60 s), its console in LOG. Its check lines ("PASS name",
# "FAIL name: why") come out prefixed with TAG/, then three of the run's own:
#   TAG/exit     the exit status agrees with the checks (a failed check must exit non-zero, a
#                non-zero exit needs a failed check: 124 is a time-out, 127 no such Pd)
#   TAG/ran      the run made at least one check (not with nochecks=1)
#   TAG/creates  no object failed to create or refused a multichannel input
pd_checks() {
    local version=$1 tag=$2 log=$3; shift 3
    tests/pd-run.sh "$version" 60 -batch -noprefs -nosound "$@" >"$log" 2>&1
    local rc=$?
    sed -n -e "s|^PASS |PASS $tag/|p" -e "s|^FAIL |FAIL $tag/|p" "$log"
    local npass nfail
    npass=$(grep -c '^PASS ' "$log"); nfail=$(grep -c '^FAIL ' "$log")
    if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
        echo "FAIL $tag/exit: pd exited $rc (124 = timeout, 127 = no Pd $version) without a failed check"
        tail -n 15 "$log" | sed 's/^/  /'
    elif [ "$rc" -eq 0 ] && [ "$nfail" -gt 0 ]; then
        echo "FAIL $tag/exit: checks failed but pd exited 0"
    else
        echo "PASS $tag/exit"
    fi
    [ "$npass" -gt 0 ] || [ "$nfail" -gt 0 ] || [ -n "${nochecks:-}" ] ||
        echo "FAIL $tag/ran: no check ran"
    if grep -q -e "couldn't create" -e "can't take multichannel" "$log"; then
        echo "FAIL $tag/creates: $(grep -m1 -B1 -e "couldn't create" -e "can't take multichannel" "$log" | tr '\n' ' ')"
    else
        echo "PASS $tag/creates"
    fi
}

# same NAME FILE FILE: PASS NAME when both files exist, are not empty and are byte-identical
same() { # NAME FILE FILE
    if [ ! -s "$2" ] || [ ! -s "$3" ]; then echo "FAIL $1: render missing ($2, $3)"
    elif cmp -s "$2" "$3"; then echo "PASS $1"
    else echo "FAIL $1: $(cmp "$2" "$3" 2>&1 | head -n 1)"; fi
}

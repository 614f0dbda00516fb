# Helpers for the cli_*.sh integration tests (sourced, not a test itself).
# Environment from run-tests.sh: CLEANER, REPO, TEST_TMP.
set -u
CONFIG=$REPO/config/cleaner.conf
IN=$TEST_TMP/in
OUT=$TEST_TMP/out
mkdir -p "$IN"

fail() {
    echo "FAIL: $*"
    [ -f "$TEST_TMP/err" ] && { echo "--- stderr"; tail -n 20 "$TEST_TMP/err"; }
    exit 1
}

# run EXPECTED_RC ARGS...: runs the cleaner with the repo's config, stdout to
# $TEST_TMP/out.txt, stderr to $TEST_TMP/err; fails on another exit code.
run() {
    local want=$1 rc=0
    shift
    "$CLEANER" "$@" >"$TEST_TMP/stdout" 2>"$TEST_TMP/err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "cleaner $* exited $rc, expected $want"
}

make_article() {
    printf 'Title of article %s\n\nThe council met on Monday to discuss the harbour ferry service and its costs for the coming year.\n\nResidents said the late crossings matter to people who work night shifts in the port district.\n\nThe end of document %s.\n' "$2" "$2" >"$1"
}

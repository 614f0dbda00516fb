#!/usr/bin/env bash
# Runs every unit test binary and integration script for each build dir given
# (e.g. build build/asan) and prints the closing line 'N passed, N failed'.
#
# Unit tests are cmocka programs (build/tests/test_*); their own summaries are
# parsed for counts.  Each runs under `timeout` (UNIT_TIMEOUT seconds, default
# 600), so an input that makes the library loop fails the run instead of
# hanging it.  Integration tests are tests/integration/*.sh, each one
# test: exit 0 passes, 77 skips, anything else fails.  They get:
#   CLEANER      the binary under test        BUILD   its build dir
#   REPO         the repository root          SHARED  ../shared (may be absent)
#   TEST_TMP     a fresh temporary folder, removed afterwards
#   CLEANER_CONFIG  this repository's config/cleaner.conf: build/asan/cleaner
#                would not find it beside itself as build/cleaner does
#   XDG_CACHE_HOME  $TEST_TMP/cache, so the rules index cache (cache_dir) of
#                each test starts empty and never lands in the user's ~/.cache
# and run under `timeout` (INTEGRATION_TIMEOUT seconds, default 300).
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
passed=0 failed=0 skipped=0
failures=()

run_unit() {
    local bin=$1 out rc p f
    out=$(CMOCKA_MESSAGE_OUTPUT=stdout timeout -k 5 "${UNIT_TIMEOUT:-600}" "$bin" 2>&1); rc=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed before a summary
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        failures+=("$bin")
        printf '%s\n' "$out" | grep -v '^\[ \(RUN\|       OK\) ' | sed 's/^/    /'
    fi
    printf '%-44s %3d passed %3d failed\n' "$bin" "$p" "$f"
}

run_integration() {
    local build=$1 script=$2 tmp rc log
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/cleaner-it.XXXXXX")
    log="$tmp.log"
    CLEANER="$repo/$build/cleaner" BUILD="$build" REPO="$repo" \
        CLEANER_CONFIG="${CLEANER_CONFIG:-$repo/config/cleaner.conf}" \
        SHARED="$repo/../shared" TEST_TMP="$tmp" XDG_CACHE_HOME="$tmp/cache" \
        timeout -k 5 "${INTEGRATION_TIMEOUT:-300}" bash "$script" >"$log" 2>&1
    rc=$?
    chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"
    case $rc in
        0)  passed=$((passed + 1)); printf '%-44s ok\n' "$build: $script" ;;
        77) skipped=$((skipped + 1)); printf '%-44s skipped: %s\n' "$build: $script" "$(tail -n 1 "$log")" ;;
        *)  failed=$((failed + 1)); failures+=("$build: $script")
            printf '%-44s FAILED (exit %d)\n' "$build: $script" "$rc"
            tail -n 40 "$log" | sed 's/^/    /' ;;
    esac
    rm -f "$log"
}

builds=("$@")
[ ${#builds[@]} -eq 0 ] && builds=(build)
for build in "${builds[@]}"; do
    for bin in "$build"/tests/test_*; do
        [ -x "$bin" ] && run_unit "$bin"
    done
    for script in tests/integration/*.sh; do
        [ -f "$script" ] && run_integration "$build" "$script"
    done
done

if [ ${#failures[@]} -ne 0 ]; then
    echo "failed:"; printf '  %s\n' "${failures[@]}"
fi
if [ "$skipped" -ne 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

# Helpers for the daemon_*.sh and cli_*.sh integration tests (sourced, not a
# test itself: run-tests.sh only runs *.sh).  Environment from run-tests.sh:
# CLEANER, REPO, TEST_TMP.
set -u

IN=$TEST_TMP/in
OUT=$TEST_TMP/out
LOG=$TEST_TMP/daemon.log
CONF=$TEST_TMP/cleaner.conf
DAEMON_PID=

fail() {
    echo "FAIL: $*"
    if [ -f "$LOG" ]; then echo "--- daemon log (last 30 lines)"; tail -n 30 "$LOG"; fi
    [ -n "$DAEMON_PID" ] && kill -9 "$DAEMON_PID" 2>/dev/null
    exit 1
}

# write_conf [key = value lines for [cleaner]...]: a config with a small
# rules folder of its own, so these tests exercise the daemon, whatever state
# the shipped rules are in.
write_conf() {
    mkdir -p "$TEST_TMP/rules"
    printf '[follow-prompt]\nphrase = follow us on\naction = drop\n' \
        >"$TEST_TMP/rules/prompts.rules"
    {
        echo "[cleaner]"
        echo "input_dir = $IN"
        echo "output_dir = $OUT"
        echo "rules_dir = rules"
        echo "jobs = 2"
        for line in "$@"; do echo "$line"; done
    } >"$CONF"
}

# make_article FILE N: a small plain-text article whose last line names N.
make_article() {
    printf 'Title of article %s\n\nThe council met on Monday to discuss the harbour ferry service and its costs for the coming year.\n\nResidents said the late crossings matter to people who work night shifts in the port district.\n\nThe end of document %s.\n' "$2" "$2" >"$1"
}

start_daemon() {
    "$CLEANER" -c "$CONF" "$@" 2>>"$LOG" &
    DAEMON_PID=$!
    # Ready once it logged that it watches IN.
    wait_until 20 started || fail "daemon did not start"
}

started() {
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon exited at start"
    grep -q "watching" "$LOG"
}

# stop_daemon: SIGTERM, and the daemon must exit 0.
stop_daemon() {
    kill -TERM "$DAEMON_PID" 2>/dev/null || fail "daemon died before SIGTERM"
    local rc=0
    wait "$DAEMON_PID" || rc=$?
    DAEMON_PID=
    [ "$rc" -eq 0 ] || fail "daemon exited $rc after SIGTERM, expected 0"
}

# wait_until SECONDS COMMAND...: retries COMMAND every 50 ms.
wait_until() {
    local limit=$(( $1 * 20 )) i=0
    shift
    while ! "$@"; do
        i=$((i + 1))
        [ "$i" -ge "$limit" ] && return 1
        sleep 0.05
    done
    return 0
}

count_files() {
    find "$1" -type f ! -name '.*' | wc -l
}

has_count() {
    [ "$(count_files "$1")" -eq "$2" ]
}

# wait_outputs N [SECONDS]: until OUT holds N outputs.
wait_outputs() {
    wait_until "${2:-60}" has_count "$OUT" "$1" \
        || fail "expected $1 outputs in OUT, found $(count_files "$OUT")"
}

no_temp_files() {
    local left
    left=$(find "$OUT" -name '.cleaner-tmp-*' | head -n 3)
    [ -z "$left" ] || fail "temporary files left in OUT: $left"
}

alive() {
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon is not running"
}

mkdir -p "$IN" "$OUT"
: >"$LOG"

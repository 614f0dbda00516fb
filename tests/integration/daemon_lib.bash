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

# ---- Helpers for the fault_*.sh tests (nothing above uses them). ----

# on_exit COMMAND: evaluates COMMAND when the script exits, last registered
# first; the EXIT trap is installed by the first call.
ON_EXIT=()
on_exit() {
    [ ${#ON_EXIT[@]} -eq 0 ] && trap run_on_exit EXIT
    ON_EXIT+=("$*")
}
run_on_exit() {
    local i
    for ((i = ${#ON_EXIT[@]} - 1; i >= 0; i--)); do eval "${ON_EXIT[i]}" || true; done
    ON_EXIT=()
}

# kill_daemon: SIGKILL to the current daemon, if any (its workers die with it:
# PR_SET_PDEATHSIG), and reap it.
kill_daemon() {
    if [ -n "$DAEMON_PID" ]; then
        kill -9 "$DAEMON_PID" 2>/dev/null
        wait "$DAEMON_PID" 2>/dev/null
    fi
    DAEMON_PID=
}

# start_daemon_cmd COMMAND...: like start_daemon, for a full command line
# (e.g. setpriv ... "$CLEANER" -c "$CONF"); COMMAND must exec the cleaner so
# that DAEMON_PID is the daemon's.
start_daemon_cmd() {
    "$@" 2>>"$LOG" &
    DAEMON_PID=$!
    wait_until 20 started || fail "daemon did not start"
}

# AS_NOBODY: the prefix that runs a command as uid/gid 65534, no groups.
# shellcheck disable=SC2034  # used by the fault_*.sh scripts
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# worker_pids: the daemon's worker processes, one per line.
worker_pids() {
    pgrep -P "$DAEMON_PID"
}

proc_state() {
    awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null
}

all_stopped() {
    local p
    for p in "$@"; do
        [ "$(proc_state "$p")" = T ] || return 1
    done
    return 0
}

# stop_workers: SIGSTOP every worker and wait until they are stopped; the
# PIDs are left in STOPPED_WORKERS.
STOPPED_WORKERS=()
stop_workers() {
    mapfile -t STOPPED_WORKERS < <(worker_pids)
    [ ${#STOPPED_WORKERS[@]} -gt 0 ] || fail "no worker processes under $DAEMON_PID"
    kill -STOP "${STOPPED_WORKERS[@]}" || fail "cannot stop the workers"
    wait_until 5 all_stopped "${STOPPED_WORKERS[@]}" || fail "workers did not stop"
}

cont_workers() {
    [ ${#STOPPED_WORKERS[@]} -gt 0 ] && kill -CONT "${STOPPED_WORKERS[@]}" 2>/dev/null
    STOPPED_WORKERS=()
    return 0
}

# cpu_ticks PID: utime + stime of PID, in clock ticks.
cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# outputs_with TEXT [DIR]: the outputs (dotfiles aside) holding TEXT.
outputs_with() {
    find "${2:-$OUT}" -type f ! -name '.*' -exec grep -lF -- "$1" {} + 2>/dev/null
}

has_output_with() {
    [ -n "$(outputs_with "$@")" ]
}

# inotify_watches PID: the inotify watches PID holds.
inotify_watches() {
    cat /proc/"$1"/fdinfo/* 2>/dev/null | grep -c '^inotify'
}

daemon_gone() {
    ! kill -0 "$DAEMON_PID" 2>/dev/null
}

# problem MESSAGE: records a failure and goes on, so that one run reports
# every case that fails; end_problems fails with all of them, if any.
PROBLEMS=()
problem() {
    echo "problem: $*"
    PROBLEMS+=("$*")
}
end_problems() {
    [ ${#PROBLEMS[@]} -eq 0 ] && return 0
    local p all=""
    for p in "${PROBLEMS[@]}"; do all+="${p:0:160}; "; done
    fail "${#PROBLEMS[@]} problem(s): $all"
}

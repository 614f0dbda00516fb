#!/usr/bin/env bash
# Small daemon defects, one section each (all are run; every failure is
# reported):
#  (a) an input truncated after it was cleaned is cleaned again within ~5 s
#      with rescan_interval = 1: by `truncate -s 40` (a close event), and by
#      truncate(2) on its path (no close event: only the rescan sees it);
#  (b) a hard link into IN (ln, a complete closed file: IN_CREATE and no
#      close event) is cleaned within ~5 s, without a restart;
#  (c) worker_memory = 1M (a worker cannot even run in that) makes the
#      daemon and --once refuse to start: exit 2, naming worker_memory;
#  (d) a rules_dir with no .rules file gets a warning line naming the folder
#      (or a refusal naming it), from --once and from the daemon;
#  (e) done_dir equal to input_dir is refused: exit 2, daemon and --once.
. "$(dirname "$0")/daemon_lib.bash"
on_exit kill_daemon

# try_daemon CONF: starts a daemon with CONF in the background; 0 once it
# logs "watching", 1 if it exits first (its status in $rc) or hangs.
try_daemon() {
    : >"$LOG"
    "$CLEANER" -c "$1" 2>>"$LOG" &
    DAEMON_PID=$!
    local i
    for i in $(seq 1 200); do
        grep -q "watching" "$LOG" && return 0
        if daemon_gone; then
            rc=0
            wait "$DAEMON_PID" || rc=$?
            DAEMON_PID=
            return 1
        fi
        sleep 0.05
    done
    rc=hung
    kill_daemon
    return 1
}
# refused WHAT CONF WORD: the daemon and --once with CONF exit 2 at start,
# naming WORD on stderr.
refused() {
    local err=$TEST_TMP/once.err orc=0
    timeout -k 2 20 "$CLEANER" -c "$2" --once 2>"$err" || orc=$?
    [ "$orc" -eq 2 ] || problem "$1: --once exited $orc, expected 2"
    grep -qF -- "$3" "$err" || problem "$1: --once did not name $3: $(head -c 160 "$err")"
    if try_daemon "$2"; then
        problem "$1: the daemon started"
        kill_daemon
    else
        [ "$rc" = 2 ] || problem "$1: the daemon exited $rc, expected 2"
        grep -qF -- "$3" "$LOG" || problem "$1: the daemon did not name $3: $(head -c 160 "$LOG")"
    fi
}

# ---- (a) truncation, with the rescan ----
write_conf "rescan_interval = 1"
make_article "$IN/t1.txt" T1
make_article "$IN/t2.txt" T2
if try_daemon "$CONF"; then
    wait_until 10 has_output_with "The end of document T2." || problem "(a) t2.txt not cleaned at all"
    wait_until 10 has_output_with "The end of document T1." || problem "(a) t1.txt not cleaned at all"
    sleep 0.1
    truncate -s 40 "$IN/t1.txt"
    perl -e 'truncate($ARGV[0], 40) or die "truncate: $!\n"' "$IN/t2.txt"
    redone() {  # the output of MARK no longer holds its last line
        ! has_output_with "The end of document $1." && has_output_with "Title of article $1"
    }
    wait_until 5 redone T1 || problem "(a) truncate -s 40 (close event): output not redone within 5 s"
    wait_until 5 redone T2 || problem "(a) truncate(2), no close event: output not redone by the rescan within 5 s"
    alive
    stop_daemon
else
    problem "(a) the daemon with rescan_interval = 1 did not start (exit $rc): $(head -c 160 "$LOG")"
fi
rm -rf "$IN" "$OUT"
mkdir -p "$IN" "$OUT"

# ---- (b) a hard link into IN ----
write_conf
mkdir -p "$TEST_TMP/outside"
make_article "$TEST_TMP/outside/h.txt" HLINK
if try_daemon "$CONF"; then
    ln "$TEST_TMP/outside/h.txt" "$IN/h.txt"
    wait_until 5 has_output_with "The end of document HLINK." \
        || problem "(b) a hard link into IN was not cleaned within 5 s"
    alive
    stop_daemon
else
    problem "(b) the daemon did not start (exit $rc): $(head -c 160 "$LOG")"
fi

# ---- (c) worker_memory too small ----
write_conf "worker_memory = 1M"
cp "$CONF" "$TEST_TMP/mem.conf"
refused "(c) worker_memory = 1M" "$TEST_TMP/mem.conf" worker_memory

# ---- (d) a rules folder without rules ----
NORULES=$TEST_TMP/norules
mkdir -p "$NORULES"
echo "not a rules file" >"$NORULES/README.txt"
write_conf
sed -i "s|^rules_dir = .*|rules_dir = $NORULES|" "$CONF"
cp "$CONF" "$TEST_TMP/norules.conf"
warned_or_refused() {   # WHAT RC FILE
    if [ "$2" = 2 ]; then
        grep -qF "$NORULES" "$3" || problem "$1: refused without naming $NORULES"
    elif ! grep -E "^cleaner: (warning|error): " "$3" | grep -qF "$NORULES"; then
        problem "$1: no warning naming the rules folder $NORULES without .rules files"
    fi
}
orc=0
timeout -k 2 20 "$CLEANER" -c "$TEST_TMP/norules.conf" --once 2>"$TEST_TMP/once.err" || orc=$?
warned_or_refused "(d) --once" "$orc" "$TEST_TMP/once.err"
if try_daemon "$TEST_TMP/norules.conf"; then
    sleep 0.2
    warned_or_refused "(d) daemon" 0 "$LOG"
    stop_daemon
else
    warned_or_refused "(d) daemon" "$rc" "$LOG"
fi

# ---- (e) done_dir = input_dir ----
write_conf "done_dir = $IN"
cp "$CONF" "$TEST_TMP/done.conf"
refused "(e) done_dir = input_dir" "$TEST_TMP/done.conf" done_dir

end_problems
echo "small: truncation redone, hard link cleaned, worker_memory 1M and done_dir = input_dir refused, empty rules_dir reported"

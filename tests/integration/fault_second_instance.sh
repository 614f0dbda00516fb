#!/usr/bin/env bash
# One OUT, one cleaner: the daemon and --once take an exclusive flock on
# OUT/.cleaner.lock.  A second daemon, or a --once, on the same OUT while
# the first daemon has files in flight (its workers stopped with SIGSTOP)
# must exit 2 with "in use" on stderr, and must not touch OUT: in
# particular, it must not remove the temporary files of a live process
# (.cleaner-tmp-PID-N whose PID runs).  At its own start a cleaner removes
# only temporary files whose PID is dead.  After SIGCONT the first daemon
# cleans everything.
. "$(dirname "$0")/daemon_lib.bash"
on_exit 'kill $LIVE 2>/dev/null'
on_exit 'kill -9 $SECOND 2>/dev/null'
on_exit cont_workers
on_exit kill_daemon
SECOND=
write_conf

sleep 30 &
LIVE=$!
# A PID that runs no process.
dead=$(( $(cat /proc/sys/kernel/pid_max) - 1 ))
while kill -0 "$dead" 2>/dev/null; do dead=$((dead - 1)); done
mkdir -p "$OUT/sub"
echo stale >"$OUT/.cleaner-tmp-$dead-1"
echo stale >"$OUT/sub/.cleaner-tmp-$dead-2"
echo live >"$OUT/.cleaner-tmp-$LIVE-3"

start_daemon
[ -e "$OUT/.cleaner-tmp-$dead-1" ] && problem "the first daemon left a dead PID's temporary file"
[ -e "$OUT/sub/.cleaner-tmp-$dead-2" ] && problem "the first daemon left a dead PID's temporary file in a subfolder"
[ -e "$OUT/.cleaner-tmp-$LIVE-3" ] || problem "the first daemon removed the temporary file of a live process"

stop_workers
for i in 1 2 3 4 5; do make_article "$IN/f$i.txt" "F$i"; done
sleep 0.5                       # two jobs sent to the stopped workers
echo live >"$OUT/.cleaner-tmp-$LIVE-1"
echo live >"$OUT/sub/.cleaner-tmp-$LIVE-2"
live_files_intact() {
    local what=$1 f
    for f in "$OUT/.cleaner-tmp-$LIVE-1" "$OUT/sub/.cleaner-tmp-$LIVE-2"; do
        [ -e "$f" ] || problem "$what removed the live process's ${f#"$OUT"/}"
    done
}

# A second daemon on the same OUT.
"$CLEANER" -c "$CONF" 2>"$TEST_TMP/second.err" &
SECOND=$!
if wait_until 5 bash -c "! kill -0 $SECOND 2>/dev/null"; then
    rc=0
    wait "$SECOND" || rc=$?
    [ "$rc" -eq 2 ] || problem "a second daemon on the same OUT exited $rc, expected 2"
    grep -q "in use" "$TEST_TMP/second.err" \
        || problem "the second daemon did not say 'in use': $(head -c 200 "$TEST_TMP/second.err")"
else
    problem "a second daemon on the same OUT kept running: $(head -n 1 "$TEST_TMP/second.err")"
    kill -9 "$SECOND" 2>/dev/null
    wait "$SECOND" 2>/dev/null
fi
SECOND=
live_files_intact "the second daemon"

# --once on the same OUT.
rc=0
timeout -k 2 20 "$CLEANER" -c "$CONF" --once 2>"$TEST_TMP/once.err" || rc=$?
[ "$rc" -eq 2 ] || problem "--once on the same OUT exited $rc, expected 2"
grep -q "in use" "$TEST_TMP/once.err" \
    || problem "--once did not say 'in use': $(head -c 200 "$TEST_TMP/once.err")"
live_files_intact "--once"
alive

cont_workers
wait_until 10 has_count "$OUT" 5 || problem "after SIGCONT: $(count_files "$OUT") of 5 cleaned"
for i in 1 2 3 4 5; do
    has_output_with "The end of document F$i." || problem "f$i.txt not cleaned"
done
stop_daemon
end_problems
echo "second instance: daemon and --once refused with 'in use', live temporary files kept"

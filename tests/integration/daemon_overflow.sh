#!/usr/bin/env bash
# SIGSTOP the daemon, drop 20000 small files, SIGCONT: the kernel event
# queue overflows (max_queued_events is 16384 by default) and the rescan
# must catch every file.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
N=20000
start_daemon
kill -STOP "$DAEMON_PID"
for i in $(seq 1 $N); do
    printf 'Small file %s has one complete sentence in it.\n' "$i" >"$IN/s$i.txt"
done
kill -CONT "$DAEMON_PID"
wait_outputs $N 240
grep -q "overflow" "$LOG" || echo "note: no overflow was reported (queue large enough?)"
grep -q "Small file 12345 has" "$OUT/s12345.txt.txt" || fail "s12345.txt wrong"
no_temp_files
stop_daemon
echo "overflow: $N of $N cleaned after the rescan"

#!/usr/bin/env bash
# kill -9 in the middle of a burst, then restart: every input ends with
# exactly one complete output, and no temporary file remains.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
N=1500
start_daemon
for i in $(seq 1 $N); do make_article "$IN/k$i.txt" "$i"; done
# Let some outputs appear, then kill the daemon (its workers die with it).
wait_until 30 bash -c "[ \$(ls '$OUT' | wc -l) -ge 100 ]" || fail "no progress before kill"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
before=$(count_files "$OUT")
echo "killed with $before of $N outputs written"
[ "$before" -lt "$N" ] || echo "note: all outputs were written before the kill"

start_daemon
wait_outputs $N 180
stop_daemon
no_temp_files
for i in $(seq 1 $N); do
    f="$OUT/k$i.txt.txt"
    [ -f "$f" ] || fail "missing output for k$i.txt"
    tail -n 1 "$f" | grep -qx "The end of document $i\." || fail "k$i.txt output incomplete"
done
extra=$(find "$OUT" -type f ! -name 'k*.txt.txt' ! -name .cleaner.lock | head -n 3)
[ -z "$extra" ] || fail "unexpected files in OUT: $extra"
echo "kill -9: $N inputs, $N complete outputs, no temporary file"

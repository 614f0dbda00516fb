#!/usr/bin/env bash
# 2000 files dropped in a burst are all cleaned, each exactly once.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
start_daemon
for i in $(seq 1 2000); do make_article "$IN/f$i.txt" "$i"; done
wait_outputs 2000 180
for i in 1 500 1999 2000; do
    grep -q "The end of document $i\." "$OUT/f$i.txt.txt" || fail "f$i.txt incomplete"
done
lines=$(grep -c -- '-> f[0-9]*\.txt\.txt' "$LOG")
[ "$lines" -eq 2000 ] || fail "expected 2000 'cleaned' log lines, got $lines"
no_temp_files
stop_daemon
echo "burst: 2000 of 2000 cleaned once"

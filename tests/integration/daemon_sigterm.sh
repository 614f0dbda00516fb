#!/usr/bin/env bash
# SIGTERM in the middle of a large backlog: the daemon stops scanning,
# lets the workers finish their files, exits 0 promptly; every output
# written is complete, no temporary file is left, and a restart cleans
# the rest.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
N=3000
for i in $(seq 1 $N); do make_article "$IN/b$i.txt" "$i"; done
start_daemon
wait_until 30 bash -c "[ \$(ls '$OUT' | wc -l) -ge 50 ]" || fail "no progress"
start=$(date +%s)
stop_daemon
took=$(( $(date +%s) - start ))
[ "$took" -le 10 ] || fail "SIGTERM took ${took}s to stop the daemon"
grep -q "stopping: finishing" "$LOG" || fail "no stopping message"
no_temp_files
done_before=$(count_files "$OUT")
for f in "$OUT"/*.txt; do
    n=${f##*/b}; n=${n%.txt.txt}
    tail -n 1 "$f" | grep -qx "The end of document $n\." || fail "$f incomplete after SIGTERM"
done
echo "stopped after ${took}s with $done_before of $N cleaned"
start_daemon
wait_outputs $N 240
stop_daemon
no_temp_files
echo "SIGTERM: exit 0, outputs complete, the rest done after restart"

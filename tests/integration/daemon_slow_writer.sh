#!/usr/bin/env bash
# A writer that writes one file in slow chunks gets exactly one output, and
# it is complete: the daemon acts on close-after-write, never mid-write.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
start_daemon
{
    printf 'Slow title\n\nFirst chunk of the article is a full sentence about the harbour.\n\n'
    sleep 0.7
    printf 'Second chunk arrives later and is also a complete sentence here.\n\n'
    sleep 0.7
    printf 'Third and final chunk closes the article with a last sentence.\n'
} >"$IN/slow.txt"
wait_outputs 1 20
sleep 0.5
for part in "First chunk" "Second chunk" "final chunk"; do
    grep -q "$part" "$OUT/slow.txt" || fail "output misses '$part'"
done
n=$(grep -c 'in/slow.txt ->' "$LOG")
[ "$n" -eq 1 ] || fail "slow.txt cleaned $n times, expected once"
stop_daemon
echo "slow writer: one complete output"

#!/usr/bin/env bash
# A writer that writes one file in slow chunks gets exactly one output, and
# it is complete: the daemon acts on close-after-write, never mid-write.
# Also when a scan finds the file while it is being written (a new
# subfolder's first scan): the file waits for its close.
. "$(dirname "$0")/daemon_lib.bash"
write_conf "log_level = debug"
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
    grep -q "$part" "$OUT/slow.txt.txt" || fail "output misses '$part'"
done
n=$(grep -c 'in/slow.txt ->' "$LOG")
[ "$n" -eq 1 ] || fail "slow.txt cleaned $n times, expected once"

# A folder moved in while a file in it is still being written: the folder's
# scan finds the file open; the file is cleaned once, after its close,
# whether a later look or the close event finds it closed.
mkdir -p "$TEST_TMP/stage/fresh"
{
    printf 'Fresh title\n\nOpening chunk of the second article is a full sentence.\n\n'
    sleep 1.5
    printf 'Closing chunk of the second article is also a full sentence.\n'
} >"$TEST_TMP/stage/fresh/slow2.txt" &
WRITER=$!
sleep 0.5
mv "$TEST_TMP/stage/fresh" "$IN/fresh"
wait "$WRITER"
wait_outputs 2 20
sleep 0.5
grep -q "Closing chunk" "$OUT/fresh/slow2.txt.txt" || fail "fresh/slow2.txt incomplete"
grep -q "fresh/slow2.txt: still open for writing" "$LOG" || fail "scan did not see the open file"
n=$(grep -c 'in/fresh/slow2.txt ->' "$LOG")
[ "$n" -eq 1 ] || fail "fresh/slow2.txt cleaned $n times, expected once"
stop_daemon
echo "slow writer: one complete output each, also when found by a scan mid-write"

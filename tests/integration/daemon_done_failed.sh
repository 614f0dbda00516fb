#!/usr/bin/env bash
# done_dir receives inputs after their output is durable; failed_dir
# receives failures with NAME.error giving the reason.
. "$(dirname "$0")/daemon_lib.bash"
write_conf "done_dir = $TEST_TMP/done" "failed_dir = $TEST_TMP/failed"
start_daemon
mkdir -p "$IN/sub"
make_article "$IN/sub/ok.txt" ok
printf 'abc\x00def' >"$IN/bad.txt"
wait_outputs 1 20
wait_until 10 test -f "$TEST_TMP/failed/bad.txt.error" || fail "no bad.txt.error"
grep -q "binary" "$TEST_TMP/failed/bad.txt.error" || fail "error file lacks the reason"
[ -f "$TEST_TMP/failed/bad.txt" ] || fail "failed input not moved to failed_dir"
wait_until 10 test -f "$TEST_TMP/done/sub/ok.txt" || fail "input not moved to done_dir"
[ ! -e "$IN/sub/ok.txt" ] || fail "input still in IN"
stop_daemon
echo "done_dir and failed_dir: input moved, reason written"

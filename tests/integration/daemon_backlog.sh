#!/usr/bin/env bash
# Files already in IN (and its subfolders) when the daemon starts are
# cleaned; an input whose output is already newer is skipped.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
for i in $(seq 1 40); do make_article "$IN/a$i.txt" "$i"; done
mkdir -p "$IN/deep/er"
for i in $(seq 1 10); do make_article "$IN/deep/er/b$i.md" "b$i"; done
# Up to date already: its output is newer than the input.
make_article "$IN/done.txt" done
sleep 0.05
echo "previous output" >"$OUT/done.txt.txt"
touch -d '+1 minute' "$OUT/done.txt.txt"

start_daemon
wait_outputs 51
grep -q "The end of document 40." "$OUT/a40.txt.txt" || fail "a40.txt incomplete"
grep -q "The end of document b7." "$OUT/deep/er/b7.md.txt" || fail "subfolder not mirrored"
[ "$(cat "$OUT/done.txt.txt")" = "previous output" ] || fail "up-to-date output was rewritten"
grep -q "done.txt" "$LOG" && fail "up-to-date input was cleaned again"
alive
stop_daemon
echo "backlog: 50 cleaned, 1 up to date skipped"

#!/usr/bin/env bash
# A new subfolder (and nested ones) created with files right away: every
# file is cleaned, including those created before the watch was added.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
start_daemon
mkdir -p "$IN/new/inner/most"
for i in $(seq 1 30); do make_article "$IN/new/n$i.txt" "n$i"; done
for i in $(seq 1 30); do make_article "$IN/new/inner/most/m$i.md" "m$i"; done
# A whole tree moved in at once.
mkdir -p "$TEST_TMP/stage/tree/sub"
for i in $(seq 1 20); do make_article "$TEST_TMP/stage/tree/sub/t$i.txt" "t$i"; done
mv "$TEST_TMP/stage/tree" "$IN/tree"
wait_outputs 80 60
grep -q "document m30\." "$OUT/new/inner/most/m30.md.txt" || fail "nested file incomplete"
grep -q "document t20\." "$OUT/tree/sub/t20.txt.txt" || fail "moved-in tree not cleaned"
# And the new folders stay watched.
make_article "$IN/tree/sub/later.txt" later
wait_outputs 81 20
stop_daemon
echo "new subfolders: 81 of 81 cleaned"

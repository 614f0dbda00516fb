#!/usr/bin/env bash
# A file written elsewhere and renamed into IN (IN_MOVED_TO) is cleaned;
# temporary names (*.part, *.tmp, dotfiles) are ignored until renamed.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
mkdir -p "$TEST_TMP/stage"
start_daemon
make_article "$TEST_TMP/stage/moved.txt" moved
mv "$TEST_TMP/stage/moved.txt" "$IN/moved.txt"
make_article "$IN/upload.html.part" part
make_article "$IN/.hidden.txt" hidden
make_article "$IN/edit.txt~" tilde
make_article "$IN/x.tmp" tmp
wait_outputs 1 20
grep -q "The end of document moved." "$OUT/moved.txt.txt" || fail "moved.txt incomplete"
sleep 0.5
has_count "$OUT" 1 || fail "temporary names were cleaned: $(ls -A "$OUT")"
mv "$IN/upload.html.part" "$IN/upload.html"
wait_outputs 2 20
[ -f "$OUT/upload.html.txt" ] || fail "renamed .part not cleaned to upload.html.txt"
stop_daemon
echo "rename into IN: cleaned; temporary names ignored"

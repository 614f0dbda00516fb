#!/usr/bin/env bash
# FIFO, symlink, oversize and binary inputs are each refused with a logged
# reason, and the daemon keeps serving (a FIFO must never block it).
. "$(dirname "$0")/daemon_lib.bash"
write_conf "max_input_bytes = 4K"
make_article "$TEST_TMP/target.txt" target
start_daemon
mkfifo "$IN/pipe.txt"
ln -s "$TEST_TMP/target.txt" "$IN/link.txt"
head -c 10000 /dev/zero | tr '\0' 'a' >"$IN/big.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' >"$IN/image.txt"
# A FIFO moved in, too (the IN_MOVED_TO path).
mkfifo "$TEST_TMP/pipe2.txt"
mv "$TEST_TMP/pipe2.txt" "$IN/pipe2.txt"
make_article "$IN/good.txt" good
wait_outputs 1 20
grep -q "document good\." "$OUT/good.txt.txt" || fail "good.txt not cleaned"
check() {
    wait_until 10 grep -q "in/$1: .*$2" "$LOG" || fail "no refusal of $1 mentioning '$2'"
}
check pipe.txt "FIFO"
check pipe2.txt "FIFO"
check link.txt "symbolic link"
check big.txt "max_input_bytes"
check image.txt "binary"
alive
make_article "$IN/after.txt" after
wait_outputs 2 20
has_count "$OUT" 2 || fail "refused inputs produced outputs: $(ls "$OUT")"
stop_daemon
echo "refusals: FIFO, symlink, oversize, binary each logged; daemon kept serving"

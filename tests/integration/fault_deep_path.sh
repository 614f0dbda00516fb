#!/usr/bin/env bash
# A tree whose relative path is longer than PATH_MAX (17 nested folders of
# 250-byte names, 4 KB+ below IN) moved into IN next to a normal file.
# Paths that long cannot be passed to open() at all, so a daemon that builds
# "IN/rel" strings fails on them; it must fail once and calmly: the normal
# file is cleaned, the daemon does not spin on the deep folder (CPU time
# grows < 0.5 s over 2 s of idleness), does not flood its log (< 100 lines),
# still exits 0 within 5 s of SIGTERM, and logs the deep file's failure
# exactly once, with the words "too long".
. "$(dirname "$0")/daemon_lib.bash"
on_exit kill_daemon
write_conf

# Build the tree in a staging folder with one cd per level: its full path
# is past PATH_MAX, so mkdir -p of the whole path would fail.
STAGE=$TEST_TMP/stage
mkdir -p "$STAGE/deep"
seg=$(printf 'd%.0s' $(seq 1 248))
(
    cd "$STAGE/deep" || exit 1
    for level in $(seq -w 1 17); do
        mkdir "$level$seg" && cd "$level$seg" || exit 1     # 250 bytes a name
    done
    make_article bottom.txt BOTTOM || exit 1
) || fail "could not build the deep tree"
depth=$(cd "$STAGE" && find deep -name bottom.txt | head -n 1 | wc -c)
[ "$depth" -gt 4096 ] || fail "deep path is only $depth bytes"

start_daemon
mv "$STAGE/deep" "$IN/deep"
make_article "$IN/normal.txt" NORMAL
wait_until 10 has_output_with "The end of document NORMAL." \
    || fail "the normal file was not cleaned next to the deep tree"
alive
# Let whatever the deep tree triggers settle, then measure idleness.
sleep 1
alive
hz=$(getconf CLK_TCK)
t0=$(cpu_ticks "$DAEMON_PID")
sleep 2
t1=$(cpu_ticks "$DAEMON_PID")
alive
used_ms=$(( (t1 - t0) * 1000 / hz ))
[ "$used_ms" -lt 500 ] || fail "daemon used ${used_ms} ms of CPU in 2 s of idleness (spinning)"
lines=$(wc -l <"$LOG")
[ "$lines" -lt 100 ] || fail "log flooded: $lines lines"
has_output_with "The end of document BOTTOM." && fail "the deep file produced an output"
n=$(grep -c "bottom\.txt: .*too long" "$LOG")
[ "$n" -eq 1 ] || fail "expected the deep file's failure logged once with 'too long', found $n lines"

kill -TERM "$DAEMON_PID"
if ! wait_until 5 daemon_gone; then
    fail "daemon did not exit within 5 s of SIGTERM"
fi
rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=
[ "$rc" -eq 0 ] || fail "daemon exited $rc after SIGTERM, expected 0"
echo "deep path: normal file cleaned, no spin (${used_ms} ms CPU), $lines log lines, one 'too long'"

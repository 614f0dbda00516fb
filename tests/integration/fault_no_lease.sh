#!/usr/bin/env bash
# Without a read lease (uid 65534 has no CAP_LEASE and does not own the
# inputs, so F_SETLEASE fails and "is it open for writing?" cannot be
# asked), a file still being written must not be read while it is fresh:
# with settle_ms = 1000, a file whose mtime is younger than that is left
# for later.  Root writes slow.txt a line every 200 ms for ~3 s, holding it
# open, ending with "The end of slow."; OUT is polled every 20 ms and the
# FIRST version of the output to appear must hold that last line (a partial
# output must never appear, even for a moment).  Three cases:
#  1. the file is in the backlog when the daemon starts;
#  2. the file is dropped while the daemon runs (rescan_interval = 1, so
#     rescans find it mid-write);
#  3. --once runs (repeated until one starts after the writer is done).
. "$(dirname "$0")/daemon_lib.bash"
[ "$(id -u)" -eq 0 ] || { echo "needs root to run the cleaner as uid 65534"; exit 77; }
command -v setpriv >/dev/null || { echo "setpriv missing (util-linux)"; exit 77; }
chmod 755 "$TEST_TMP"
"${AS_NOBODY[@]}" test -x "$CLEANER" || { echo "$CLEANER is not executable by uid 65534"; exit 77; }
on_exit 'kill $WRITER $run 2>/dev/null'
on_exit kill_daemon
WRITER=''
run=''

slow_write() {
    {
        printf 'A slow article\n\n'
        for i in $(seq 1 15); do
            printf 'Line %s of the slow article is a complete sentence about the harbour ferry.\n\n' "$i"
            sleep 0.2
        done
        printf 'The end of slow.\n'
    } >"$1"
}

# capture DIR: copies the first output found under DIR to $FIRST, once.
capture() {
    [ -s "$FIRST" ] && return 0
    local f
    f=$(find "$1" -type f ! -name '.*' 2>/dev/null | head -n 1)
    [ -n "$f" ] && cp "$f" "$FIRST" 2>/dev/null
    return 0
}
# watch_first WHAT DIR: polls DIR every 20 ms while the writer runs and up
# to 5 s after, then judges the first version seen.
watch_first() {
    local i
    while kill -0 "$WRITER" 2>/dev/null; do
        capture "$2"
        sleep 0.02
    done
    wait "$WRITER"
    for i in $(seq 1 250); do
        capture "$2"
        [ -s "$FIRST" ] && break
        sleep 0.02
    done
    judge "$1"
}
judge() {
    if [ ! -s "$FIRST" ]; then
        problem "$1: slow.txt was never cleaned"
    elif ! grep -q "The end of slow\." "$FIRST"; then
        problem "$1: the first output of slow.txt was partial ($(grep -c '^Line' "$FIRST") of 15 lines)"
    else
        echo "$1: the first output was complete"
    fi
}

chown 65534:65534 "$OUT"
write_conf "settle_ms = 1000" "rescan_interval = 1"
mkdir -p "$IN/b" "$IN/d"

# 1. In the backlog.
FIRST=$TEST_TMP/first-backlog
slow_write "$IN/b/slow.txt" &
WRITER=$!
sleep 0.3
start_daemon_cmd "${AS_NOBODY[@]}" "$CLEANER" -c "$CONF"
watch_first "backlog" "$OUT/b"

# 2. Dropped while the daemon runs.
FIRST=$TEST_TMP/first-dropped
slow_write "$IN/d/slow.txt" &
WRITER=$!
watch_first "dropped" "$OUT/d"
alive
stop_daemon

# 3. --once.
FIRST=$TEST_TMP/first-once
OI=$TEST_TMP/once-in
OO=$TEST_TMP/once-out
mkdir -p "$OI" "$OO"
chown 65534:65534 "$OO"
slow_write "$OI/slow.txt" &
WRITER=$!
sleep 0.3
runs=0
deadline=$((SECONDS + 30))
while :; do
    last=0
    kill -0 "$WRITER" 2>/dev/null || last=1
    timeout -k 2 20 "${AS_NOBODY[@]}" "$CLEANER" -c "$CONF" --once -i "$OI" -o "$OO" \
        2>>"$TEST_TMP/once.err" &
    run=$!
    while kill -0 "$run" 2>/dev/null; do
        capture "$OO"
        sleep 0.02
    done
    rc=0
    wait "$run" || rc=$?
    capture "$OO"
    runs=$((runs + 1))
    if [ "$rc" -ne 0 ]; then
        problem "--once exited $rc: $(tail -n 1 "$TEST_TMP/once.err")"
        break
    fi
    [ "$last" -eq 1 ] && break
    [ "$SECONDS" -lt "$deadline" ] || { problem "--once: the writer is not done after 30 s"; break; }
done
wait "$WRITER" 2>/dev/null
judge "--once ($runs runs)"
end_problems
echo "no lease: the first output of a file written slowly is complete (daemon backlog, dropped, --once)"

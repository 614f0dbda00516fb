#!/usr/bin/env bash
# Environment failures are transient: they are retried (first retry after
# ~0.5 s, then backoff) and never make an input "failed" (moved to
# failed_dir), unlike a bad input.  The daemon runs as uid 65534 so that
# permissions bite (root ignores them), with failed_dir set:
#  (a) an input chmod 000 (EACCES): not cleaned, not moved; after chmod 644,
#      which sends no new close event, it is cleaned within ~10 s;
#  (b) OUT read-only (chmod 555): a dropped file is not cleaned, not moved;
#      after chmod 755 it is cleaned within ~10 s;
#  (c) ENOSPC: OUT on a full 64k tmpfs: not moved; once space is freed it
#      is cleaned within ~10 s (skipped, saying so, if tmpfs cannot be
#      mounted);
#  (d) the worker holding a file is killed with SIGKILL: the file is cleaned
#      by a replacement worker, not moved to failed_dir.
# Inputs are staged with an old mtime and renamed in, so no settle delay
# (no read lease for uid 65534) holds them back.
. "$(dirname "$0")/daemon_lib.bash"
[ "$(id -u)" -eq 0 ] || { echo "needs root to run the daemon as uid 65534"; exit 77; }
command -v setpriv >/dev/null || { echo "setpriv missing (util-linux)"; exit 77; }
chmod 755 "$TEST_TMP"
"${AS_NOBODY[@]}" test -x "$CLEANER" || { echo "$CLEANER is not executable by uid 65534"; exit 77; }
on_exit cont_workers
on_exit kill_daemon

FAILED=$TEST_TMP/failed
STAGE=$TEST_TMP/stage
mkdir -p "$FAILED" "$STAGE"
chown 65534:65534 "$IN" "$OUT" "$FAILED"
write_conf "failed_dir = $FAILED"

# drop NAME MARK [MODE]: an article staged with an old mtime, renamed into IN.
drop() {
    make_article "$STAGE/$1" "$2"
    touch -d '-1 minute' "$STAGE/$1"
    [ -n "${3:-}" ] && chmod "$3" "$STAGE/$1"
    mv "$STAGE/$1" "$IN/$1"
}
# held NAME MARK WHAT: after 2 s of retries, NAME is neither cleaned nor moved.
held() {
    sleep 2
    if [ -e "$FAILED/$1" ]; then
        problem "$3: $1 was moved to failed_dir ($(head -c 120 "$FAILED/$1.error" 2>/dev/null))"
    elif [ ! -e "$IN/$1" ]; then
        problem "$3: $1 left IN"
    fi
    has_output_with "The end of document $2." && problem "$3: $1 was cleaned although it cannot be"
    return 0
}
# recovers NAME MARK WHAT: cleaned within 10 s, never moved to failed_dir.
recovers() {
    if [ -e "$FAILED/$1" ]; then
        problem "$3: $1 is in failed_dir, it cannot be retried"
        return 0
    fi
    wait_until 10 has_output_with "The end of document $2." \
        || problem "$3: $1 not cleaned within 10 s once the cause was gone"
    [ -e "$FAILED/$1" ] && problem "$3: $1 is in failed_dir"
    return 0
}
# job_queued PID: the worker's socket holds an unread job (needs ss).
job_queued() {
    local ino
    ino=$(readlink "/proc/$1/fd/3" | tr -dc 0-9)
    [ -n "$ino" ] && ss -xaH 2>/dev/null | awk -v i="$ino" '$6 == i && $3 > 0 { f = 1 } END { exit !f }'
}

start_daemon_cmd "${AS_NOBODY[@]}" "$CLEANER" -c "$CONF" -j 1

# (a) EACCES on the input.
drop a.txt AAA 000
held a.txt AAA "(a) input mode 000"
chmod 644 "$IN/a.txt" 2>/dev/null
recovers a.txt AAA "(a) input mode 000"
alive

# (b) EACCES on OUT.
chmod 555 "$OUT"
drop b.txt BBB
held b.txt BBB "(b) OUT mode 555"
chmod 755 "$OUT"
recovers b.txt BBB "(b) OUT mode 555"
alive

# (d) the worker holding the file is killed.
stop_workers
drop d.txt DDD
if command -v ss >/dev/null; then
    wait_until 5 job_queued "${STOPPED_WORKERS[0]}" || echo "note: no job seen queued to worker ${STOPPED_WORKERS[0]}"
else
    sleep 1
fi
kill -KILL "${STOPPED_WORKERS[@]}"
STOPPED_WORKERS=()
recovers d.txt DDD "(d) worker killed"
alive
stop_daemon

# (c) ENOSPC: a second daemon whose OUT is a tiny tmpfs.
NOSPC=$TEST_TMP/out-nospc
mkdir -p "$NOSPC"
if mount -t tmpfs -o size=64k,mode=0755,uid=65534,gid=65534 tmpfs "$NOSPC" 2>"$TEST_TMP/mount.err"; then
    on_exit "kill_daemon; mountpoint -q '$NOSPC' && { umount '$NOSPC' || umount -l '$NOSPC'; }"
    OUT=$NOSPC
    write_conf "failed_dir = $FAILED"
    start_daemon_cmd "${AS_NOBODY[@]}" "$CLEANER" -c "$CONF" -j 1
    dd if=/dev/zero of="$NOSPC/.filler" bs=4k 2>/dev/null
    free=$(df -k --output=avail "$NOSPC" | tail -n 1 | tr -d ' ')
    [ "$free" -eq 0 ] || echo "note: $free KB still free on the full tmpfs"
    drop c.txt CCC
    held c.txt CCC "(c) ENOSPC"
    rm -f "$NOSPC/.filler"
    recovers c.txt CCC "(c) ENOSPC"
    alive
    stop_daemon
    umount "$NOSPC" || umount -l "$NOSPC"
    ran_c="ENOSPC"
else
    echo "ENOSPC case (c) SKIPPED: cannot mount a tmpfs: $(head -n 1 "$TEST_TMP/mount.err")"
    ran_c="ENOSPC skipped"
fi
end_problems
echo "transient failures retried, never moved to failed_dir: EACCES input, EACCES OUT, killed worker, $ran_c"

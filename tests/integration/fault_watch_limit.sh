#!/usr/bin/env bash
# inotify watch exhaustion (ENOSPC from inotify_add_watch): folders the
# daemon cannot watch must still be served, by the periodic rescan
# (rescan_interval = 1), the shortage must be reported without flooding
# (the word "max_user_watches" at most once per folder, not per event or
# rescan), and once the limit is raised a rescan watches the folders again.
#
# The limit: preferably that of a user namespace of the daemon's own
# (/proc/sys/user/max_inotify_watches, unshare -U -r), which counts only the
# daemon's watches and leaves every other process on the machine alone;
# otherwise the global fs.inotify.max_user_watches, set to root's watches in
# use plus a margin and restored on exit (WATCH_LIMIT_MODE=global forces
# this way).  Skipped if neither is writable.
. "$(dirname "$0")/daemon_lib.bash"
[ "$(id -u)" -eq 0 ] || { echo "needs root to lower the inotify watch limit"; exit 77; }
on_exit kill_daemon
NSUB=12
MARGIN=6        # watches left for the daemon: IN and a few folders
SYSCTL=/proc/sys/fs/inotify/max_user_watches

# Watches held by root's processes, as the global limit counts them.
root_watches() {
    local d n=0 c
    for d in /proc/[0-9]*; do
        [ "$(stat -c %u "$d" 2>/dev/null)" = 0 ] || continue
        c=$(cat "$d"/fdinfo/* 2>/dev/null | grep -c '^inotify')
        n=$((n + c))
    done
    echo "$n"
}

if [ "${WATCH_LIMIT_MODE:-}" != global ] \
    && unshare -U -r sh -c "echo $MARGIN >/proc/sys/user/max_inotify_watches" 2>/dev/null; then
    MODE=userns
    set_limit() {
        nsenter -U -t "$DAEMON_PID" sh -c "echo $1 >/proc/sys/user/max_inotify_watches"
    }
    LAUNCH=(unshare -U -r sh -c 'echo "$1" >/proc/sys/user/max_inotify_watches && shift && exec "$@"' sh "$MARGIN")
elif orig=$(cat "$SYSCTL") && echo "$orig" >"$SYSCTL" 2>/dev/null; then
    MODE=global
    on_exit "echo '$orig' >'$SYSCTL'"
    set_limit() { echo "$1" >"$SYSCTL"; }
    LAUNCH=()
    used=$(root_watches)
    echo "global limit: $orig, root's watches in use: $used"
    echo $((used + MARGIN)) >"$SYSCTL" || { echo "cannot write $SYSCTL"; exit 77; }
else
    echo "neither /proc/sys/user/max_inotify_watches (user namespace) nor $SYSCTL is writable"
    exit 77
fi
echo "watch limit set through the $MODE limit"

write_conf "rescan_interval = 1"
start_daemon_cmd "${LAUNCH[@]}" "$CLEANER" -c "$CONF"
[ "$MODE" = global ] && set_limit $(( $(root_watches) + MARGIN - 1 ))
for i in $(seq -w 1 $NSUB); do
    mkdir "$IN/d$i"
    sleep 0.05
done
sleep 0.5
held=$(inotify_watches "$DAEMON_PID")
echo "daemon holds $held watches for IN and $NSUB subfolders"
[ "$held" -le $NSUB ] || problem "setup: the limit did not bite ($held watches)"
for i in $(seq -w 1 $NSUB); do
    make_article "$IN/d$i/f.txt" "W$i"
done
all_cleaned() {
    local i
    for i in $(seq -w 1 $NSUB); do
        has_output_with "The end of document W$i." || return 1
    done
}
wait_until 5 all_cleaned
for i in $(seq -w 1 $NSUB); do
    has_output_with "The end of document W$i." \
        || problem "d$i/f.txt not cleaned within 5 s (not watched, and no rescan found it)"
done
alive
sleep 3         # a few more rescans
n=$(grep -c "max_user_watches" "$LOG")
[ "$n" -ge 1 ] || problem "the watch shortage was not reported with 'max_user_watches'"
for i in $(seq -w 1 $NSUB); do
    k=$(grep "max_user_watches" "$LOG" | grep -c "/d$i\b")
    [ "$k" -le 1 ] || problem "max_user_watches reported $k times for d$i"
done
[ "$n" -le $((NSUB + 1)) ] || problem "max_user_watches reported $n times for $NSUB folders"

# Raise the limit: a rescan watches every folder, and a new file in one that
# was not watched is cleaned promptly.
if [ "$MODE" = userns ]; then set_limit 100000; else set_limit "$orig"; fi
wait_until 5 bash -c "[ \$(cat /proc/$DAEMON_PID/fdinfo/* 2>/dev/null | grep -c '^inotify') -ge $((NSUB + 1)) ]" \
    || problem "after the limit was raised, the daemon holds $(inotify_watches "$DAEMON_PID") watches, expected $((NSUB + 1))"
make_article "$IN/d$NSUB/later.txt" LATER
wait_until 2 has_output_with "The end of document LATER." \
    || problem "a new file in a formerly unwatched folder was not cleaned within 2 s"
alive
stop_daemon
end_problems
echo "watch limit: unwatched folders served by the rescan, reported $n times, watched again once raised"

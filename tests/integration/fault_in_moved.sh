#!/usr/bin/env bash
# The input folder (or a subfolder) renamed away, deleted or recreated under
# the running daemon.  inotify watches inodes, not names: a daemon that only
# watches what it found at start goes on watching IN.old (or nothing, once
# IN is deleted) and silently ignores the new IN, and it may take events of
# the moved-away folder for files of the new one.  Expected:
#  - a subfolder moved away and recreated: files dropped into the moved-away
#    copy produce no output; the new subfolder is served;
#  (a) mv IN IN.old; mkdir IN: a file dropped into the new IN is cleaned
#      within ~5 s, or the daemon exits non-zero with an error line (never
#      silence); a file dropped into IN.old produces no output;
#  (b) rm -rf IN; mkdir IN: likewise;
#  and the daemon logs an error or warning naming the input folder when it
#  loses it.
. "$(dirname "$0")/daemon_lib.bash"
on_exit kill_daemon
write_conf
mkdir -p "$IN/sub"

# recovered WHAT MARK: the file MARK is cleaned within 5 s, or the daemon
# has exited non-zero with an error line.  Restarts a daemon that exited.
recovered() {
    local i rc
    for i in $(seq 1 100); do
        has_output_with "The end of document $2." && break
        daemon_gone && break
        sleep 0.05
    done
    if has_output_with "The end of document $2."; then
        echo "$1: cleaned in the new input folder"
    elif daemon_gone; then
        rc=0
        wait "$DAEMON_PID" || rc=$?
        DAEMON_PID=
        [ "$rc" -ne 0 ] || problem "$1: the daemon exited 0 when it lost its input folder"
        grep -q "^cleaner: error:" "$LOG" || problem "$1: the daemon exited without an error line"
        echo "$1: the daemon exited $rc (accepted), restarting it"
        start_daemon
    else
        problem "$1: a file in the new input folder was not cleaned within 5 s, and the daemon runs on silently"
    fi
}

lost_line() {   # an error or warning line naming the input folder
    grep -E "^cleaner: (error|warning): " "$LOG" | grep -qF "$IN"
}

start_daemon

# A subfolder moved away, then recreated.
mv "$IN/sub" "$TEST_TMP/gone-sub"
mkdir "$IN/sub"
sleep 0.3
make_article "$TEST_TMP/gone-sub/g.txt" GONESUB
make_article "$IN/sub/s.txt" NEWSUB
wait_until 5 has_output_with "The end of document NEWSUB." || problem "the recreated IN/sub is not served"
sleep 0.5
has_output_with "The end of document GONESUB." && problem "a file in the moved-away subfolder was cleaned"
[ -z "$(find "$OUT" -name 'g.*')" ] || problem "an output for the moved-away subfolder's file: $(find "$OUT" -name 'g.*')"

# (a) IN renamed away and recreated.
mv "$IN" "$IN.old"
mkdir "$IN"
sleep 0.5
make_article "$IN/new1.txt" NEWIN
recovered "(a) IN renamed" NEWIN
make_article "$IN.old/z.txt" OLDIN
sleep 1
has_output_with "The end of document OLDIN." && problem "(a) a file dropped into IN.old was cleaned"
[ -z "$(find "$OUT" -name 'z*')" ] || problem "(a) an output for IN.old/z.txt: $(find "$OUT" -name 'z*')"
lost_line || problem "(a) no error or warning naming $IN when it was renamed away"

# (b) IN deleted and recreated.
before=$(wc -l <"$LOG")
rm -rf "$IN"
mkdir "$IN"
sleep 0.5
make_article "$IN/new2.txt" NEWIN2
recovered "(b) IN deleted" NEWIN2
tail -n +"$((before + 1))" "$LOG" | grep -E "^cleaner: (error|warning): " | grep -qF "$IN" \
    || problem "(b) no error or warning naming $IN when it was deleted"
if [ -n "$DAEMON_PID" ]; then
    alive
    stop_daemon
fi

# (c) OUT deleted: nothing can be written into the folder the daemon
# opened, so it stops with status 1 and says why (systemd restarts it).
: >"$LOG"       # start_daemon waits for a "watching" line: this run's
start_daemon
rm -rf "$OUT"
if wait_until 5 daemon_gone; then
    rc=0
    wait "$DAEMON_PID" || rc=$?
    DAEMON_PID=
    [ "$rc" -eq 1 ] || problem "(c) OUT deleted: daemon exited $rc, expected 1"
    grep -q "error: $OUT: the output folder was deleted" "$LOG" \
        || problem "(c) OUT deleted: no error line naming $OUT"
else
    problem "(c) OUT deleted: the daemon runs on, writing nowhere"
fi

# (d) IN replaced by a symlink to another folder: never followed.
mkdir -p "$OUT" "$TEST_TMP/linked"
make_article "$TEST_TMP/linked/s.txt" LINKEDSECRET
: >"$LOG"
start_daemon
rm -rf "$IN"
ln -s "$TEST_TMP/linked" "$IN"
sleep 2.5
has_output_with "The end of document LINKEDSECRET." && problem "(d) a file behind a symlinked IN was cleaned"
grep -q "error: $IN: the input folder was replaced by a symbolic link" "$LOG" \
    || problem "(d) no error saying the symlink is not followed"
rm "$IN"
mkdir "$IN"
make_article "$IN/after-link.txt" AFTERLINK
recovered "(d) IN a folder again" AFTERLINK
if [ -n "$DAEMON_PID" ]; then
    alive
    stop_daemon
fi
end_problems
echo "IN moved, deleted, recreated, replaced by a link: served or refused; OUT deleted: exit 1 with the reason"

#!/usr/bin/env bash
# sd_notify: READY=1 once the backlog scan has started, STATUS= with counts,
# WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 then READY=1 on SIGHUP,
# STOPPING=1 on SIGTERM.  A Python listener stands in for systemd.
. "$(dirname "$0")/daemon_lib.bash"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
write_conf
SOCK=$TEST_TMP/notify.sock
MSGS=$TEST_TMP/notify.log
python3 "$REPO/tests/integration/notify_listener.py" "$SOCK" "$MSGS" &
LISTENER=$!
wait_until 10 test -S "$SOCK" || fail "listener did not start"
make_article "$IN/backlog.txt" backlog
NOTIFY_SOCKET=$SOCK WATCHDOG_USEC=400000 start_daemon
wait_outputs 1 20
wait_until 10 grep -q "^READY=1" "$MSGS" || fail "no READY=1"
wait_until 10 grep -q "^WATCHDOG=1" "$MSGS" || fail "no WATCHDOG=1"
make_article "$IN/more.txt" more
wait_outputs 2 20
wait_until 10 grep -q "^STATUS=2 cleaned, 0 failed, 0 pending" "$MSGS" || fail "no STATUS= with counts"
kill -HUP "$DAEMON_PID"
wait_until 10 grep -q "^RELOADING=1" "$MSGS" || fail "no RELOADING=1"
stop_daemon
wait "$LISTENER"
grep -q "^STOPPING=1" "$MSGS" || fail "no STOPPING=1"
echo "sd_notify: READY, STATUS, WATCHDOG, RELOADING, STOPPING seen"

#!/usr/bin/env bash
# SIGHUP with a broken config keeps the old one (and its rules); SIGHUP with
# a good one applies it, without losing events.
. "$(dirname "$0")/daemon_lib.bash"
write_conf
cat >"$TEST_TMP/chrome.txt" <<'TXT'
The council met on Monday to discuss the harbour ferry service and its costs for the coming year.

Follow us on Twitter for more updates.

Residents said the late crossings matter to people who work night shifts in the port district.
TXT
start_daemon
cp "$TEST_TMP/chrome.txt" "$IN/one.txt"
wait_outputs 1 20
cp "$CONF" "$TEST_TMP/good.conf"
printf '[cleaner]\nno_such_key = 1\n' >"$CONF"
kill -HUP "$DAEMON_PID"
wait_until 10 grep -q "reload failed" "$LOG" || fail "broken config not reported"
grep -q "cleaner.conf:2: unknown key 'no_such_key'" "$LOG" || fail "error does not name file, line and cause"
alive
cp "$TEST_TMP/chrome.txt" "$IN/two.txt"
wait_outputs 2 20
cmp -s "$OUT/one.txt.txt" "$OUT/two.txt.txt" || fail "old config and rules not kept after a bad reload"
grep -q "Follow us" "$OUT/two.txt.txt" && fail "the rule of the old config was not applied"
# A good config is applied: log_level = warn silences per-file lines.
cp "$TEST_TMP/good.conf" "$CONF"
echo "log_level = warn" >>"$CONF"
kill -HUP "$DAEMON_PID"
# The new level also hides the info line "reloaded": give it a moment.
sleep 1
alive
make_article "$IN/three.txt" three
wait_outputs 3 20
grep -q "in/three.txt ->" "$LOG" && fail "new log_level not applied"
stop_daemon
echo "SIGHUP: broken config reported and old kept; good config applied"

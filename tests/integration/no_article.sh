#!/usr/bin/env bash
# A page whose body is empty or under min_body_chars (--min-chars) is "no
# article", never a silent empty success: FILE and - exit 3 after printing
# (JSON with "status": "no_article", text nothing), --once and the daemon
# write no text output (and remove a stale one), log "no article: cause",
# count it apart in "done:" and STATUS=, and move it to done_dir.
. "$(dirname "$0")/daemon_lib.bash"
ERR=$TEST_TMP/err

# run EXPECTED_RC ARGS...: the cleaner with stdout to $TEST_TMP/stdout.
run() {
    local want=$1 rc=0
    shift
    "$CLEANER" "$@" >"$TEST_TMP/stdout" 2>"$ERR" || rc=$?
    [ "$rc" -eq "$want" ] || fail "cleaner $* exited $rc, expected $want; stderr: $(head -c 600 "$ERR")"
}

# json_check FILE PYTHON-EXPR...: each expression, on the object `d` read
# from FILE (one JSON object), must hold.
json_check() {
    local file=$1
    shift
    python3 - "$file" "$@" <<'PY' || fail "JSON check failed on $file: $(head -c 400 "$file")"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for expr in sys.argv[2:]:
    assert eval(expr), expr
PY
}

# The pages, written to PAGES and copied where each case needs them.
PAGES=$TEST_TMP/pages
mkdir -p "$PAGES"
cat >"$PAGES/empty.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Example News</title></head><body>
<header><a href="/">Example News</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<footer><nav><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></nav></footer>
</body></html>
HTML
cat >"$PAGES/short.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Gallery of the week</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Gallery of the week</h1><p>Photos of the week.</p></article>
<footer><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>
HTML
cat >"$PAGES/article.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Harbour ferry extended until midnight</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Harbour ferry extended until midnight</h1>
<p>City councillors voted on Monday to extend the harbour ferry service until midnight, after months of complaints from night-shift workers.</p>
<p>The extension will cost about 1.2 million euros a year, according to figures presented at the meeting.</p></article>
<footer><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>
HTML
# 24 code points (43 bytes), whitespace runs counted once.
printf 'Привет   мир,\tэто заметка.\n' >"$PAGES/cyrillic.txt"
# The small rules folder of daemon_lib's write_conf, so that what the pages
# give depends on the readers and the classifier, not on the shipped rules.
write_conf
RULES="rules_dir = $TEST_TMP/rules"
printf '[cleaner]\n%s\n' "$RULES" >"$TEST_TMP/files.conf"
FC=$TEST_TMP/files.conf

# ---- FILE and -: exit 3 / 3 / 0, JSON status, text prints nothing ----
run 3 -c "$FC" "$PAGES/empty.html"
[ ! -s "$TEST_TMP/stdout" ] || fail "empty page: text output printed: $(head -c 200 "$TEST_TMP/stdout")"
grep -q "empty.html: no article: empty body$" "$ERR" || fail "empty page: no 'no article' line naming file and cause"
run 3 -c "$FC" "$PAGES/short.html"
[ ! -s "$TEST_TMP/stdout" ] || fail "short page: text output printed"
grep -q "short.html: no article: 19 characters, min_body_chars is 25$" "$ERR" \
    || fail "short page: no 'no article: 19 characters' line"
run 0 -c "$FC" "$PAGES/article.html"
grep -q "^City councillors voted" "$TEST_TMP/stdout" || fail "article: body missing"
grep -q "no article" "$ERR" && fail "article reported as no article"

run 3 -c "$FC" -f json "$PAGES/empty.html"
json_check "$TEST_TMP/stdout" 'd["status"] == "no_article"' 'd["body"] == ""' \
    'd["source"].endswith("empty.html")'
run 3 -c "$FC" -f json "$PAGES/short.html"
json_check "$TEST_TMP/stdout" 'd["status"] == "no_article"' 'd["body"] == "Photos of the week."'
run 0 -c "$FC" -f json "$PAGES/article.html"
json_check "$TEST_TMP/stdout" 'd["status"] == "ok"' 'd["body"].startswith("City councillors")'

# Several files: every record printed, in order; exit 3; a failure wins (1).
run 3 -c "$FC" -f json "$PAGES/article.html" "$PAGES/empty.html" "$PAGES/short.html"
[ "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["status"] for l in open(sys.argv[1])))' \
    "$TEST_TMP/stdout")" = "ok no_article no_article" ] || fail "three records: statuses out of order or missing"
run 1 -c "$FC" "$PAGES/empty.html" "$PAGES/missing.html"
grep -q "empty.html: no article" "$ERR" || fail "no article not logged next to a failure"

# Standard input, and characters are code points, not bytes.
run 3 -c "$FC" -f json - <"$PAGES/cyrillic.txt"
json_check "$TEST_TMP/stdout" 'd["status"] == "no_article"' 'd["source"] == "<stdin>"'
grep -q "<stdin>: no article: 24 characters, min_body_chars is 25" "$ERR" \
    || fail "stdin: code points not counted as such (or not reported)"
run 0 -c "$FC" --min-chars 24 - <"$PAGES/cyrillic.txt"
grep -q "это заметка" "$TEST_TMP/stdout" || fail "--min-chars 24: the 24-character body not printed"

# --min-chars 0: only an empty body is no article; the config key too.
run 0 -c "$FC" --min-chars 0 "$PAGES/short.html"
grep -q "^Photos of the week.$" "$TEST_TMP/stdout" || fail "--min-chars 0: short body not printed"
run 3 -c "$FC" --min-chars 0 -f json "$PAGES/empty.html"
json_check "$TEST_TMP/stdout" 'd["status"] == "no_article"'
printf '[cleaner]\n%s\nmin_body_chars = 10\n' "$RULES" >"$TEST_TMP/ten.conf"
run 0 -c "$TEST_TMP/ten.conf" "$PAGES/short.html"
run 3 -c "$TEST_TMP/ten.conf" --min-chars 20 "$PAGES/short.html"
grep -q "min_body_chars is 20" "$ERR" || fail "--min-chars does not override min_body_chars"
run 2 -c "$FC" --min-chars -1 "$PAGES/short.html"
grep -q -- "--min-chars: '-1'" "$ERR" || fail "bad --min-chars not named"
printf '[cleaner]\nmin_body_chars = many\n' >"$TEST_TMP/bad.conf"
run 2 -c "$TEST_TMP/bad.conf" "$PAGES/short.html"
grep -q "bad.conf:2: min_body_chars: 'many'" "$ERR" || fail "bad min_body_chars: file, line, cause expected"
run 0 --help
grep -q -- "--min-chars" "$TEST_TMP/stdout" && grep -q "^  3 " "$TEST_TMP/stdout" \
    || fail "--help documents neither --min-chars nor exit code 3"

# ---- --once: no text output, stale output removed, counted apart ----
ONCE_IN=$TEST_TMP/once-in ONCE_OUT=$TEST_TMP/once-out
mkdir -p "$ONCE_IN/sub" "$ONCE_OUT/sub"
cp "$PAGES/empty.html" "$PAGES/article.html" "$ONCE_IN/"
cp "$PAGES/short.html" "$ONCE_IN/sub/"
echo "the article of an earlier version" >"$ONCE_OUT/sub/short.html.txt"
touch -d '-1 hour' "$ONCE_OUT/sub/short.html.txt"
run 0 -c "$FC" --once -i "$ONCE_IN" -o "$ONCE_OUT"
grep -q "^cleaner: done: 1 cleaned, 0 failed, 0 up to date, 2 no article$" "$ERR" \
    || fail "--once summary: $(grep 'done:' "$ERR")"
grep -q "once-in/empty.html: no article: empty body$" "$ERR" || fail "--once: empty page not logged"
grep -q "once-in/sub/short.html: no article: 19 characters" "$ERR" || fail "--once: short page not logged"
[ -s "$ONCE_OUT/article.html.txt" ] || fail "--once: article not written"
[ ! -e "$ONCE_OUT/empty.html.txt" ] || fail "--once: empty page has a text output"
[ ! -e "$ONCE_OUT/sub/short.html.txt" ] || fail "--once: stale output of a no-article input left"
[ -f "$ONCE_IN/empty.html" ] && [ -f "$ONCE_IN/sub/short.html" ] || fail "--once: input lost"
# A failure next to them: exit 1, each counted in its place.
printf 'abc\x00def' >"$ONCE_IN/bin.txt"
run 1 -c "$FC" --once -i "$ONCE_IN" -o "$ONCE_OUT"
grep -q "done: 0 cleaned, 1 failed, 1 up to date, 2 no article$" "$ERR" \
    || fail "--once with a failure: $(grep 'done:' "$ERR")"
rm "$ONCE_IN/bin.txt"
# --min-chars 0: the short page is cleaned, the empty one still is none.
run 0 -c "$FC" --once --min-chars 0 -i "$ONCE_IN" -o "$ONCE_OUT"
grep -q "done: 1 cleaned, 0 failed, 1 up to date, 1 no article$" "$ERR" \
    || fail "--once --min-chars 0: $(grep 'done:' "$ERR")"
grep -q "^Photos of the week.$" "$ONCE_OUT/sub/short.html.txt" || fail "--min-chars 0: short page not written"
# JSON: every record written, with its status, and named in the log.
run 0 -c "$FC" --once -f json -i "$ONCE_IN" -o "$TEST_TMP/once-json"
grep -q "done: 1 cleaned, 0 failed, 0 up to date, 2 no article$" "$ERR" || fail "--once json summary"
grep -q "once-in/empty.html -> empty.html.json: no article: empty body$" "$ERR" \
    || fail "--once json: no-article line lacks the output"
json_check "$TEST_TMP/once-json/empty.html.json" 'd["status"] == "no_article"'
json_check "$TEST_TMP/once-json/sub/short.html.json" 'd["status"] == "no_article"' \
    'd["body"] == "Photos of the week."'
json_check "$TEST_TMP/once-json/article.html.json" 'd["status"] == "ok"'

# ---- the daemon: logged once (rescans skip it), STATUS= counts it ----
command -v python3 >/dev/null || fail "python3 is needed for the STATUS= listener"
SOCK=$TEST_TMP/notify.sock
MSGS=$TEST_TMP/notify.log
python3 "$REPO/tests/integration/notify_listener.py" "$SOCK" "$MSGS" &
LISTENER=$!
wait_until 10 test -S "$SOCK" || fail "listener did not start"
write_conf "rescan_interval = 1"
NOTIFY_SOCKET=$SOCK start_daemon
cp "$PAGES/empty.html" "$PAGES/short.html" "$PAGES/article.html" "$IN/"
wait_until 20 test -s "$OUT/article.html.txt" || fail "daemon: article not written"
wait_until 20 grep -q "in/empty.html: no article: empty body$" "$LOG" || fail "daemon: empty page not logged"
wait_until 20 grep -q "in/short.html: no article: 19 characters, min_body_chars is 25$" "$LOG" \
    || fail "daemon: short page not logged"
wait_until 10 grep -q "^STATUS=1 cleaned, 0 failed, 0 pending, 2 no article" "$MSGS" \
    || fail "daemon: STATUS= does not count no article apart: $(grep STATUS "$MSGS" | tail -n 1)"
sleep 2.5   # two rescans, which must not clean the no-article inputs again
[ "$(grep -c "no article" "$LOG")" -eq 2 ] || fail "daemon: a rescan cleaned a no-article input again"
[ ! -e "$OUT/empty.html.txt" ] && [ ! -e "$OUT/short.html.txt" ] || fail "daemon: no-article output written"
[ -f "$IN/empty.html" ] || fail "daemon: no-article input lost without done_dir"
# A reload applies a new min_body_chars to the files that come next.
echo "min_body_chars = 10" >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_until 10 grep -q "reloaded" "$LOG" || fail "daemon: reload not logged"
cp "$PAGES/short.html" "$IN/short-again.html"
wait_until 20 test -s "$OUT/short-again.html.txt" || fail "daemon: min_body_chars = 10 not applied on reload"
stop_daemon
wait "$LISTENER"

# done_dir: a no-article input is handled, so it moves there, output-less.
: >"$LOG"
rm -rf "$IN" "$OUT"
mkdir -p "$IN" "$OUT"
write_conf "done_dir = $TEST_TMP/done"
start_daemon
cp "$PAGES/empty.html" "$PAGES/article.html" "$IN/"
wait_until 20 test -f "$TEST_TMP/done/empty.html" || fail "done_dir: no-article input not moved"
wait_until 20 test -f "$TEST_TMP/done/article.html" || fail "done_dir: article input not moved"
[ ! -e "$IN/empty.html" ] && [ ! -e "$OUT/empty.html.txt" ] || fail "done_dir: input left or output written"
grep -q "in/empty.html: no article: empty body$" "$LOG" || fail "done_dir: no-article line missing"
stop_daemon
echo "no article: FILE/- exit 3, JSON status, --min-chars, --once summary, daemon log, STATUS=, done_dir"

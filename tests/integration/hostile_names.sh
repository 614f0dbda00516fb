#!/usr/bin/env bash
# Hostile file names (issue 6): a newline, and bytes that are not UTF-8.
# `--once` must clean them under the same names (mirrored byte for byte,
# with .txt/.json added), keep JSON output valid UTF-8, and keep its
# log at one line per message (log.h): a name must never split a log line,
# or a file called "x\ncleaner: error: ..." could forge log entries.
set -u
[ -x "$CLEANER" ] || { echo "no $CLEANER"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

BODY="The council approved the new budget on Tuesday evening, after a long debate about the cost of repairing the old bridge."
IN=$TEST_TMP/in
mkdir -p "$IN"
newline_name=$'two\nlines'
latin1_name=$'caf\xe9-\xff'
printf '%s\n' "$BODY" >"$IN/$newline_name.txt"
printf '%s\n' "$BODY" >"$IN/$latin1_name.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' >"$IN/"$'bad\ncleaner: forged.png'

for format in text json; do
    OUT=$TEST_TMP/out-$format
    LOG=$TEST_TMP/log-$format
    timeout -k 2 60 "$CLEANER" -c "$REPO/config/cleaner.conf" -j 1 -f "$format" \
        --once -i "$IN" -o "$OUT" 2>"$LOG"
    rc=$?
    [ "$rc" -eq 1 ] || fail "$format: exit $rc, expected 1 (the PNG fails)"
    ext=.txt; [ "$format" = json ] && ext=.json
    for name in "$newline_name" "$latin1_name"; do
        out="$OUT/$name.txt$ext"
        if [ ! -f "$out" ]; then
            fail "$format: no output for $(printf '%q' "$name"): $(ls "$OUT" | od -c | head -3)"
            continue
        fi
        if [ "$format" = text ]; then
            printf '%s\n' "$BODY" | cmp -s - "$out" || fail "text: $(printf '%q' "$name") differs"
        elif ! python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert doc["body"] == sys.argv[2], doc["body"]
assert doc["source"], doc
' "$out" "$BODY"; then
            fail "json: $(printf '%q' "$name").txt$ext is not valid UTF-8 JSON with the body"
        fi
    done
    # Every log line starts as log lines do; none starts with a name's tail.
    if grep -n -v -e '^cleaner: ' -e '^<[0-7]>' "$LOG" >"$TEST_TMP/split"; then
        fail "$format: a file name split a log line: $(cat -A "$TEST_TMP/split" | head -5)"
    fi
    grep -q 'in/bad.*forged\.png.*binary' "$LOG" ||
        fail "$format: the PNG's refusal does not name it on one line: $(cat -A "$LOG" | grep -A1 bad)"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "hostile names: newline and non-UTF-8 names cleaned, JSON valid, log lines whole"

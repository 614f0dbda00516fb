#!/usr/bin/env bash
# `cleaner FILE...` and `cleaner -` clean to standard output; failures name
# the file and the cause, exit 1, and the other files are still cleaned.
. "$(dirname "$0")/cli_lib.bash"
make_article "$IN/a.txt" A
make_article "$IN/b.md" B

run 0 -c "$CONFIG" "$IN/a.txt"
grep -q "The end of document A." "$TEST_TMP/stdout" || fail "FILE: article text missing"
[ "$(tail -c 1 "$TEST_TMP/stdout" | od -An -c | tr -d ' ')" = '\n' ] || fail "no final newline"
cp "$TEST_TMP/stdout" "$TEST_TMP/a.clean"

run 0 -c "$CONFIG" - <"$IN/a.txt"
cmp -s "$TEST_TMP/stdout" "$TEST_TMP/a.clean" || fail "'-' (stdin) differs from FILE"

run 0 -c "$CONFIG" "$IN/a.txt" "$IN/b.md"
grep -q "document A\." "$TEST_TMP/stdout" && grep -q "document B\." "$TEST_TMP/stdout" \
    || fail "two files: both outputs expected"
[ "$(grep -n 'document A\.' "$TEST_TMP/stdout" | cut -d: -f1)" -lt \
  "$(grep -n 'document B\.' "$TEST_TMP/stdout" | cut -d: -f1)" ] || fail "outputs out of order"

run 1 -c "$CONFIG" "$IN/a.txt" "$IN/missing.txt"
grep -q "document A\." "$TEST_TMP/stdout" || fail "good file not cleaned next to a missing one"
grep -q "missing.txt: .*No such file" "$TEST_TMP/err" || fail "missing file: error must name file and cause"

printf 'GIF89a\x00\x01\x00' >"$IN/pic.txt"
run 1 -c "$CONFIG" "$IN/pic.txt"
grep -q "pic.txt: .*binary" "$TEST_TMP/err" || fail "binary input: no clear error"

run 1 -c "$CONFIG" "$IN"
grep -q "in: .*not a regular file (directory)" "$TEST_TMP/err" || fail "folder argument: no clear error"

# Default config lookup: CLEANER_CONFIG wins; a missing one is a config error.
CLEANER_CONFIG=$CONFIG run 0 "$IN/a.txt"
cmp -s "$TEST_TMP/stdout" "$TEST_TMP/a.clean" || fail "CLEANER_CONFIG not used"
CLEANER_CONFIG=$TEST_TMP/nope.conf run 2 "$IN/a.txt"
grep -q "nope.conf" "$TEST_TMP/err" || fail "missing CLEANER_CONFIG not named"
echo "stdout mode: FILE, -, several files, errors named"

#!/usr/bin/env bash
# --once: cleans IN into OUT (subfolders mirrored, the whole name + .txt),
# incrementally like make; exit 0 all ok, 1 any file failed (others still
# written), 2 usage or config error.
. "$(dirname "$0")/cli_lib.bash"
make_article "$IN/a.txt" A
mkdir -p "$IN/sub/deeper"
make_article "$IN/sub/b.md" B
make_article "$IN/sub/deeper/c.page.html" C
make_article "$IN/noext" N

run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT" -j 2
for f in a.txt.txt sub/b.md.txt sub/deeper/c.page.html.txt noext.txt; do
    [ -f "$OUT/$f" ] || fail "expected output $f; got: $(cd "$OUT" && find . -type f)"
done
grep -q "document C\." "$OUT/sub/deeper/c.page.html.txt" || fail "c.page.html.txt content"
grep -q "in/a.txt -> a.txt.txt: [0-9]* -> [0-9]* bytes, [0-9]* of [0-9]* blocks removed, [0-9]* ms" \
    "$TEST_TMP/err" || fail "no per-file log line"

# Incremental: nothing to do the second time; outputs untouched.
stamp=$(stat -c %Y.%y "$OUT/a.txt.txt")
sleep 1.1
run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT"
grep -q "0 cleaned, 0 failed, 4 up to date" "$TEST_TMP/err" || fail "second run not incremental"
[ "$(stat -c %Y.%y "$OUT/a.txt.txt")" = "$stamp" ] || fail "up-to-date output rewritten"
# A changed input is cleaned again.
make_article "$IN/a.txt" A2
run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT"
grep -q "1 cleaned, 0 failed, 3 up to date" "$TEST_TMP/err" || fail "changed input not redone"
grep -q "document A2\." "$OUT/a.txt.txt" || fail "changed output content"

# A failing file: exit 1, and the others are still written.
printf 'abc\x00def' >"$IN/bin.txt"
make_article "$IN/new.txt" NEW
run 1 -c "$CONFIG" --once -i "$IN" -o "$OUT"
[ -f "$OUT/new.txt.txt" ] || fail "good file not written next to a failing one"
[ ! -e "$OUT/bin.txt.txt" ] || fail "failed file produced an output"
grep -q "in/bin.txt: .*binary" "$TEST_TMP/err" || fail "failure does not name file and cause"
rm "$IN/bin.txt"

# Two inputs of one stem keep their whole names, as every input does.
make_article "$IN/twin.md" MD
make_article "$IN/twin.html" HTML
run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT"
grep -q "document MD\." "$OUT/twin.md.txt" || fail "twin.md -> twin.md.txt expected"
grep -q "document HTML\." "$OUT/twin.html.txt" || fail "twin.html -> twin.html.txt expected"
[ ! -e "$OUT/twin.txt" ] || fail "twin.txt written: names must be one-to-one"

# JSON outputs are named .json.
run 0 -c "$CONFIG" --once -f json -i "$IN" -o "$TEST_TMP/json"
[ -f "$TEST_TMP/json/sub/b.md.json" ] || fail "json output name"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TEST_TMP/json/sub/b.md.json" \
    || fail "json output does not parse"

# Usage and config errors: exit 2.
printf '[cleaner]\nrules_dir = %s/config/rules\n' "$REPO" >"$TEST_TMP/nodirs.conf"
run 2 -c "$TEST_TMP/nodirs.conf" --once -i "$IN"
grep -q "input and output folders" "$TEST_TMP/err" || fail "missing -o: unclear error"
run 2 -c "$CONFIG" --once -i "$TEST_TMP/nope" -o "$OUT"
grep -q "nope: No such file" "$TEST_TMP/err" || fail "missing IN: unclear error"
printf '[cleaner]\njobs = many\n' >"$TEST_TMP/bad.conf"
run 2 -c "$TEST_TMP/bad.conf" --once -i "$IN" -o "$OUT"
grep -q "bad.conf:2: jobs: 'many'" "$TEST_TMP/err" || fail "bad config: file, line, cause expected"
run 2 --once -i "$IN" -o "$OUT" --bogus
grep -q "unknown option '--bogus'" "$TEST_TMP/err" || fail "unknown option not named"
run 2 -c "$CONFIG" --once -i "$IN" -o "$IN"
[ -z "$(find "$OUT" -name '.cleaner-tmp-*')" ] || fail "temporary files left"
echo "--once: naming, incremental, exit codes 0/1/2, collisions"

#!/usr/bin/env bash
# -f json: one object per document with source, title, author, date, site,
# url, body; --explain adds "blocks" in JSON, and in text mode prints each
# block's decision and reason to stderr without changing stdout.
. "$(dirname "$0")/cli_lib.bash"
cat >"$IN/story.md" <<'MD'
# Harbour ferry extended until midnight

By Ana Ruiz

City councillors voted on Monday to extend the harbour ferry service until midnight, after months of complaints.

Follow us on Twitter for more updates!

The extension will cost about 1.2 million euros a year, according to figures presented at the meeting.
MD
run 0 -c "$CONFIG" -f json "$IN/story.md"
python3 - "$TEST_TMP/stdout" <<'PY' || fail "json fields"
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("source", "title", "author", "date", "site", "url", "body"):
    assert key in doc, key
assert doc["source"].endswith("story.md"), doc["source"]
assert "Harbour ferry" in (doc["title"] or ""), doc["title"]
assert "extend the harbour ferry" in doc["body"], doc["body"]
assert "blocks" not in doc
PY
run 0 -c "$CONFIG" -f json --explain "$IN/story.md"
python3 - "$TEST_TMP/stdout" <<'PY' || fail "json --explain blocks"
import json, sys
doc = json.load(open(sys.argv[1]))
blocks = doc["blocks"]
assert blocks and all({"text", "decision", "reason"} <= set(b) for b in blocks), blocks
assert any(b["decision"] == "drop" for b in blocks)
PY
run 0 -c "$CONFIG" -f json "$IN/story.md" "$IN/story.md"
[ "$(wc -l <"$TEST_TMP/stdout")" -eq 2 ] || fail "two documents: one JSON object per line expected"

run 0 -c "$CONFIG" "$IN/story.md"
cp "$TEST_TMP/stdout" "$TEST_TMP/plain"
run 0 -c "$CONFIG" --explain "$IN/story.md"
cmp -s "$TEST_TMP/stdout" "$TEST_TMP/plain" || fail "--explain changed stdout"
grep -q "^KEEP" "$TEST_TMP/err" && grep -q "^DROP" "$TEST_TMP/err" \
    || fail "--explain: KEEP/DROP lines expected on stderr"
echo "json fields, blocks with --explain, explain on stderr"

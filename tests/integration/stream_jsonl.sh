# --jsonl: JSON Lines in, one JSON line per record out, in order, with the
# record's id and extra fields passed through; a bad line is an error line
# and the stream goes on; bodies byte-identical to file mode on the aeb-dev
# pages.
. "$REPO/tests/integration/cli_lib.bash"
MAKE="python3 $REPO/tests/integration/stream_make.py"
J=$TEST_TMP/j
mkdir -p "$J"

python3 - "$J/in.jsonl" <<'EOF'
import json, sys
page = ("<html><head><title>Harbour ferry</title></head><body><article><h1>Harbour ferry</h1>"
        "<p>The council met on Monday to discuss the harbour ferry service and its costs for "
        "the coming year, and residents spoke for an hour.</p><p>Residents said the late "
        "crossings matter to people who work night shifts in the port district.</p>"
        "</article></body></html>")
text = ("The council met on Monday to discuss the harbour ferry service and its costs.\n\n"
        "Residents said the late crossings matter to people who work night shifts.\n")
lines = [
    json.dumps({"id": "a1", "url": "http://news.example/a", "html": page, "body": "xx",
                "title": "from input", "n": [1, {"k": None}]}),
    "this is not JSON",
    json.dumps({"id": 2, "text": text}),
    json.dumps({"id": 3, "title": "no content field"}),
    "",
    json.dumps({"id": 4, "markdown": "# Ferry\n\n" + text}),
    "[" * 100000,
    json.dumps({"id": 5, "html": "<p>" + "x " * 150000 + "</p>"}),
    '{"id": 6, "html": "a\\u0000b"}',
    json.dumps({"id": 7, "html": "<div>" * 20000 + "deep" + "</div>" * 20000}),
    json.dumps({"id": 8, "html": page}),
]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
cat >"$J/small.conf" <<EOF
[cleaner]
rules_dir = $REPO/config/rules
model = $REPO/config/model/blocks.model
max_input_bytes = 256K
EOF

field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else json.dumps(v) if not isinstance(v, str) else v)' "$1" "$2"; }
line() { sed -n "${1}p" "$2"; }

run 0 -c "$J/small.conf" --jsonl "$J/in.jsonl"
out=$J/out.jsonl
cp "$TEST_TMP/stdout" "$out"
statuses=$($MAKE check "$out") || fail "$statuses"
set -- $statuses
[ $# -eq 10 ] || fail "10 records (a blank line is none), got $#: $statuses"
want_ids='a1||2|3|4||||7|8'
ids=$(while read -r l; do field "$l" id; done <"$out" | paste -sd'|')
[ "$ids" = "$want_ids" ] || fail "ids '$ids', expected '$want_ids'"
[ "$1" = ok ] || fail "line 1: $1"
[ "$2" = error ] && field "$(line 2 "$out")" reason | grep -q "invalid JSON" || fail "line 2: $2"
[ "$3" = ok ] || fail "line 3 (text): $3"
[ "$4" = error ] && field "$(line 4 "$out")" reason | grep -q "no 'html', 'markdown' or 'text'" \
    || fail "line 4: $(line 4 "$out")"
[ "$5" = ok ] || fail "line 5 (markdown): $5"
field "$(line 6 "$out")" reason | grep -q "depth" || fail "deep JSON: $(line 6 "$out" | cut -c1-200)"
field "$(line 7 "$out")" reason | grep -q "over max_input_bytes" || fail "long line: $(line 7 "$out" | cut -c1-200)"
[ "$8" = error ] || fail "a NUL in the content: $8"
[ "$9" = no_article ] || fail "20 000 nested divs: $9"
[ "${10}" = ok ] || fail "the record after the hostile ones: ${10}"
l1=$(line 1 "$out")
[ "$(field "$l1" fetch_url)" = "http://news.example/a" ] || fail "fetch_url"
[ "$(field "$l1" input_body)" = "xx" ] || fail "an extra field named like an output one: $l1"
[ "$(field "$l1" input_title)" = "from input" ] || fail "input_title"
[ "$(field "$l1" n)" = '[1, {"k": null}]' ] || fail "an extra field's value: $(field "$l1" n)"
[ "$(field "$l1" title)" = "Harbour ferry" ] || fail "the page's title"
field "$l1" html | grep -q . && fail "the content field was passed through"
grep -q "done: 10 records: 4 ok, 1 no article, 0 skipped, 5 errors" "$TEST_TMP/err" \
    || fail "closing count: $(tail -n 1 "$TEST_TMP/err")"

# Other field names.
printf '{"doc":"x1","page":"<p>The council met on Monday to discuss the harbour ferry service and its costs.</p>"}\n' >"$J/named.jsonl"
run 0 --jsonl --id-field doc --content-field page "$J/named.jsonl"
[ "$(field "$(cat "$TEST_TMP/stdout")" id)" = x1 ] || fail "--id-field: $(cat "$TEST_TMP/stdout")"
[ "$(field "$(cat "$TEST_TMP/stdout")" status)" = ok ] || fail "--content-field"
run 2 --id-field doc "$J/named.jsonl"
run 2 --jsonl -f text "$J/named.jsonl"

# Standard input and -o give the same lines as the file.
"$CLEANER" -c "$J/small.conf" --jsonl - <"$J/in.jsonl" >"$J/stdin.out" 2>"$TEST_TMP/err" \
    || fail "--jsonl - failed"
sed 's|"source":"[^"]*"||' "$J/stdin.out" >"$J/a"; sed 's|"source":"[^"]*"||' "$out" >"$J/b"
cmp -s "$J/a" "$J/b" || fail "standard input gives other lines than the file"
run 0 -c "$J/small.conf" --jsonl "$J/in.jsonl" -o "$J/o.jsonl"
cmp -s "$J/o.jsonl" "$out" || fail "-o FILE differs from standard output"
ls -a "$J" | grep -q '^\.cleaner-tmp-' && fail "-o left a temporary file"

[ -d "${SHARED:-}/aeb-dev/html" ] || { echo "skip: no \$SHARED/aeb-dev/html for the identity check"; exit 77; }
$MAKE pages "$SHARED/aeb-dev/html" "$SHARED/aeb-dev/ground-truth.json" "$J"
[ -s "$J/jsonl-pages.txt" ] || fail "no UTF-8 page to compare"
run 0 --jsonl "$J/pages.jsonl"
cp "$TEST_TMP/stdout" "$J/pages.out"
mapfile -t pages <"$J/jsonl-pages.txt"
rc=0
"$CLEANER" -f json "${pages[@]}" >"$J/files.out" 2>>"$TEST_TMP/err" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "file mode exit $rc"
$MAKE bodies "$J/pages.out" "$J/files.out" || fail "--jsonl bodies differ from file mode"
[ "$(field "$(line 1 "$J/pages.out")" id)" = 0 ] || fail "page ids"

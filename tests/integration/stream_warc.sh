# --warc: WARC files in, one JSON line per document record out.
# WARCs built here (tests/integration/stream_make.py) cover a gzip member
# per record, a truncated member with a record after it, a 404, a non-HTML
# resource, chunked transfer coding, gzip content coding, a charset given
# only in the HTTP header and a revisit; every file of
# $SHARED/warc-samples must give a line for each of its document records;
# the bodies of a WARC of the aeb-dev pages must be byte-identical to file
# mode's.
. "$REPO/tests/integration/cli_lib.bash"
MAKE="python3 $REPO/tests/integration/stream_make.py"
W=$TEST_TMP/w
mkdir -p "$W"

# line N OUT: line N of an output.
line() { sed -n "${1}p" "$2"; }
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }

$MAKE synthetic "$W"
for f in synth.warc.gz synth.warc; do
    run 0 --warc "$W/$f"
    cp "$TEST_TMP/stdout" "$W/$f.out"
    statuses=$($MAKE check "$W/$f.out") || fail "$f: $statuses"
    want="ok skipped skipped ok ok ok error ok skipped"
    [ "$f" = synth.warc ] && want="ok skipped skipped ok ok ok ok ok skipped"
    [ "$statuses" = "$want" ] || fail "$f: statuses '$statuses', expected '$want'"
    out=$W/$f.out
    [ "$(field "$(line 1 "$out")" id)" = "<urn:uuid:ok>" ] || fail "$f: id of line 1"
    [ "$(field "$(line 1 "$out")" fetch_url)" = "http://news.example/ferry" ] || fail "$f: fetch_url"
    [ "$(field "$(line 1 "$out")" fetch_date)" = "2026-11-30T10:00:00Z" ] || fail "$f: fetch_date"
    [ "$(field "$(line 2 "$out")" reason)" = "HTTP status 404" ] || fail "$f: 404 reason"
    [ "$(field "$(line 3 "$out")" reason)" = "not HTML: image/png" ] || fail "$f: png reason"
    for n in 4 6; do
        field "$(line $n "$out")" body | grep -q "late crossings matter" \
            || fail "$f: line $n (chunked / gzip) lost its text"
    done
    field "$(line 5 "$out")" body | grep -q "a café timetable" \
        || fail "$f: the charset of the HTTP header was not used: $(line 5 "$out" | cut -c1-300)"
    [ "$(field "$(line 8 "$out")" id)" = "<urn:uuid:after>" ] || fail "$f: order after the cut record"
    grep -q "done: 9 records: 5 ok\|done: 9 records: 6 ok" "$TEST_TMP/err" || fail "$f: no closing count"
done
field "$(line 7 "$W/synth.warc.gz.out")" reason | grep -q "cut short" || fail "truncated member: no 'cut short'"

# Standard input and -o: the same lines; the file appears whole.
"$CLEANER" --warc - <"$W/synth.warc.gz" >"$W/stdin.out" 2>"$TEST_TMP/err" || fail "--warc - failed"
sed 's|"source":"[^"]*"||' "$W/stdin.out" >"$W/a"; sed 's|"source":"[^"]*"||' "$W/synth.warc.gz.out" >"$W/b"
cmp -s "$W/a" "$W/b" || fail "standard input gives other lines than the file"
run 0 --warc "$W/synth.warc.gz" -o "$W/o.jsonl"
[ -s "$TEST_TMP/stdout" ] && fail "-o: lines on standard output too"
cmp -s "$W/o.jsonl" "$W/synth.warc.gz.out" || fail "-o FILE differs from standard output"
ls -a "$W" | grep -q '^\.cleaner-tmp-' && fail "-o left a temporary file"

# An unreadable stream stops the run: exit 1 naming it, and no -o file.
run 1 --warc "$W/synth.warc.gz" "$W/missing.warc" -o "$W/none.jsonl"
grep -q "missing.warc: cannot open" "$TEST_TMP/err" || fail "missing stream not named"
[ -e "$W/none.jsonl" ] && fail "-o file written by a run that stopped"

# Every shared sample: exit 0, valid lines, none of its document records lost.
if [ -d "${SHARED:-}/warc-samples" ]; then
    n=0
    for f in "$SHARED"/warc-samples/*; do
        case $f in *.md) continue ;; esac
        n=$((n + 1))
        rc=0
        timeout 20 "$CLEANER" --warc "$f" >"$W/s.out" 2>"$TEST_TMP/err" || rc=$?
        [ "$rc" -eq 0 ] || fail "$f: exit $rc"
        $MAKE check "$W/s.out" >/dev/null || fail "$f: bad output line"
        docs=$(zcat -f "$f" | grep -a -c -E '^WARC-Type: (response|resource|revisit|conversion)')
        lines=$(wc -l <"$W/s.out")
        [ "$lines" -ge "$docs" ] || fail "$f: $docs document records, $lines lines"
    done
    [ "$n" -gt 0 ] || fail "no WARC file in $SHARED/warc-samples"
    echo "$n shared samples handled"
else
    missing="no \$SHARED/warc-samples: the shared samples were not run"
fi

# The aeb-dev pages: bodies byte-identical to file mode (each page with
# --url, the URL its WARC record has).
[ -d "${SHARED:-}/aeb-dev/html" ] || { echo "skip: no \$SHARED/aeb-dev/html for the identity check"; exit 77; }
$MAKE pages "$SHARED/aeb-dev/html" "$SHARED/aeb-dev/ground-truth.json" "$W"
run 0 --warc "$W/pages.warc.gz"
cp "$TEST_TMP/stdout" "$W/pages.out"
: >"$W/files.out"
while IFS=$'\t' read -r path url; do
    rc=0
    "$CLEANER" -f json --url "$url" "$path" >>"$W/files.out" 2>>"$TEST_TMP/err" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "$path: file mode exit $rc"
done <"$W/urls.tsv"
$MAKE bodies "$W/pages.out" "$W/files.out" || fail "--warc bodies differ from file mode"
[ -z "${missing:-}" ] || { echo "skip: $missing"; exit 77; }

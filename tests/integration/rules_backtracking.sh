#!/usr/bin/env bash
# A rule that backtracks catastrophically must not hold a worker (issue 12):
# `(x+x+)+y` on a 12 KB paragraph of runs of x, each run short enough to
# stay under PCRE2's default match limit at every start position, held a
# worker for seconds to minutes a file; two such files stalled both
# workers.  With the rules' budgets (cleaner/rules.c) --once cleans them in
# well under a second: the search gives up, counts as no match, and
# --explain names the rule that gave up.
. "$(dirname "$0")/cli_lib.bash"
CONF=$TEST_TMP/cleaner.conf
LIMIT_MS=5000

mkdir -p "$TEST_TMP/rules"
printf '[nested]\nregex = (x+x+)+y\naction = drop\n' >"$TEST_TMP/rules/nested.rules"
cat >"$CONF" <<EOF
[cleaner]
input_dir = $IN
output_dir = $OUT
rules_dir = rules
jobs = 2
worker_cpu_seconds = 30
EOF

# crafted FILE RUN: an article with a 12 KB paragraph of runs of RUN x
# separated by spaces and ending in y.  Runs of 21 are the worst under
# PCRE2's default limit (each start position costs just under it), runs of
# 12 under the rules' own.
crafted() {
    local run line=""
    run=$(printf '%*s' "$2" '' | tr ' ' x)
    while [ ${#line} -lt 12288 ]; do line+="$run "; done
    {
        printf 'Title of a crafted article\n\n'
        printf 'The council met on Monday to discuss the harbour ferry service and its costs.\n\n'
        printf '%sy\n\n' "$line"
        printf 'The end of document %s.\n' "$(basename "$1")"
    } >"$1"
}
crafted "$IN/a.txt" 21
crafted "$IN/b.txt" 21
crafted "$IN/c.txt" 12

start=$(date +%s%N)
rc=0
"$CLEANER" --once -c "$CONF" >"$TEST_TMP/stdout" 2>"$TEST_TMP/err" || rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "--once over 3 crafted files: exit $rc in $ms ms"
[ "$ms" -lt "$LIMIT_MS" ] || fail "--once took $ms ms (limit $LIMIT_MS ms)"
[ "$rc" -eq 0 ] || fail "--once exited $rc, expected 0"
n=$(find "$OUT" -type f ! -name '.*' | wc -l)
[ "$n" -eq 3 ] || fail "expected 3 outputs, got $n: $(cd "$OUT" && find . -type f)"
for f in a b c; do
    grep -rq "The end of document $f.txt." "$OUT" || fail "output of $f.txt lacks its text"
done

# The search gave up: no match, the block kept, and --explain says why.
run 0 -c "$CONF" --explain "$IN/a.txt"
grep -q "KEEP .*rule nested: gave up (match limit)" "$TEST_TMP/err" \
    || fail "--explain does not name the rule that gave up"
exit 0

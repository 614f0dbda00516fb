#!/usr/bin/env bash
# A rule that backtracks catastrophically must not hold a worker (issue 12).
#
# 1. `(x+x+)+y` is refused at start, with the file, the line and the rule
#    (cleaner/rules.c screens every regex on short probes as it loads), by
#    --once, by file mode and by the daemon: exit 2, nothing written.
#    Before, it loaded, and a 12 KB paragraph of runs of x held a worker
#    for seconds to minutes a file.
# 2. A rule the screen lets through, linear at any one position, can still
#    need more than the match limit on a long block: `(?:x|\s)*z` walks a
#    whole paragraph from each place it starts (4 s interpreted for 12 KB
#    under PCRE2's default limit).  With the rules' budget --once cleans
#    such files in well under a second: the search gives up, counts as no
#    match, and --explain names the rule that gave up.  Sentences of about
#    400 bytes, each position just under the budget, are the worst the
#    budget allows this pattern: about 0.13 s a 12 KB block interpreted,
#    0.02 s with the JIT (the budget bounds a position, not a search).
. "$(dirname "$0")/cli_lib.bash"
CONF=$TEST_TMP/cleaner.conf
LIMIT_MS=5000

mkdir -p "$TEST_TMP/rules"
cat >"$CONF" <<EOF
[cleaner]
input_dir = $IN
output_dir = $OUT
rules_dir = rules
jobs = 2
worker_cpu_seconds = 30
EOF

# crafted FILE RUN TAIL [WORDS]: an article with a 12 KB paragraph of runs
# of RUN x separated by spaces (and by ". " every WORDS runs), ending in
# TAIL.
crafted() {
    local run line="" words=0
    run=$(printf '%*s' "$2" '' | tr ' ' x)
    while [ ${#line} -lt 12288 ]; do
        line+="$run"
        words=$((words + 1))
        if [ "${4:-0}" -gt 0 ] && [ $((words % $4)) -eq 0 ]; then line+=". "; else line+=" "; fi
    done
    {
        printf 'Title of a crafted article\n\n'
        printf 'The council met on Monday to discuss the harbour ferry service and its costs.\n\n'
        printf '%s%s\n\n' "${line% }" "$3"
        printf 'The end of document %s.\n' "$(basename "$1")"
    } >"$1"
}
crafted "$IN/a.txt" 21 z
crafted "$IN/b.txt" 12 z

# ---- 1. refused at start ---------------------------------------------------
printf '[fine]\nphrase = follow us\n\n[nested]\nregex = (x+x+)+y\naction = drop\n' \
    >"$TEST_TMP/rules/nested.rules"
want="rules/nested.rules:5: rule [nested]: regex '(x+x+)+y' backtracks catastrophically"
for mode in --once file daemon; do
    args=(-c "$CONF")
    case $mode in
        --once) args+=(--once) ;;
        file) args+=("$IN/a.txt") ;;
    esac
    rc=0
    timeout -k 2 10 "$CLEANER" "${args[@]}" >"$TEST_TMP/stdout" 2>"$TEST_TMP/err" || rc=$?
    echo "  $mode with (x+x+)+y: exit $rc: $(head -n 1 "$TEST_TMP/err")"
    [ "$rc" -eq 2 ] || fail "$mode: exit $rc with a catastrophic rule, expected 2"
    grep -qF "$want" "$TEST_TMP/err" || fail "$mode: no '$want'"
    grep -qF "rewrite it without nested or overlapping repeats" "$TEST_TMP/err" \
        || fail "$mode: the error does not say what to do"
    [ -z "$(find "$OUT" -type f ! -name '.*' 2>/dev/null)" ] || fail "$mode: wrote outputs"
done
rm "$TEST_TMP/rules/nested.rules"

# ---- 2. past the screen, a worker is still never held for long -------------
printf '[long]\nregex = (?:x|\\s)*z\naction = drop\n' >"$TEST_TMP/rules/long.rules"
crafted "$IN/c.txt" 21 z 19

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
grep -q "KEEP .*rule long: gave up (match limit)" "$TEST_TMP/err" \
    || fail "--explain does not name the rule that gave up"
exit 0

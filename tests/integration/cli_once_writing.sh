#!/usr/bin/env bash
# --once and a file still open for writing: looked at again for 2.55 s, so a
# writer that closes within that time gets its file cleaned; one that keeps
# it open has it left for the next run, with a warning and exit 0.
. "$(dirname "$0")/cli_lib.bash"
make_article "$IN/a.txt" A
make_article "$IN/held.txt" H
make_article "$IN/late.txt" L

exec 3>>"$IN/held.txt"
exec 4>>"$IN/late.txt"
( sleep 0.5; exec 4>&- ) &
exec 4>&-
start=$(date +%s%N)
run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
exec 3>&-
wait

[ -f "$OUT/a.txt.txt" ] || fail "a.txt not cleaned"
[ -f "$OUT/late.txt.txt" ] || fail "late.txt, closed 0.5 s in, not cleaned"
[ ! -e "$OUT/held.txt.txt" ] || fail "held.txt cleaned while open for writing"
grep -q "held.txt: still open for writing, left for when it is closed" "$TEST_TMP/err" \
    || fail "no 'left' line for held.txt"
grep -q "1 inputs were still being written" "$TEST_TMP/err" || fail "no closing warning"
grep -q "2 cleaned, 0 failed" "$TEST_TMP/err" || fail "expected 2 cleaned"
[ "$ms" -ge 2500 ] || fail "gave up on held.txt after $ms ms, before its last look"

# The next run finds it closed.
run 0 -c "$CONFIG" --once -i "$IN" -o "$OUT"
[ -f "$OUT/held.txt.txt" ] || fail "held.txt not cleaned once closed"
echo "--once: a file closed within the looks is cleaned, one held open is left (${ms} ms)"

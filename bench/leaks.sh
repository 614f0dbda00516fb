#!/bin/sh
# leaks.sh BUILD: every unit test of BUILD/tests under valgrind
# --leak-check=full; prints the bytes definitely lost, summed, and names the
# tests that lose any or that valgrind reports errors in.
set -eu
BUILD=$1

echo "   valgrind --leak-check=full over the unit tests"
if ! command -v valgrind >/dev/null; then
    echo "    skipped: valgrind is missing"
    exit 0
fi
tests=$(find "$BUILD/tests" -maxdepth 1 -type f -name 'test_*' -perm -u+x 2>/dev/null | sort)
if [ -z "$tests" ]; then
    echo "    skipped: no unit tests built in $BUILD/tests"
    exit 0
fi
log=$(mktemp)
total=0 count=0 bad=""
for t in $tests; do
    count=$((count + 1))
    valgrind --leak-check=full --log-file="$log" "$t" >/dev/null 2>&1 || true
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -n 1)
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
    total=$((total + ${lost:-0}))
    if [ "${lost:-0}" != 0 ] || [ "${errors:-0}" != 0 ]; then
        bad="$bad $(basename "$t")(${lost:-0} B lost, ${errors:-0} errors)"
    fi
done
rm -f "$log"
echo "    $count tests: $total bytes definitely lost   target 0"
[ -z "$bad" ] || echo "    with leaks or memory errors:$bad"

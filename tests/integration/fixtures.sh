# Every input in fixtures/raw, cleaned by `cleaner --once`, must equal its
# reviewed expected output in fixtures/expected (same name, .txt).
set -eu
out="$TEST_TMP/out"
"$CLEANER" --once -i "$REPO/fixtures/raw" -o "$out"
status=0
n=0
for input in "$REPO"/fixtures/raw/*; do
    name=$(basename "$input")
    expected="$REPO/fixtures/expected/${name%.*}.txt"
    if [ ! -f "$expected" ]; then
        echo "no expected output for $name"; status=1; continue
    fi
    if ! diff -u "$expected" "$out/$name.txt"; then
        echo "MISMATCH: $name"; status=1
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no fixtures found"; exit 1; }
echo "$n fixtures compared"
exit $status

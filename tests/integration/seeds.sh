# The seed articles' acceptance bar: every keep snippet present, every drop
# snippet absent (../shared/seeds/seeds-gold.json scored by textscore.py).
set -eu
seeds="$SHARED/seeds"
if [ ! -f "$seeds/seeds-gold.json" ]; then
    echo "skipped: no $seeds (../shared is not beside the repository)"
    exit 77
fi
mkdir -p "$TEST_TMP/out"
for f in "$seeds"/*.txt; do
    "$CLEANER" "$f" > "$TEST_TMP/out/$(basename "$f")"
done
score=$(python3 "$SHARED/bench/textscore.py" "$seeds/seeds-gold.json" "$TEST_TMP/out" --verbose)
echo "$score"
last=$(printf '%s\n' "$score" | tail -n 1)
case "$last" in
    "keep 100.0% "*"dropped 100.0% "*"markup-left 0") exit 0 ;;
    *) echo "seeds below the bar"; exit 1 ;;
esac

#!/bin/sh
# parallel.sh BIN SHARED WORK: wall time of `BIN --once` over 2000 files with
# -j 1 and -j 2, alternated RUNS times; prints the medians and the speed-up.
set -eu
. "$(dirname "$0")/lib.sh"
BIN=$1 SHARED=$2 WORK=$3
FILES=2000 RUNS=3

echo "3. Parallel speed-up, --once over $FILES files, median of $RUNS runs each"
bench_need_bin "$BIN" || exit 0
bench_file_set "$SHARED" "$WORK" "$WORK/par-in" "$FILES"
j1="" j2=""
for _ in $(seq "$RUNS"); do
    for j in 1 2; do
        rm -rf "$WORK/par-out"
        if ! t=$(bench_wall "$BIN" --once -j "$j" -i "$WORK/par-in" -o "$WORK/par-out"); then
            echo "    failed: $BIN --once -j $j -i $WORK/par-in -o $WORK/par-out"
            exit 0
        fi
        if [ "$j" = 1 ]; then j1="$j1 $t"; else j2="$j2 $t"; fi
    done
done
# shellcheck disable=SC2086
m1=$(bench_median $j1) m2=$(bench_median $j2)
outputs=$(find "$WORK/par-out" -type f | wc -l)
echo "$m1 $m2 $FILES $outputs" | awk '{
    printf "    -j 1: %.2f s (%.0f files/s)   -j 2: %.2f s (%.0f files/s)   %d outputs\n",
           $1, $3 / $1, $2, $3 / $2, $4
    printf "    speed-up -j 2 / -j 1 = %.2fx   target >= 1.80x\n", $1 / $2 }'
rm -rf "$WORK/par-in" "$WORK/par-out"

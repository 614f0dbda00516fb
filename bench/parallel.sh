#!/bin/sh
# parallel.sh BIN SHARED WORK: `BIN --once` over 2000 files with -j 1 and
# -j 2, alternated RUNS times; prints the median wall times, the speed-up,
# and the CPU time the runs used: on a shared machine, other processes
# taking the cores shows as wall time the CPU time does not account for.
set -eu
. "$(dirname "$0")/lib.sh"
BIN=$1 SHARED=$2 WORK=$3
FILES=2000 RUNS=3

echo "3. Parallel speed-up, --once over $FILES files, median of $RUNS runs each"
bench_need_bin "$BIN" || exit 0
if [ ! -x /usr/bin/time ]; then
    echo "    skipped: /usr/bin/time is missing (apt-get install time)"
    exit 0
fi
bench_file_set "$SHARED" "$WORK" "$WORK/par-in" "$FILES"
wall1="" wall2="" cpu1="" cpu2=""
for _ in $(seq "$RUNS"); do
    for j in 1 2; do
        rm -rf "$WORK/par-out"
        if ! /usr/bin/time -f '%e %U %S' -o "$WORK/par.time" "$BIN" --once -j "$j" \
                -i "$WORK/par-in" -o "$WORK/par-out" >/dev/null 2>&1; then
            echo "    failed: $BIN --once -j $j -i $WORK/par-in -o $WORK/par-out"
            exit 0
        fi
        read -r wall user sys < "$WORK/par.time"
        cpu=$(echo "$user $sys" | awk '{ print $1 + $2 }')
        if [ "$j" = 1 ]; then wall1="$wall1 $wall" cpu1="$cpu1 $cpu"
        else wall2="$wall2 $wall" cpu2="$cpu2 $cpu"; fi
    done
done
# shellcheck disable=SC2086
set -- "$(bench_median $wall1)" "$(bench_median $wall2)" "$(bench_median $cpu1)" \
       "$(bench_median $cpu2)"
outputs=$(find "$WORK/par-out" -type f ! -name ".*" | wc -l)
echo "$1 $2 $3 $4 $FILES $outputs" | awk '{
    printf "    -j 1: %.2f s (%.0f files/s, %.2f s CPU)   -j 2: %.2f s (%.0f files/s, %.2f s CPU)   %d outputs\n",
           $1, $5 / $1, $3, $2, $5 / $2, $4, $6
    printf "    speed-up -j 2 / -j 1 = %.2fx   target >= 1.80x   (CPU share of 2 cores during -j 2: %.0f%%)\n",
           $1 / $2, 100 * $4 / (2 * $2) }'
rm -rf "$WORK/par-in" "$WORK/par-out" "$WORK/par.time"

#!/bin/sh
# rss.sh BIN SHARED WORK: peak RSS of `BIN --once -j 2` over 100 and over
# 10 000 files.  /usr/bin/time reports the largest peak of the process and
# of every child it waited for, so forked workers count too.
set -eu
. "$(dirname "$0")/lib.sh"
BIN=$1 SHARED=$2 WORK=$3

echo "5. Memory, peak RSS of --once -j 2 (largest process of the tree)"
bench_need_bin "$BIN" || exit 0
if [ ! -x /usr/bin/time ]; then
    echo "    skipped: /usr/bin/time is missing (apt-get install time)"
    exit 0
fi
peak_kb() {
    bench_file_set "$SHARED" "$WORK" "$WORK/rss-in" "$1"
    rm -rf "$WORK/rss-out"
    /usr/bin/time -f %M -o "$WORK/rss.kb" \
        "$BIN" --once -j 2 -i "$WORK/rss-in" -o "$WORK/rss-out" >/dev/null 2>&1 || return 1
    tail -n 1 "$WORK/rss.kb"
}
if ! small=$(peak_kb 100) || ! large=$(peak_kb 10000); then
    echo "    failed: $BIN --once -j 2 -i $WORK/rss-in -o $WORK/rss-out"
    exit 0
fi
echo "$small $large" | awk '{
    printf "    100 files: %.1f MB   10000 files: %.1f MB   growth %+.1f%%   target within 10%%\n",
           $1 / 1024, $2 / 1024, ($2 - $1) * 100 / $1 }'
rm -rf "$WORK/rss-in" "$WORK/rss-out" "$WORK/rss.kb"

#!/bin/sh
# latency.sh BIN DROP_LATENCY SHARED WORK: runs `BIN -i IN -o OUT` as a
# daemon and times 1000 drops of the aeb-dev page closest to 50 KB, at 50
# drops a second (bench/drop_latency.c says how).
set -eu
. "$(dirname "$0")/lib.sh"
BIN=$1 DROPS=$2 SHARED=$3 WORK=$4
COUNT=1000 RATE=50 PAGE_BYTES=51200

echo "4. Daemon latency, from a file's close to its output's rename"
bench_need_bin "$BIN" || exit 0
bench_sources "$SHARED" "$WORK"
page=$(for f in "$WORK"/src/*.html; do
           echo "$(( $(stat -c %s "$f") - PAGE_BYTES )) $f"
       done | sed 's/^-//' | sort -n | head -n 1 | cut -d' ' -f2)
rm -rf "$WORK/lat-in" "$WORK/lat-out"
mkdir -p "$WORK/lat-in" "$WORK/lat-out"
"$BIN" -i "$WORK/lat-in" -o "$WORK/lat-out" >"$WORK/daemon.log" 2>&1 &
daemon=$!
"$DROPS" "$WORK/lat-in" "$WORK/lat-out" "$page" "$COUNT" "$RATE" || true
if kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon"
    wait "$daemon" || true
else
    wait "$daemon" || echo "    the daemon exited early: see $WORK/daemon.log"
fi
rm -rf "$WORK/lat-in" "$WORK/lat-out"

# Shared by the bench/*.sh scripts (sourced, not run).

# Prints why a step is skipped when the cleaner binary is not built yet.
bench_need_bin() {
    [ -x "$1" ] && return 0
    echo "    skipped: $1 is not built yet"
    return 1
}

# bench_sources SHARED WORK: decompresses the aeb-dev pages and copies the
# seed articles into WORK/src once; the file sets are hard links to them.
bench_sources() {
    src="$2/src"
    [ -f "$src/.done" ] && return 0
    rm -rf "$src" && mkdir -p "$src"
    for f in "$1"/aeb-dev/html/*.html.gz; do
        b=$(basename "$f" .gz)
        gzip -dc "$f" > "$src/$b"
    done
    cp "$1"/seeds/*.txt "$src/"
    touch "$src/.done"
}

# bench_file_set SHARED WORK DIR N: DIR holds N files cycling over the
# sources (about 95% pages, 5% text), each under a name of its own.
bench_file_set() {
    bench_sources "$1" "$2"
    rm -rf "$3"
    python3 - "$2/src" "$3" "$4" <<'PY'
import os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(f for f in os.listdir(src) if not f.startswith('.'))
os.makedirs(dst)
for i in range(n):
    f = files[i % len(files)]
    os.link(os.path.join(src, f), os.path.join(dst, '%05d-%s' % (i, f)))
PY
}

# Seconds of wall time `"$@"` takes (output discarded); empty on failure.
bench_wall() {
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || return 1
    end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }'
}

# Median of the numbers given as arguments.
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

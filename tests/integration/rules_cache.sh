#!/usr/bin/env bash
# The rules index cache (cache_dir, daemon/rules_cache.h): the first run
# writes CACHE/rules.index, the next ones start from it, changed rules
# rebuild it, a corrupt, truncated or untrusted file is ignored and
# replaced, and an unusable cache folder still cleans correctly.  Every
# run's output is compared with a run without a cache.
. "$(dirname "$0")/cli_lib.bash"
CACHE=$TEST_TMP/cache
FILE=$CACHE/rules.index
cp -r "$REPO/config/rules" "$TEST_TMP/rules"
make_article "$IN/a.txt" A
printf 'Share this article\n\n' >>"$IN/a.txt"

conf() {  # conf NAME CACHE_DIR_LINE: a debug-level config on the copied rules
    printf '[cleaner]\nrules_dir = %s\nmodel = none\nlog_level = debug\n%s\n' \
        "$TEST_TMP/rules" "$2" >"$TEST_TMP/$1.conf"
}
conf cached "cache_dir = $CACHE"
conf none "cache_dir ="

run 0 -c "$TEST_TMP/none.conf" "$IN/a.txt"
cp "$TEST_TMP/stdout" "$TEST_TMP/expected"
grep -q "rules index cache" "$TEST_TMP/err" && fail "cache_dir = (empty): the cache was used"
grep -q "Share this article" "$TEST_TMP/expected" && fail "the shipped rules did not drop the share line"

same() { cmp -s "$TEST_TMP/stdout" "$TEST_TMP/expected" || fail "$1: output differs from a run without cache"; }
from_cache() {
    grep -q "rules index from cache $FILE" "$TEST_TMP/err" || fail "$1: the cache was not used"
    grep -q "compiled" "$TEST_TMP/err" && fail "$1: something was compiled"
    return 0
}
written() { grep -q "rules index cache $FILE written" "$TEST_TMP/err" || fail "$1: cache not written"; }

# First run writes it; the second starts from it and leaves it alone.
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
same "first run"; written "first run"
[ -f "$FILE" ] || fail "no $FILE"
inode=$(stat -c %i "$FILE")
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
same "second run"; from_cache "second run"
[ "$(stat -c %i "$FILE")" = "$inode" ] || fail "second run rewrote the cache"
run 0 -c "$TEST_TMP/cached.conf" -f json "$IN/a.txt"
from_cache "-f json"
run 0 -c "$TEST_TMP/cached.conf" --once -i "$IN" -o "$OUT"
from_cache "--once"
cmp -s "$OUT/a.txt.txt" "$TEST_TMP/expected" || fail "--once from the cache: output differs"

# A changed rules file: the index is rebuilt, the new rule applies, and the
# next run starts from the new cache.
printf '\n[test-only-late-crossings]\nphrase = the late crossings matter\n' \
    >>"$TEST_TMP/rules/zz-test.rules"
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
grep -q "databases compiled" "$TEST_TMP/err" || fail "changed rules: index not rebuilt"
written "changed rules"
grep -q "late crossings" "$TEST_TMP/stdout" && fail "changed rules: the new rule did not apply"
cp "$TEST_TMP/stdout" "$TEST_TMP/changed"
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
from_cache "after the change"
cmp -s "$TEST_TMP/stdout" "$TEST_TMP/changed" || fail "changed rules: cached run differs"
rm "$TEST_TMP/rules/zz-test.rules"
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
same "rule removed again"; written "rule removed again"

# Garbage, a truncated file, one writable by others: refused, the rules
# compiled, the file replaced, and the run after uses the new one.
refused_then_replaced() {
    run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
    same "$1"; written "$1"
    grep -q "$2" "$TEST_TMP/err" || fail "$1: no line saying why the cache was not used"
    run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
    same "$1, run after"; from_cache "$1, run after"
}
head -c 100000 /dev/urandom >"$FILE"
refused_then_replaced "garbage" "not of this version, platform or whole"
size=$(stat -c %s "$FILE")
truncate -s $((size / 2)) "$FILE"
refused_then_replaced "truncated" "not of this version, platform or whole"
printf 'CLRECS01' | dd of="$FILE" bs=1 seek=$((size - 8)) conv=notrunc status=none
refused_then_replaced "corrupt digest" "not of this version, platform or whole"
chmod 666 "$FILE"
refused_then_replaced "writable by others" "refused: writable by others"

# A folder where the cache file should be: refused, and cannot be replaced.
rm "$FILE"; mkdir "$FILE"
run 0 -c "$TEST_TMP/cached.conf" "$IN/a.txt"
same "a folder named rules.index"
grep -q "warning: rules index cache $FILE" "$TEST_TMP/err" || fail "a folder as cache file: no warning"
rmdir "$FILE"

# A cache folder that cannot be created (under a regular file: refused even
# to root), and, when not root, one that cannot be written.
: >"$TEST_TMP/plain"
conf blocked "cache_dir = $TEST_TMP/plain/cache"
run 0 -c "$TEST_TMP/blocked.conf" "$IN/a.txt"
same "uncreatable cache folder"
grep -q "warning: rules index cache" "$TEST_TMP/err" || fail "uncreatable cache folder: no warning"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$TEST_TMP/ro"; chmod 555 "$TEST_TMP/ro"
    conf ro "cache_dir = $TEST_TMP/ro"
    run 0 -c "$TEST_TMP/ro.conf" "$IN/a.txt"
    same "read-only cache folder"
    grep -q "warning: rules index cache" "$TEST_TMP/err" || fail "read-only cache folder: no warning"
    chmod 755 "$TEST_TMP/ro"
fi

# Without the key: $XDG_CACHE_HOME/cleaner.
conf default ""
XDG_CACHE_HOME=$TEST_TMP/xdg run 0 -c "$TEST_TMP/default.conf" "$IN/a.txt"
same "default folder"
[ -f "$TEST_TMP/xdg/cleaner/rules.index" ] || fail "no cache in \$XDG_CACHE_HOME/cleaner"
echo "rules cache: written, used, rebuilt on change, corrupt files replaced, bad folders harmless"

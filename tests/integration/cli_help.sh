#!/usr/bin/env bash
# --help, -h, --version, and usage errors (exit 2, naming the problem).
. "$(dirname "$0")/cli_lib.bash"
run 0 --help
grep -q "^usage: cleaner" "$TEST_TMP/stdout" || fail "--help: no usage"
for opt in --once -f --min-chars --model --explain -c -j --version; do
    grep -q -- "$opt" "$TEST_TMP/stdout" || fail "--help does not mention $opt"
done
run 0 -h
grep -q "^usage: cleaner" "$TEST_TMP/stdout" || fail "-h: no usage"
run 0 --version
grep -Eq "^cleaner [0-9]+\.[0-9]+\.[0-9]+$" "$TEST_TMP/stdout" || fail "--version format"
run 2
grep -q "nothing to do" "$TEST_TMP/err" || fail "no arguments: unclear error"
run 2 -x
grep -q "unknown option '-x'" "$TEST_TMP/err" || fail "unknown short option"
run 2 -f yaml a.txt
grep -q "unknown format 'yaml'" "$TEST_TMP/err" || fail "bad -f value"
run 2 -j 0 a.txt
grep -q -- "-j: '0'" "$TEST_TMP/err" || fail "bad -j value"
run 2 -c
grep -q "needs a value" "$TEST_TMP/err" || fail "-c without value"
run 2 --once -i "$IN" -o "$TEST_TMP/o" a.txt
grep -q "cannot be combined" "$TEST_TMP/err" || fail "files with --once"
run 2 -c "$TEST_TMP/none.conf" a.txt
grep -q "none.conf: cannot open config" "$TEST_TMP/err" || fail "missing -c file"
echo "help, version, usage errors"

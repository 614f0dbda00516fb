#!/usr/bin/env bash
# Config and rule errors (issue 6): an unknown key, a bad value, a bad
# regular expression, a missing or unwritable folder.  Each is reported with
# the file, the line and the cause, and cleaner refuses to start (exit 2),
# both with --once and as a daemon, before it touches any input or output:
# it never runs half-configured.
set -u
[ -x "$CLEANER" ] || { echo "no $CLEANER"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cd "$TEST_TMP" || exit 1
mkdir in out rules
cp "$REPO"/config/rules/*.rules rules/
printf 'The council approved the new budget on Tuesday evening, after a long debate.\n' >in/a.txt
touch a-file
CONF=$TEST_TMP/bad.conf

# conf LINE...: a config whose line N is the Nth argument after "[cleaner]".
conf() {
    { echo "[cleaner]"; printf '%s\n' "$@"; } >"$CONF"
}

# refuses WHAT NEEDLE...: cleaner, in each of $MODES (--once, daemon),
# exits 2 within 10 s, writes nothing, and says every NEEDLE on one line of
# stderr.
MODES="--once daemon"
refuses() {
    local what=$1 mode rc line needle
    shift
    for mode in $MODES; do
        local args=(-c "$CONF")
        [ "$mode" = --once ] && args+=(--once)
        rm -rf out && mkdir out
        timeout -k 2 10 "$CLEANER" "${args[@]}" 2>"$TEST_TMP/err"
        rc=$?
        printf '  %-34s %-6s exit %-3d %s\n' "$what" "$mode" "$rc" "$(head -n 1 "$TEST_TMP/err")"
        case $rc in
            2) ;;
            124) fail "$what ($mode): still running after 10 s instead of refusing to start" ;;
            *) fail "$what ($mode): exit $rc, expected 2" ;;
        esac
        line=$(grep -F -- "$1" "$TEST_TMP/err" | head -n 1)
        for needle in "$@"; do
            case $line in
                *"$needle"*) ;;
                *) fail "$what ($mode): no line with all of [$*]: $(cat "$TEST_TMP/err")"; break ;;
            esac
        done
        [ -z "$(find out -type f ! -name .cleaner.lock 2>/dev/null)" ] || fail "$what ($mode): wrote outputs: $(ls out)"
    done
}

echo "each broken configuration is refused:"
conf "input_dir = in" "output_dir = out" "colour = red"
refuses "unknown key" "$CONF:4:" "colour"

# inih reports the first key of the section: line 5.
conf "input_dir = in" "output_dir = out" "[extras]" "x = 1"
refuses "unknown section" "$CONF:5:" "extras"

conf "input_dir = in" "output_dir = out" "format = yaml"
refuses "bad value" "$CONF:4:" "yaml"

conf "input_dir = in" "output_dir = out" "rules_dir = rules"
printf '[fine]\nphrase = follow us\n\n[broken]\nregex = (unclosed\n' >rules/zz-bad.rules
refuses "bad regular expression" "rules/zz-bad.rules:5:" "regular expression"
printf '[fine]\nphrase = follow us\ncolour = red\n' >rules/zz-bad.rules
refuses "unknown rule key" "rules/zz-bad.rules:3:" "colour"
rm rules/zz-bad.rules

# libinih reads at most 199 bytes a line and splits longer ones: a long path
# must either be used whole or refused on its own line, never cut into a
# wrong folder or reported as a syntax error on a line that does not exist.
long_dir=out/$(printf 'd%.0s' $(seq 1 230))
conf "input_dir = in" "output_dir = $long_dir"
timeout -k 2 10 "$CLEANER" -c "$CONF" --once 2>"$TEST_TMP/err"
rc=$?
printf '  %-34s %-6s exit %-3d %s\n' "250-byte line" --once "$rc" "$(head -c 150 "$TEST_TMP/err")"
if [ "$rc" -eq 0 ]; then
    [ -d "$long_dir" ] || fail "250-byte line: exit 0 but $long_dir was not used"
elif ! grep -q -- "$CONF:3: .*long" "$TEST_TMP/err"; then
    fail "250-byte line: refused without naming line 3 as too long: $(cat "$TEST_TMP/err")"
fi

# Folders: the message names the config line that set the folder, and why.
# The daemon creates a missing input folder (cleaner.conf says so): only
# --once must refuse one.
conf "input_dir = missing" "output_dir = out"
MODES=--once refuses "missing input folder" "$CONF:2:" "missing" "No such file"

conf "input_dir = in" "output_dir = out" "rules_dir = no-rules"
refuses "missing rules folder" "$CONF:4:" "no-rules" "No such file"

conf "input_dir = in" "output_dir = a-file/out"
refuses "output folder cannot be created" "$CONF:3:" "a-file/out" "Not a directory"

conf "input_dir = in" "output_dir = a-file"
refuses "output folder is a file" "$CONF:3:" "a-file" "Not a directory"

if [ "$(id -u)" -ne 0 ]; then   # root writes anywhere: no way to test it so
    mkdir read-only && chmod 555 read-only
    conf "input_dir = in" "output_dir = read-only"
    refuses "output folder not writable" "$CONF:3:" "read-only" "Permission denied"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "hostile config: every error named its file, line and cause; cleaner refused to start"

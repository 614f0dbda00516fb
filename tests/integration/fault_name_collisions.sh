#!/usr/bin/env bash
# Output names: IN/dir/name becomes OUT/dir/name.txt, the FULL input name
# plus ".txt", so two inputs can never share an output, whatever order they
# arrive in.  (Replacing the last extension made x.html and x, or a.md and
# a.html, collide: the name an input got depended on which of its twins
# existed at the time, outputs were overwritten by the twin's content and
# stale ones left behind.)  Checked with --once (three runs) and with the
# daemon (files dropped one after the other):
#   x.html then x            -> x.html.txt and x.txt, each its own content
#   a.md, a.html, a.html rewritten -> a.md.txt keeps a.md's content,
#                               a.html.txt the rewritten one, nothing else
#   A.html and a.html        -> A.html.txt and a.html.txt
#   a 251-byte name (247 "n" + ".htm")  -> cleaned (output name 255 bytes)
#   a 252-byte name (248 "m" + ".htm")  -> output would be 256 bytes: not
#                               cleaned, no truncated output, the log names it
#                               with "too long"
# and OUT holds exactly the 7 expected outputs.
. "$(dirname "$0")/daemon_lib.bash"
on_exit kill_daemon
write_conf

make_html() {
    printf '<!DOCTYPE html><html><head><title>Harbour ferry %s</title></head><body><article><h1>Harbour ferry %s</h1><p>The council met on Monday to discuss the harbour ferry service and its costs for the coming year.</p><p>Residents said the late crossings matter to people who work night shifts in the port district.</p><p>The end of document %s.</p></article></body></html>\n' "$2" "$2" "$2" >"$1"
}
make_md() {
    printf '# Harbour ferry %s\n\nThe council met on Monday to discuss the harbour ferry service and its costs for the coming year.\n\nResidents said the late crossings matter to people who work night shifts in the port district.\n\nThe end of document %s.\n' "$2" "$2" >"$1"
}
NOK=$(printf 'n%.0s' $(seq 1 247)).htm        # 251 bytes: output 255
NBAD=$(printf 'm%.0s' $(seq 1 248)).htm       # 252 bytes: output 256
[ ${#NOK} -eq 251 ] && [ ${#NBAD} -eq 252 ] || fail "name lengths wrong"

# holds OUTDIR REL MARK: OUTDIR/REL exists and is the document MARK.
holds() {
    grep -qF "The end of document $3." "$1/$2" 2>/dev/null
}
expect() {    # expect WHAT OUTDIR REL MARK
    holds "$2" "$3" "$4" || problem "$1: $3 missing or not document $4 (OUT: $(cd "$2" && find . -type f ! -name '.*' | cut -c1-40 | sort | tr '\n' ' '))"
}
expect_no_bad() {  # expect_no_bad WHAT OUTDIR LOGFILE
    local left
    left=$(find "$2" -name 'mmmm*' | head -n 1)
    [ -z "$left" ] || problem "$1: the 252-byte name got an output: ${left:0:80}..."
    has_output_with "The end of document LONGBAD." "$2" && problem "$1: LONGBAD was cleaned"
    grep -F "$NBAD" "$3" | grep -q "too long" \
        || problem "$1: no log line naming the 252-byte input with 'too long'"
}
expect_total() {   # expect_total WHAT OUTDIR N
    local n
    n=$(count_files "$2")
    [ "$n" -eq "$3" ] || problem "$1: $n outputs, expected $3: $(cd "$2" && find . -type f ! -name '.*' | cut -c1-40 | sort | tr '\n' ' ')"
}

# ---- --once, three runs ----
OI=$TEST_TMP/once-in
OO=$TEST_TMP/once-out
mkdir -p "$OI"/{x,a,case,long}
make_html "$OI/x/x.html" HTMLX
make_md "$OI/a/a.md" MDA
make_html "$OI/case/A.html" UPPER
make_html "$OI/case/a.html" LOWER
make_html "$OI/long/$NOK" LONGOK
make_html "$OI/long/$NBAD" LONGBAD
once() {    # once EXPECTED_RC
    local rc=0
    timeout -k 2 30 "$CLEANER" -c "$CONF" --once -i "$OI" -o "$OO" 2>>"$TEST_TMP/once.err" || rc=$?
    [ "$rc" -eq "$1" ] || problem "--once exited $rc, expected $1"
}
once 1      # the 252-byte name fails
expect "--once 1" "$OO" x/x.html.txt HTMLX
expect "--once 1" "$OO" a/a.md.txt MDA
expect "--once 1" "$OO" case/A.html.txt UPPER
expect "--once 1" "$OO" case/a.html.txt LOWER
expect "--once 1" "$OO" "long/$NOK.txt" LONGOK
expect_no_bad "--once 1" "$OO" "$TEST_TMP/once.err"
rm -f "$OI/long/$NBAD"
sleep 0.05
make_md "$OI/x/x" PLAINX
make_html "$OI/a/a.html" HTMLA1
once 0
expect "--once 2" "$OO" x/x.txt PLAINX
expect "--once 2" "$OO" x/x.html.txt HTMLX
expect "--once 2" "$OO" a/a.html.txt HTMLA1
expect "--once 2" "$OO" a/a.md.txt MDA
sleep 0.05
make_html "$OI/a/a.html" HTMLA2
once 0
expect "--once 3" "$OO" a/a.html.txt HTMLA2
expect "--once 3" "$OO" a/a.md.txt MDA
has_output_with "The end of document HTMLA1." "$OO" && problem "--once 3: the first a.html's output is left"
expect_total "--once" "$OO" 7

# ---- the daemon, one file after the other ----
mkdir -p "$IN"/{x,a,case,long}
start_daemon
wait_mark() {   # wait_mark MARK: an output holding it appears
    wait_until 10 has_output_with "The end of document $1." || problem "daemon: $1 was not cleaned"
}
make_html "$IN/x/x.html" HTMLX
wait_mark HTMLX
expect "daemon" "$OUT" x/x.html.txt HTMLX
make_md "$IN/x/x" PLAINX
wait_mark PLAINX
sleep 0.3
expect "daemon" "$OUT" x/x.txt PLAINX
expect "daemon, after x" "$OUT" x/x.html.txt HTMLX

make_md "$IN/a/a.md" MDA
wait_mark MDA
make_html "$IN/a/a.html" HTMLA1
wait_mark HTMLA1
make_html "$IN/a/a.html" HTMLA2
wait_mark HTMLA2
sleep 0.3
expect "daemon" "$OUT" a/a.md.txt MDA
expect "daemon" "$OUT" a/a.html.txt HTMLA2
has_output_with "The end of document HTMLA1." && problem "daemon: the first a.html's output is left"

make_html "$IN/case/A.html" UPPER
make_html "$IN/case/a.html" LOWER
wait_mark UPPER
wait_mark LOWER
expect "daemon" "$OUT" case/A.html.txt UPPER
expect "daemon" "$OUT" case/a.html.txt LOWER

make_html "$IN/long/$NOK" LONGOK
make_html "$IN/long/$NBAD" LONGBAD
wait_mark LONGOK
expect "daemon" "$OUT" "long/$NOK.txt" LONGOK
wait_until 5 grep -q "too long" "$LOG"
expect_no_bad "daemon" "$OUT" "$LOG"
expect_total "daemon" "$OUT" 7
alive
stop_daemon
end_problems
echo "name collisions: every input has its own output, under its full name plus .txt"

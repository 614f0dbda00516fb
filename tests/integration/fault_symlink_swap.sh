#!/usr/bin/env bash
# Escapes through folders swapped for symlinks while a file is in flight.
# The daemon refuses a symlinked input, but a worker that opens
# "IN/sub/x.txt" by path follows a symlink in any folder on the way.  The
# race is made deterministic by stopping the only worker (jobs = 1) while
# the job is dispatched to it, swapping the folder, then resuming it:
#  1. IN/sub replaced by a symlink to a folder outside IN: nothing of the
#     outside file (marker SECRETOUTSIDE) may reach OUT;
#  2. OUT/o replaced by a symlink to a folder outside OUT: nothing may be
#     written there;
#  3. OUT itself renamed and replaced by a symlink after the start: outputs
#     go to the folder opened at start (or fail), never through the link.
. "$(dirname "$0")/daemon_lib.bash"
on_exit cont_workers
on_exit kill_daemon
write_conf
OUTSIDE=$TEST_TMP/outside
ELSEWHERE=$TEST_TMP/elsewhere
ELSEWHERE2=$TEST_TMP/elsewhere2
mkdir -p "$OUTSIDE" "$ELSEWHERE" "$ELSEWHERE2" "$IN/o"
make_article "$OUTSIDE/x.txt" SECRETOUTSIDE
make_article "$IN/o/first.txt" FIRST

start_daemon -j 1
wait_until 10 has_output_with "The end of document FIRST." || fail "o/first.txt not cleaned"
[ -d "$OUT/o" ] || fail "OUT/o was not created for o/first.txt"
[ "$(worker_pids | wc -l)" -eq 1 ] || fail "expected one worker with -j 1: $(worker_pids | tr '\n' ' ')"

empty() {
    [ -z "$(find "$1" -mindepth 1 | head -n 1)" ]
}

# 1. An input folder swapped for a symlink while its file is in flight.
mkdir "$IN/sub"
sleep 0.3                        # the new folder is watched
stop_workers
make_article "$IN/sub/x.txt" harmless
sleep 0.3                        # event read, job sent to the stopped worker
rm -rf "$IN/sub"
ln -s "$OUTSIDE" "$IN/sub"
cont_workers
sleep 1.5
alive
leak=$(grep -rlF SECRETOUTSIDE "$OUT")
[ -z "$leak" ] || problem "a file outside IN was read through the swapped folder IN/sub: $leak"

# 2. An output folder swapped for a symlink while a file is in flight.
stop_workers
make_article "$IN/o/y.txt" YYY
sleep 0.3
rm -rf "$OUT/o"
ln -s "$ELSEWHERE" "$OUT/o"
cont_workers
sleep 1.5
alive
empty "$ELSEWHERE" || problem "written through the symlink OUT/o: $(ls -A "$ELSEWHERE")"

# 3. OUT itself renamed and replaced by a symlink.
mv "$OUT" "$OUT.real"
ln -s "$ELSEWHERE2" "$OUT"
make_article "$IN/z.txt" ZZZ
wait_until 5 has_output_with "The end of document ZZZ." "$OUT.real/"
alive
empty "$ELSEWHERE2" || problem "written through the symlink that replaced OUT: $(ls -A "$ELSEWHERE2")"
end_problems
stop_daemon
echo "symlink swaps: nothing read from outside IN, nothing written outside OUT"

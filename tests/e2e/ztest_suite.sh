#!/usr/bin/env bash
# ztest_suite.sh APP BOARD: build the ztest application APP for BOARD, run it on the board's
# emulator within ZTEST_TIMEOUT seconds (default 120) and print its output. Passes only when the
# image exits with status 0 and reported "PROJECT EXECUTION SUCCESSFUL".
[ $# -eq 2 ] || { echo "usage: $0 APP BOARD" >&2; exit 2; }
app=$(cd "$1" && pwd) || exit 2
board=$2
E2E_SUFFIX=-$(basename "$app")-$board
source "$(dirname "$0")/lib.sh"

name=$(basename "$app")
secs=${ZTEST_TIMEOUT:-120}
dir=$WORK/build
build_app "$app" "$board" "$dir"

rc=0
out=$(run_to_exit "$board" "$dir" "$secs") || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 124 ] || fail "$name on $board: still running after ${secs}s (a test hangs?)"
grep -qx "PROJECT EXECUTION SUCCESSFUL" <<<"$out" \
  || fail "$name on $board: no 'PROJECT EXECUTION SUCCESSFUL' (exit status $rc)"
[ "$rc" -eq 0 ] || fail "$name on $board: the image exited with status $rc"
ok "$name on $board"

#!/usr/bin/env bash
# accept_kernel_test.sh BOARD: the kernel acceptance application (ACCEPT_KERNEL_APP, by default
# ../shared/acceptance/apps/accept_kernel beside the checkout, a ztest suite written against Zephyr's documented
# API) builds for BOARD and passes there: PROJECT EXECUTION SUCCESSFUL, exit status 0, and at
# least ACCEPT_KERNEL_MIN_PASS passing tests (default 8). Exits 77 (skipped) when the
# application is not there.
[ $# -eq 1 ] || { echo "usage: $0 BOARD" >&2; exit 2; }
board=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
app=${ACCEPT_KERNEL_APP:-$(dirname "$repo")/shared/acceptance/apps/accept_kernel}
min_pass=${ACCEPT_KERNEL_MIN_PASS:-8}
if [ ! -f "$app/CMakeLists.txt" ]; then
  echo "skipped: no acceptance application at $app (set ACCEPT_KERNEL_APP)"
  exit 77
fi
E2E_SUFFIX=-$board
source "$(dirname "$0")/lib.sh"
dir=$WORK/build
build_app "$app" "$board" "$dir"

rc=0
out=$(run_to_exit "$board" "$dir" 60) || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 124 ] || fail "$board: the acceptance suite still ran after 60 s"
grep -qx "PROJECT EXECUTION SUCCESSFUL" <<<"$out" \
  || fail "$board: the kernel acceptance suite did not pass (exit status $rc)"
[ "$rc" -eq 0 ] || fail "$board: the image exited with status $rc"
n=$(grep -c "^ *PASS - test_" <<<"$out" || true)
[ "$n" -ge "$min_pass" ] || fail "$board: $n passing tests, expected at least $min_pass"
ok "$board: kernel acceptance suite passed ($n tests)"

#!/usr/bin/env bash
# accept_shell_test.sh BOARD: the shell acceptance application (ACCEPT_SHELL_APP, by default
# ../shared/acceptance/apps/accept_shell beside the checkout) on BOARD, driven over the UART
# with the commands the acceptance check sends through galed. Exits 77 (skipped) when the
# application is not there.
[ $# -eq 1 ] || { echo "usage: $0 BOARD" >&2; exit 2; }
board=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
app=${ACCEPT_SHELL_APP:-$(dirname "$repo")/shared/acceptance/apps/accept_shell}
if [ ! -f "$app/CMakeLists.txt" ]; then
  echo "skipped: no acceptance application at $app (set ACCEPT_SHELL_APP)"
  exit 77
fi
E2E_SUFFIX=-$board
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/shell_lib.sh"
dir=$WORK/build
build_app "$app" "$board" "$dir"
start_shell "$board" "$dir"
read_prompts 1

run_cmd '\r\n' "accept echo hello gale"
grep -q "accept-echo:" <<<"$got" && grep -q "arg2=gale" <<<"$got" || { echo "$got"; fail "$board: accept echo"; }
run_cmd '\r\n' "accept sum 40 2"
grep -q "accept-sum=42" <<<"$got" || { echo "$got"; fail "$board: accept sum"; }
run_cmd '\r\n' "kernel threads"
grep -qi "main\|idle\|shell" <<<"$got" || { echo "$got"; fail "$board: kernel threads"; }
run_cmd '\r\n' "accept nosuch"
grep -qi "accept" <<<"$got" || { echo "$got"; fail "$board: accept nosuch"; }
ok "$board: shell acceptance commands"

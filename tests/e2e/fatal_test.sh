#!/usr/bin/env bash
# fatal_test.sh BOARD [KIND]: tests/kernel/fatal/halt raises a fatal error of KIND in a thread
# while another thread prints: panic (the default) or oops with the default fatal error handler,
# or panic_handled, a panic with a handler that returns. The system halts: the report names the
# error, nothing runs after it, and the emulator exits with a nonzero status.
[ $# -ge 1 ] || { echo "usage: $0 BOARD [panic|oops|panic_handled]" >&2; exit 2; }
board=$1
kind=${2:-panic}
E2E_SUFFIX=-$board-$kind
source "$(dirname "$0")/lib.sh"
dir=$WORK/build
build_app "$GALE_BASE/tests/kernel/fatal/halt" "$board" "$dir" -DFATAL_KIND="$kind"

rc=0
out=$(run_to_exit "$board" "$dir" 30) || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 124 ] || fail "$board/$kind: the system did not halt (still running after 30 s)"
[ "$rc" -ne 0 ] || fail "$board/$kind: the emulator exited with status 0 after a fatal error"

halted="Halting system"
case $kind in
  panic) report=">>> GALE FATAL ERROR 4: Kernel panic" ;;
  oops) report=">>> GALE FATAL ERROR 3: Kernel oops" ;;
  panic_handled)
    report=">>> GALE FATAL ERROR 4: Kernel panic"
    halted="handler returns for reason 4"
    ;;
  *) fail "unknown kind $kind" ;;
esac
grep -qx "raising: $kind" <<<"$out" || fail "$board/$kind: the error was never raised"
grep -qF "$report" <<<"$out" || fail "$board/$kind: no '$report' report"
grep -q "^tick " <<<"$out" || fail "$board/$kind: the other thread never ran"
# Nothing runs after the report: no tick, no code past the error, main never finishes.
after=$(sed -n "/$report/,\$p" <<<"$out")
if grep -Eq "^tick |after the fatal error|still running" <<<"$after"; then
  fail "$board/$kind: threads ran after the fatal error"
fi
grep -q "$halted" <<<"$after" || fail "$board/$kind: no '$halted'"
ok "$board/$kind: halted with status $rc"

#!/usr/bin/env bash
# samples/shell on BOARD with the UART on the emulator's standard input and output, driven as a
# host script would: send "COMMAND\r\n" (or "\n"), read until the next prompt, and check what
# the command printed. Also: a burst of several lines at once, and an unknown subcommand.
E2E_SUFFIX=-$1
source "$(dirname "$0")/lib.sh"
board=$1
dir=$WORK/build
build_app "$GALE_BASE/samples/shell" "$board" "$dir"

source "$(dirname "$0")/shell_lib.sh"
start_shell "$board" "$dir"

read_prompts 1
ok "$board: prompt after boot"

run_cmd '\r\n' "demo params hello gale"
grep -qx "argc = 3" <<<"$got" && grep -qx "  argv\[2\] = gale" <<<"$got" \
  || { echo "$got"; fail "$board: demo params"; }
run_cmd '\n' "demo sum 40 2"
grep -qx "sum = 42" <<<"$got" || { echo "$got"; fail "$board: demo sum"; }
run_cmd '\r' "kernel threads"
grep -q "shell_uart" <<<"$got" && grep -q "idle" <<<"$got" \
  || { echo "$got"; fail "$board: kernel threads lists no shell or idle thread"; }
run_cmd '\r\n' "demo nosuch"
grep -q "demo: unknown parameter: nosuch" <<<"$got" && grep -q "ping" <<<"$got" \
  || { echo "$got"; fail "$board: an unknown subcommand printed no help"; }
run_cmd '\r\n' "demo sum 1"
grep -q "sum: wrong parameter count" <<<"$got" || { echo "$got"; fail "$board: argument count"; }
run_cmd '\r\n' "device list"
grep -q "READY" <<<"$got" || { echo "$got"; fail "$board: device list"; }
ok "$board: commands"

# Several lines in one burst, longer than the UART's receive FIFO: all run, in order.
printf 'counter inc 5\r\ncounter inc 10\r\ncounter inc 100 \r\ncounter get\r\n' >&"$shell_in"
read_prompts 4
grep -q "counter = 115" <<<"$got" || { echo "$got"; fail "$board: a burst of lines"; }
[ "$(grep -c "^counter = " <<<"$got")" -eq 4 ] || { echo "$got"; fail "$board: lines lost in a burst"; }
ok "$board: a burst of lines"

# History (up arrow) and completion (Tab) as a terminal sends them.
printf 'counter in\t7\r' >&"$shell_in"
read_prompts 1
grep -q "counter = 122" <<<"$got" || { echo "$got"; fail "$board: tab completion"; }
printf '\033[A\r' >&"$shell_in"
read_prompts 1
grep -q "counter = 129" <<<"$got" || { echo "$got"; fail "$board: history"; }
ok "$board: completion and history"

#!/usr/bin/env bash
# samples/synchronization on BOARD: thread_a and thread_b greet in turns, starting with
# thread_a, each naming the board.
E2E_SUFFIX=-$1
source "$(dirname "$0")/lib.sh"
board=$1
dir=$WORK/build
build_app "$GALE_BASE/samples/synchronization" "$board" "$dir"

out=$(run_collect "$board" "$dir" "Hello World" 6 30) || { echo "$out"; fail "$board: fewer than six greetings"; }
echo "$out"
expected=""
for name in thread_a thread_b thread_a thread_b thread_a thread_b; do
  expected+="$name: Hello World from cpu 0 on $board!"$'\n'
done
[ "$out"$'\n' = "$expected" ] || fail "$board: the threads did not take turns as expected"
ok "$board: synchronization"

#!/usr/bin/env bash
# samples/philosophers on BOARD with FORKS (semaphores, the default, or mutexes) for a bounded
# time, with the plain-output fragment: every philosopher must eat again and again (no
# deadlock, no starvation) and no fatal error may occur.
# Usage: philosophers_test.sh BOARD [FORKS] [SECONDS]
E2E_SUFFIX=-$1-${2:-semaphores}
source "$(dirname "$0")/lib.sh"
board=$1
forks=${2:-semaphores}
secs=${3:-8}
dir=$WORK/build
app=$GALE_BASE/samples/philosophers
forks_conf=$WORK/forks.conf
echo "CONFIG_PHILOSOPHERS_FORKS_${forks^^}=y" >"$forks_conf"
build_app "$app" "$board" "$dir" -DEXTRA_CONF_FILE="$app/plain.conf;$forks_conf"

mapfile -t cmd < <(emulator_command "$board" "$dir")
out=$WORK/output.txt
timeout "$secs" "${cmd[@]}" >"$out" 2>&1 </dev/null || [ $? = 124 ] || { cat "$out"; fail "$board: the emulator exited early"; }
tr -d '\r' <"$out" >"$out.clean"

grep -qi "Dining philosophers: 6 philosophers, the forks are $forks" "$out.clean" \
  || { head -20 "$out.clean"; fail "$board: no banner naming $forks forks"; }
if grep -Eq "FATAL|Halting|fault|overflow" "$out.clean"; then
  grep -E -B2 -A8 "FATAL|Halting|fault|overflow" "$out.clean" | head -40
  fail "$board: fatal error"
fi
# Every philosopher eats many times, including in the last part of the run (no late deadlock).
total=$(grep -c "EATING" "$out.clean" || true)
tail_start=$(( $(wc -l <"$out.clean") * 3 / 4 ))
for id in 0 1 2 3 4 5; do
  n=$(grep -c "^Philosopher $id \[.*\] EATING" "$out.clean" || true)
  late=$(tail -n +"$tail_start" "$out.clean" | grep -c "^Philosopher $id \[.*\] EATING" || true)
  echo "philosopher $id ate $n times ($late in the last quarter of the output)"
  [ "$n" -ge 10 ] || { tail -30 "$out.clean"; fail "$board: philosopher $id ate only $n times"; }
  [ "$late" -ge 1 ] || { tail -30 "$out.clean"; fail "$board: philosopher $id stopped eating"; }
done
ok "$board: philosophers with $forks forks: $total meals, no fault"

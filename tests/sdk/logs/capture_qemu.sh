#!/usr/bin/env bash
# capture_qemu.sh ELF OUT: run a qemu_cortex_m3 image and save its UART output (bytes as sent)
# to OUT, stopping once the output has stopped growing for 3 seconds (at most 60 seconds).
set -u
elf=$1
out=$2
rm -f "$out"
qemu-system-arm -M lm3s6965evb -display none -monitor none -serial "file:$out" \
  -icount shift=0,align=off,sleep=off -kernel "$elf" 2>"$out.stderr" &
pid=$!
last=-1
still=0
for _ in $(seq 120); do
  sleep 0.5
  size=$(stat -c %s "$out" 2>/dev/null || echo 0)
  if [ "$size" -gt 0 ] && [ "$size" -eq "$last" ]; then
    still=$((still + 1))
    [ "$still" -ge 6 ] && break
  else
    still=0
  fi
  last=$size
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -s "$out" ] || { echo "no output from $elf" >&2; cat "$out.stderr" >&2; exit 1; }
exit 0

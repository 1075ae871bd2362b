#!/usr/bin/env bash
# Kernel benchmark: builds bench/kernel for each board, runs it under QEMU with
# -icount shift=0 (one instruction is one virtual nanosecond), and prints Gale's instructions
# per operation beside Zephyr 3.7.1's latency_measure figures (zephyr-3.7.1.tsv), with the
# ratio Gale / Zephyr; then the image sizes of hello_world and philosophers. Prints figures,
# never fails because a machine is slow. Markdown output, ready for docs/performance.md.
#
# Usage: bench/kernel/run.sh [BOARD...]      (default: qemu_cortex_m3 mps2_an385)
# Needs the host tools (cmake -S . -B build && ninja -C build) and qemu-system-arm.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export GALE_BASE=$ROOT
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=(qemu_cortex_m3 mps2_an385)
work=${BENCH_WORK:-$(mktemp -d /tmp/gale-kbench.XXXXXX)}
mkdir -p "$work"

machine() {
  case $1 in
    qemu_cortex_m3) echo lm3s6965evb ;;
    mps2_an385) echo mps2-an385 ;;
    *) echo "run.sh: no QEMU machine for board $1" >&2; exit 2 ;;
  esac
}

# build APP BOARD DIR: configure and build quietly; the log (with the linker's memory report)
# is DIR.log.
build() {
  cmake -GNinja -S "$1" -B "$3" -DBOARD="$2" >"$3.log" 2>&1 &&
    ninja -C "$3" >>"$3.log" 2>&1 || { tail -30 "$3.log" >&2; echo "run.sh: building $1 for $2 failed" >&2; exit 1; }
}

# Benchmark figures: $work/<board>.txt holds "key value" lines.
for board in "${boards[@]}"; do
  dir=$work/kernel-$board
  build "$HERE" "$board" "$dir"
  timeout 600 qemu-system-arm -M "$(machine "$board")" -nographic -monitor none \
    -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
    -kernel "$dir/gale/gale.elf" 2>/dev/null | tr -d '\r' >"$dir.out" || true
  grep -q '^BENCH end' "$dir.out" || { cat "$dir.out" >&2; echo "run.sh: the benchmark did not finish on $board" >&2; exit 1; }
  awk '$1 == "BENCH" && NF >= 3 && ($3 ~ /^[0-9.]+$/ || $3 == "n/a") { print $2, $3 }' \
    "$dir.out" >"$work/$board.txt"
  sed -n 's/^BENCH timer //p' "$dir.out" | sed "s/^/$board timer: /" >>"$work/notes.txt"
done

echo "Instructions per operation (virtual ns under QEMU -icount shift=0); ratio = Gale / Zephyr 3.7.1"
echo
header="| operation |"
rule="| --- |"
for board in "${boards[@]}"; do
  header+=" $board Gale | Zephyr | ratio |"
  rule+=" ---: | ---: | ---: |"
done
echo "$header"
echo "$rule"
awk -v boards="${boards[*]}" -v work="$work" -v ref="$HERE/zephyr-3.7.1.tsv" '
  BEGIN {
    n = split(boards, b, " ")
    while ((getline line < ref) > 0) {
      if (line ~ /^#/ || line == "") continue
      split(line, f, "\t")
      zephyr[f[1], "qemu_cortex_m3"] = f[2]
      zephyr[f[1], "mps2_an385"] = f[3]
    }
    for (i = 1; i <= n; i++) {
      file = work "/" b[i] ".txt"
      while ((getline line < file) > 0) {
        split(line, f, " ")
        if (!(f[1] in seen)) { seen[f[1]] = 1; order[++keys] = f[1] }
        gale[f[1], b[i]] = f[2]
      }
    }
    for (k = 1; k <= keys; k++) {
      key = order[k]
      row = "| " key " |"
      for (i = 1; i <= n; i++) {
        g = gale[key, b[i]]; z = zephyr[key, b[i]]
        if (g == "n/a") g = "n/a (not built)"
        ratio = (g ~ /^[0-9.]+$/ && z != "") ? sprintf("%.2f", g / z) : ""
        row = row " " g " | " z " | " ratio " |"
      }
      print row
    }
  }'
echo
sed 's/^/    /' "$work/notes.txt"

# Image sizes: the linker's memory report and arm-none-eabi-size.
echo
echo "| image | board | FLASH / RAM (linker report) | text+data / data+bss (size) |"
echo "| --- | --- | ---: | ---: |"
for app in hello_world philosophers; do
  [ -d "$ROOT/samples/$app" ] || { echo "| $app | | n/a (not built) | |"; continue; }
  for board in "${boards[@]}"; do
    dir=$work/$app-$board
    build "$ROOT/samples/$app" "$board" "$dir"
    flash=$(sed -n 's/^ *FLASH: *\([0-9]*\) B.*/\1/p' "$dir.log" | tail -1)
    ram=$(sed -n 's/^ *RAM: *\([0-9]*\) B.*/\1/p' "$dir.log" | tail -1)
    read -r text data bss < <(arm-none-eabi-size "$dir/gale/gale.elf" | awk 'NR == 2 { print $1, $2, $3 }')
    printf '| %s | %s | %s B / %s B | %s B / %s B |\n' "$app" "$board" "${flash:-?}" "${ram:-?}" \
      $((text + data)) $((data + bss))
  done
done
echo
echo "Zephyr 3.7.1 on qemu_cortex_m3: hello_world 13,602 B / 4,112 B (size: 13,602 B / 4,452 B);"
echo "philosophers 16,502 B / 17,728 B."

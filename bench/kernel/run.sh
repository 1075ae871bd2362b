#!/usr/bin/env bash
# Kernel benchmark: builds bench/kernel for each board twice, with Gale's defaults and with
# Zephyr's latency_measure configuration (latency_measure.conf), runs both under QEMU with
# -icount shift=0 (one instruction is one virtual nanosecond) and prints Gale's instructions per
# operation beside Zephyr 3.7.1's latency_measure figures (zephyr-3.7.1.tsv) with the ratios
# Gale / Zephyr; then the image sizes of hello_world and philosophers. Prints figures, never
# fails because a machine is slow. Markdown output, ready for docs/performance.md.
#
# Usage: bench/kernel/run.sh [BOARD...]      (default: qemu_cortex_m3 mps2_an385 qemu_riscv32)
# Needs the host tools (cmake -S . -B build && ninja -C build), qemu-system-arm and
# qemu-system-riscv32. Zephyr's figures are for the Cortex-M boards only.
# BENCH_WORK=DIR keeps the builds and raw outputs in DIR.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export GALE_BASE=$ROOT
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=(qemu_cortex_m3 mps2_an385 qemu_riscv32)
work=${BENCH_WORK:-$(mktemp -d /tmp/gale-kbench.XXXXXX)}
mkdir -p "$work"
: >"$work/notes.txt"

machine() {
  case $1 in
    qemu_cortex_m3) echo lm3s6965evb ;;
    mps2_an385) echo mps2-an385 ;;
    qemu_riscv32) echo virt ;;
    *) echo "run.sh: no QEMU machine for board $1" >&2; exit 2 ;;
  esac
}

# build APP BOARD DIR [cmake args...]: configure and build quietly; the log (with the linker's
# memory report) is DIR.log.
build() {
  local app=$1 board=$2 dir=$3; shift 3
  { cmake -GNinja -S "$app" -B "$dir" -DBOARD="$board" "$@" && ninja -C "$dir"; } >"$dir.log" 2>&1 \
    || { tail -30 "$dir.log" >&2; echo "run.sh: building $app for $board failed" >&2; exit 1; }
}

# measure BOARD VARIANT [cmake args...]: $work/BOARD-VARIANT.txt gets "key value label" lines.
measure() {
  local board=$1 variant=$2; shift 2
  local dir=$work/kernel-$board-$variant
  build "$HERE" "$board" "$dir" "$@"
  local -a qemu=(qemu-system-arm)
  # RISC-V: no OpenSBI, the image is the machine-mode program.
  [[ $board != *riscv* ]] || qemu=(qemu-system-riscv32 -bios none)
  timeout 600 "${qemu[@]}" -M "$(machine "$board")" -nographic -monitor none \
    -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
    -kernel "$dir/gale/gale.elf" 2>/dev/null </dev/null | tr -d '\r' >"$dir.out" || true
  grep -q '^BENCH end' "$dir.out" \
    || { cat "$dir.out" >&2; echo "run.sh: the benchmark did not finish on $board" >&2; exit 1; }
  sed -n 's/^BENCH \([a-z.0-9]*\) *\([0-9.]*\|n\/a\)  \(.*\) (.*)$/\1\t\2\t\3/p' "$dir.out" \
    >"$work/$board-$variant.txt"
  sed -n 's/^BENCH timer //p' "$dir.out" | sed "s/^/$board, $variant: timer /" >>"$work/notes.txt"
}

for board in "${boards[@]}"; do
  measure "$board" default
  measure "$board" lm -DEXTRA_CONF_FILE="$HERE/latency_measure.conf"
done

echo "Instructions per operation (virtual ns under QEMU -icount shift=0). \"Gale\": the default"
echo "configuration; \"Gale, LM config\": with latency_measure.conf (Zephyr's benchmark"
echo "configuration: no stack guard, no time slicing, no TLS). Ratios: Gale / Zephyr 3.7.1."
for board in "${boards[@]}"; do
  echo
  echo "### $board"
  echo
  echo "| operation | Gale | Gale, LM config | Zephyr 3.7.1 | ratio | ratio, LM config |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' -v board="$board" -v ref="$HERE/zephyr-3.7.1.tsv" -v lm="$work/$board-lm.txt" '
    BEGIN {
      col = board == "mps2_an385" ? 3 : board == "qemu_cortex_m3" ? 2 : 0
      while ((getline line < ref) > 0) {
        if (line ~ /^#/ || line == "") continue
        split(line, f, "\t")
        zephyr[f[1]] = f[col]
      }
      while ((getline line < lm) > 0) {
        split(line, f, "\t")
        gale_lm[f[1]] = f[2]
      }
    }
    function cell(v) { return v == "n/a" ? "n/a (not built)" : v }
    function ratio(g, z) { return (g ~ /^[0-9.]+$/ && z != "") ? sprintf("%.2f", g / z) : "" }
    $1 == "calibration.nop100" { next }
    {
      z = zephyr[$1]
      printf "| %s (`%s`) | %s | %s | %s | %s | %s |\n", $3, $1, cell($2), cell(gale_lm[$1]), z,
             ratio($2, z), ratio(gale_lm[$1], z)
    }' "$work/$board-default.txt"
done
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
    size=arm-none-eabi-size
    [[ $board != *riscv* ]] || size=riscv64-unknown-elf-size
    read -r text data bss < <("$size" "$dir/gale/gale.elf" | awk 'NR == 2 { print $1, $2, $3 }')
    printf '| %s | %s | %s B / %s B | %s B / %s B |\n' "$app" "$board" "${flash:-?}" "${ram:-?}" \
      $((text + data)) $((data + bss))
  done
done
echo
echo "Zephyr 3.7.1 on qemu_cortex_m3: hello_world 13,602 B / 4,112 B (size: 13,602 B / 4,452 B);"
echo "philosophers 16,502 B / 17,728 B."

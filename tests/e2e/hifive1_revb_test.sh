#!/usr/bin/env bash
# The HiFive1 Rev B layout (boards/sifive/hifive1/revb.overlay: the image at 0x20010000, behind
# the Rev B bootloader) builds and boots on QEMU's model of that board (sifive_e,revb=true).
E2E_SUFFIX=-hifive1-revb
source "$(dirname "$0")/lib.sh"
board_dir=$GALE_BASE/boards/sifive/hifive1
dir=$WORK/build
build_app "$GALE_BASE/samples/hello_world" hifive1 "$dir" \
  -DEXTRA_DTC_OVERLAY_FILE="$board_dir/revb.overlay"
entry=$(riscv64-unknown-elf-readelf -h "$dir/gale/gale.elf" | sed -n 's/^ *Entry point address: *//p')
[ "$entry" = 0x20010000 ] || fail "Rev B image entry is $entry, not 0x20010000"
out=$(timeout 20 qemu-system-riscv32 -M sifive_e,revb=true -nographic -monitor none \
  -icount shift=0,align=off,sleep=off -kernel "$dir/gale/gale.elf" </dev/null 2>&1 | tr -d '\r' \
  | head -c 20000 || true)
grep -qx "Hello World! hifive1" <<<"$out" || { echo "$out"; fail "no greeting from the Rev B image"; }
ok "hifive1 Rev B layout boots at 0x20010000"

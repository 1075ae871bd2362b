#!/usr/bin/env bash
# tests/arch/arm/fpu_smoke builds for BOARD (a Cortex-M with an FPU) with the hard-float ABI and
# runs: float arithmetic works and reset left the FPU enabled with lazy state preservation.
E2E_SUFFIX=-$1
source "$(dirname "$0")/lib.sh"
board=$1
dir=$WORK/build
build_app "$GALE_BASE/tests/arch/arm/fpu_smoke" "$board" "$dir"

grep -qx "CONFIG_FPU=y" "$dir/gale/.config" || fail "$board: CONFIG_FPU is not set"
attrs=$(arm-none-eabi-readelf -A "$dir/gale/gale.elf")
grep -q "Tag_ABI_VFP_args: VFP registers" <<<"$attrs" \
  || { echo "$attrs"; fail "$board: gale.elf is not built for the hard-float ABI"; }

out=$(run_until "$board" "$dir" "fpu_smoke result:" 20) \
  || { echo "$out"; fail "$board: no verdict line"; }
grep -qx "fpu_smoke result: PASS" <<<"$out" || { echo "$out"; fail "$board: fpu_smoke failed"; }
ok "$board: fpu_smoke"

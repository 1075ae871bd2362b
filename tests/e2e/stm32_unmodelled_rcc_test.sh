#!/usr/bin/env bash
# stm32_unmodelled_rcc_test.sh: the nucleo_f401re image, which switches to the PLL at boot, on
# QEMU's netduinoplus2 machine (an STM32F405, a superset of the F401's memory map and USARTs)
# whose RCC reads as zeros. The ready-bit waits must time out instead of hanging the boot, the
# SoC must report the timeout, and the STM32 suite must pass on the Nucleo's console, USART2
# (QEMU's second serial port).
E2E_SUFFIX=
source "$(dirname "$0")/lib.sh"
dir=$WORK/build
build_app "$GALE_BASE/tests/drivers/stm32" nucleo_f401re "$dir"

# The Nucleo is not a QEMU board: its image halts at the end instead of exiting the emulator,
# so the run stops at the suite's verdict.
emulator_command() {
  printf '%s\n' qemu-system-arm -M netduinoplus2 -nographic -monitor none -serial null \
    -serial stdio -icount shift=0,align=off,sleep=off -kernel "$2/gale/gale.elf"
}
out=$(run_until nucleo_f401re "$dir" "PROJECT EXECUTION" 60) \
  || { printf '%s\n' "$out"; fail "no verdict within 60 s: the boot hangs on an RCC that never reports ready?"; }
printf '%s\n' "$out"
grep -q "clock set-up: timed out, on the HSI" <<<"$out" \
  || fail "the clock set-up did not report its timeout"
grep -qx "PROJECT EXECUTION SUCCESSFUL" <<<"$out" || fail "the STM32 suite failed"
ok "nucleo_f401re boots without an RCC model and reports the clock timeout"

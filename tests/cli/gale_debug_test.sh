#!/usr/bin/env bash
# gale debug through the real galed and QEMU: the device's GDB server on a loopback port, a real
# gdb-multiarch session through it (registers, a symbol at the PC), the daemon refusing to flash
# while the debugger holds the device, and the image running again after the debugger detaches.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
command -v gdb-multiarch >/dev/null || fail "gdb-multiarch is not installed (the setup installs it)"
use_private_daemon "${1:?usage: gale_debug_test.sh BIN_DIR}"
gale daemon start >/dev/null || fail "gale daemon start"

gale build -b qemu_cortex_m3 -d sh "$GALE_BASE/samples/shell" >sh.log 2>&1 || { tail -20 sh.log; fail "build samples/shell"; }
dev=$(gale emu start -b qemu_cortex_m3) || fail "gale emu start"
gale flash -d sh --device "$dev" >/dev/null 2>&1 || fail "flash samples/shell"

addr=$(gale debug --device "$dev" --server-only 2>debug.err) || fail "gale debug --server-only: $(cat debug.err)"
[[ $addr =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "gale debug --server-only printed '$addr'"
ok "GDB server at $addr"

gdb-multiarch -batch -nx sh/gale/gale.elf -ex "target remote $addr" -ex "info registers pc" \
  -ex "info symbol \$pc" -ex "print sizeof(struct k_thread) > 0" -ex detach >gdb.out 2>&1 ||
  { cat gdb.out; fail "gdb-multiarch through the GDB server"; }
grep -q "^pc  *0x" gdb.out || { cat gdb.out; fail "gdb read no PC"; }
grep -q " in section .text" gdb.out || { cat gdb.out; fail "the PC is not in the image's code"; }
grep -q "= true\|= 1" gdb.out || { cat gdb.out; fail "gdb could not evaluate with the image's types"; }
ok "gdb-multiarch reads registers and symbols"

# A debugger holding the device: the daemon's flash is refused, clearly, and the device stays.
(gdb-multiarch -batch -nx sh/gale/gale.elf -ex "target remote $addr" -ex "shell sleep 4" -ex detach >hold.out 2>&1 &)
# gdb prints the stop location once it is connected through the proxy (not before).
for _ in $(seq 50); do grep -q "^0x[0-9a-f]* in " hold.out 2>/dev/null && break; sleep 0.2; done
grep -q "^0x[0-9a-f]* in " hold.out || { cat hold.out; fail "the holding gdb did not connect"; }
if gale flash -d sh --device "$dev" >flash.out 2>&1; then fail "flash while a debugger is attached succeeded"; fi
grep -q "debugger is attached" flash.out || { cat flash.out; fail "the refusal does not say a debugger is attached"; }
out=$(gale debug --device "$dev" --server-only 2>&1) || fail "a second gale debug --server-only: $out"
ok "flash refused while a debugger is attached"
for _ in $(seq 40); do grep -q "Detaching\|detached" hold.out 2>/dev/null && break; sleep 0.25; done
sleep 0.5
out=$(gale shell --device "$dev" -c "demo ping") || fail "the shell after the debugger detached: $out"
[ "$out" = "pong" ] || fail "demo ping after detaching printed '$out'"
gale flash -d sh --device "$dev" >/dev/null 2>&1 || fail "flash after the debugger detached"
ok "the image runs again after the debugger detached, and the device flashes"

out=$(gale debug --device "$dev" --elf no/such.elf 2>&1) && fail "gale debug with a missing ELF succeeded"
grep -q "no/such.elf" <<<"$out" || fail "the missing-ELF error does not name it: $out"
ok "a missing ELF is named"

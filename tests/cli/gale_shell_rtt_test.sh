#!/usr/bin/env bash
# gale shell and gale rtt through the real galed and QEMU: one shell command at a time over the
# UART (output, an unknown subcommand's help and exit status, kernel threads), and an RTT stream
# started before the image is flashed that receives its output from the first byte, in order;
# both over RTT on native_sim too.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
use_private_daemon "${1:?usage: gale_shell_rtt_test.sh BIN_DIR}"
gale daemon start >/dev/null || fail "gale daemon start"

gale build -b qemu_cortex_m3 -d sh "$GALE_BASE/samples/shell" >sh.log 2>&1 || { tail -20 sh.log; fail "build samples/shell"; }
gale build -b qemu_cortex_m3 -d rtt "$GALE_BASE/samples/rtt" >rtt.log 2>&1 || { tail -20 rtt.log; fail "build samples/rtt"; }
dev=$(gale emu start -b qemu_cortex_m3) || fail "gale emu start"

gale flash -d sh --device "$dev" >/dev/null 2>&1 || fail "flash samples/shell"
out=$(gale shell --device "$dev" -c "demo ping") || fail "demo ping failed: $out"
[ "$out" = "pong" ] || fail "demo ping printed '$out'"
out=$(gale shell --device "$dev" -c "demo sum 40 2") || fail "demo sum: $out"
grep -q "sum = 42" <<<"$out" || fail "demo sum printed '$out'"
if out=$(gale shell --device "$dev" -c "demo nosuch"); then fail "an unknown subcommand exited 0"; fi
grep -q "ping" <<<"$out" || fail "an unknown subcommand did not print the subcommands: $out"
out=$(gale shell --device "$dev" -c "kernel threads") || fail "kernel threads: $out"
grep -q "shell_uart" <<<"$out" || fail "kernel threads lists no shell thread: $out"
ok "gale shell -c"

# RTT: the stream is opened before the image exists on the device.
(timeout 20 "$BIN/gale" rtt --device "$dev" >rtt.out 2>rtt.err &)
sleep 1
gale flash -d rtt --device "$dev" >/dev/null 2>&1 || fail "flash samples/rtt"
for _ in $(seq 40); do grep -q "^count 20$" rtt.out 2>/dev/null && break; sleep 0.5; done
head -1 rtt.out | grep -q "^rtt sample: counting$" || fail "RTT did not start at the first byte: $(head -2 rtt.out)"
# One process, no early-closing pipe: under pipefail a writer cut off by `head` fails the script.
got=$(awk '/^count [0-9]+$/ { print $2; if (++n == 21) exit }' rtt.out)
seq 0 20 | cmp -s - <(echo "$got") || fail "RTT counts missing or out of order: $(head -5 rtt.out)"
ok "gale rtt from before the flash, in order"

# The shell's RTT backend, beside the UART one on the same image.
gale build -b qemu_cortex_m3 -d shrtt "$GALE_BASE/samples/shell" -- -DEXTRA_CONF_FILE=rtt.conf >shrtt.log 2>&1 ||
  { tail -20 shrtt.log; fail "build samples/shell with rtt.conf"; }
gale flash -d shrtt --device "$dev" >/dev/null 2>&1 || fail "flash samples/shell with RTT"
out=$(gale shell --rtt --device "$dev" -c "demo ping") || fail "demo ping over RTT failed: $out"
[ "$out" = "pong" ] || fail "demo ping over RTT printed '$out'"
out=$(gale shell --rtt --device "$dev" -c "demo sum 40 2") || fail "demo sum over RTT: $out"
grep -q "sum = 42" <<<"$out" || fail "demo sum over RTT printed '$out'"
out=$(gale shell --device "$dev" -c "demo ping") || fail "the UART shell beside RTT: $out"
[ "$out" = "pong" ] || fail "demo ping over the UART printed '$out'"
ok "gale shell --rtt -c"
# A session: a watcher sees what the owner's piped commands produce.
(timeout 15 "$BIN/gale" shell --rtt --read-only --device "$dev" >watch.out 2>watch.err &)
sleep 1
printf 'demo sum 1 2\r' | timeout 20 "$BIN/gale" shell --rtt --device "$dev" >session.out 2>session.err ||
  fail "the piped RTT shell session failed: $(cat session.err)"
grep -q "sum = 3" session.out || fail "the RTT session did not answer: $(cat session.out)"
for _ in $(seq 20); do grep -q "sum = 3" watch.out && break; sleep 0.5; done
grep -q "sum = 3" watch.out || fail "the read-only watcher did not see the answer: $(cat watch.out)"
ok "gale shell --rtt session with a read-only watcher"

# native_sim: galed reads and writes the running program's memory (a 64-bit control block).
gale build -b native_sim -d rtt-ns "$GALE_BASE/samples/rtt" >rtt-ns.log 2>&1 ||
  { tail -20 rtt-ns.log; fail "build samples/rtt for native_sim"; }
gale build -b native_sim -d shrtt-ns "$GALE_BASE/samples/shell" -- -DEXTRA_CONF_FILE=rtt.conf >shrtt-ns.log 2>&1 ||
  { tail -20 shrtt-ns.log; fail "build samples/shell with rtt.conf for native_sim"; }
ns=$(gale emu start -b native_sim) || fail "gale emu start -b native_sim"
(timeout 20 "$BIN/gale" rtt --device "$ns" >rtt-ns.out 2>rtt-ns.err &)
sleep 1
gale flash -d rtt-ns --device "$ns" >/dev/null 2>&1 || fail "flash samples/rtt to native_sim"
for _ in $(seq 40); do grep -q "^count 20$" rtt-ns.out 2>/dev/null && break; sleep 0.5; done
head -1 rtt-ns.out | grep -q "^rtt sample: counting$" || fail "native_sim RTT did not start at the first byte: $(head -2 rtt-ns.out; cat rtt-ns.err)"
got=$(awk '/^count [0-9]+$/ { print $2; if (++n == 21) exit }' rtt-ns.out)
seq 0 20 | cmp -s - <(echo "$got") || fail "native_sim RTT counts missing or out of order: $(head -5 rtt-ns.out)"
gale flash -d shrtt-ns --device "$ns" >/dev/null 2>&1 || fail "flash samples/shell with RTT to native_sim"
out=$(gale shell --rtt --device "$ns" -c "demo sum 40 2") || fail "demo sum over RTT on native_sim: $out"
grep -q "sum = 42" <<<"$out" || fail "demo sum over RTT on native_sim printed '$out'"
ok "native_sim: gale rtt from before the flash, and gale shell --rtt"

out=$(gale shell --device no-such-device -c "demo ping" 2>&1) && fail "a shell on an unknown device succeeded"
grep -q "no-such-device" <<<"$out" || fail "the unknown-device error does not name it: $out"
ok "bad device named"

#!/usr/bin/env bash
# The gale CLI against the real galed and QEMU, from a folder of its own with relative paths:
# daemon start/status/stop, boards, build (and a broken build), run exit codes, an emulated
# device flashed and watched on its console, gale test with JUnit, config, jobs, Ctrl-C.
# CTest passes the folder of the host binaries as $1 (they must be built: tests/run.sh does).
source "$(dirname "$0")/../e2e/lib.sh"
use_private_daemon "${1:?usage: gale_e2e_test.sh BIN_DIR}"

# The daemon: not running, started, reported, not started twice.
if gale daemon status 2>status.err; then fail "daemon status succeeded with no daemon"; fi
grep -q "galed is not running" status.err || fail "daemon status did not say galed is not running"
gale daemon start >start.out || fail "gale daemon start"
status=$(gale daemon status --json) || fail "gale daemon status --json"
socket=$(sed -n 's/.*"socket": *"unix:\([^"]*\)".*/\1/p' <<<"$status")
[ "$socket" = "$XDG_RUNTIME_DIR/gale/galed.sock" ] || fail "socket is '$socket'"
[ "$(stat -c %a "$socket")" = 600 ] || fail "the socket is not private"
grep -Eq '"pid": [0-9]+' <<<"$status" || fail "no pid in: $status"
grep -q '"uptime_s": ' <<<"$status" || fail "no uptime_s in: $status"
grep -q "already running" <<<"$(gale daemon start)" || fail "a second daemon start did not see the first"
ok "daemon lifecycle"

grep -q '"name": "qemu_cortex_m3"' <<<"$(gale boards --json)" || fail "boards --json lacks qemu_cortex_m3"
grep -q "^qemu_cortex_m3 " <<<"$(gale boards)" || fail "boards table lacks qemu_cortex_m3"
ok "boards"

# Build with a relative application folder: the daemon gets absolute paths.
cp -r "$GALE_BASE/samples/hello_world" hello
gale build -b qemu_cortex_m3 hello >build.out 2>build.err || { cat build.err; fail "gale build"; }
[ -f hello/build/gale/gale.elf ] || fail "gale build made no hello/build/gale/gale.elf"
grep -q "^built $WORK/hello/build/gale/gale.elf" build.out || fail "build summary: $(cat build.out)"
cp -r hello broken
rm -rf broken/build
printf 'int broken(void) { return undeclared_x; }\n' >>broken/src/main.c
if gale build -b qemu_cortex_m3 broken >/dev/null 2>broken.err; then fail "a broken app built"; fi
grep -Eq "main\.c:[0-9]+:[0-9]+: error: .*undeclared_x" broken.err \
  || { cat broken.err; fail "no compiler-style diagnostic for the broken app"; }
tail -1 broken.err | grep -q "^gale: error: " || fail "the last line is not the reason"
if gale build -b no_such_board hello 2>bad.err; then fail "an unknown board built"; fi
grep -q no_such_board bad.err || fail "the unknown-board error does not name it"
ok "build"

# run: the image's exit code.
cp -r "$GALE_BASE/tests/subsys/testsuite/ztest_self" self
gale run -b qemu_cortex_m3 self --timeout 120 >run.out 2>run.err || { cat run.err; fail "gale run of a passing suite"; }
grep -q "PROJECT EXECUTION SUCCESSFUL" run.out || fail "gale run did not stream the console"
cp -r "$GALE_BASE/tests/subsys/testsuite/ztest_fail" failing
rc=0
gale run -b qemu_cortex_m3 failing --timeout 120 >run-fail.out 2>run-fail.err || rc=$?
[ "$rc" -ne 0 ] || fail "gale run of a failing suite exited 0"
[ "$rc" -lt 124 ] || { cat run-fail.err; fail "gale run of a failing suite: $rc, not the image's code"; }
ok "run exit codes ($rc for the failing suite)"

# An emulated device: flash, console (retained output first), bad input.
dev=$(gale emu start -b qemu_cortex_m3) || fail "gale emu start"
[ "$(wc -l <<<"$dev")" = 1 ] && [ -n "$dev" ] || fail "emu start printed '$dev'"
grep -q "\"id\": \"$dev\"" <<<"$(gale devices --json)" || fail "devices --json lacks $dev"
gale flash -d hello/build --device "$dev" >flash.out 2>flash.err || { cat flash.err; fail "flash"; }
timeout 10 "$BIN/gale" console --device "$dev" >console.out 2>&1 </dev/null || true
grep -q "Hello World! qemu_cortex_m3" console.out || { cat console.out; fail "console of $dev"; }
if gale flash -d hello/build --device no-such-device 2>bad.err; then fail "flash to no device"; fi
grep -q "no-such-device" bad.err || fail "the unknown-device error does not name it"
gale emu stop "$dev" 2>/dev/null || fail "emu stop $dev"
if grep -q "\"id\": \"$dev\"" <<<"$(gale devices --json)"; then fail "$dev still listed"; fi
ok "emulated device"

# gale test over a testcase.yaml, with JUnit.
printf 'tests:\n  cli.ztest_self:\n    tags: cli\n' >self/testcase.yaml
rm -rf self/build
gale test -b qemu_cortex_m3 self --junit junit.xml >test.out 2>test.err || { cat test.out test.err; fail "gale test"; }
grep -q "^PASS qemu_cortex_m3 cli.ztest_self " test.out || { cat test.out; fail "no PASS line"; }
grep -q "<testcase" junit.xml || fail "no test case in junit.xml"
ok "test"

grep -q '^CONFIG_BOARD=' <<<"$(gale config -d hello/build --get CONFIG_BOARD)" || fail "config --get"
grep -q '"name": "PRINTK"' <<<"$(gale config -d hello/build --list --json)" || fail "config --list --json"
ok "config"

# Ctrl-C: the call is cancelled, gale exits 130, the job ends cancelled.
"$BIN/gale" run -b qemu_cortex_m3 hello --timeout 600 >int.out 2>int.err &
pid=$!
for _ in $(seq 300); do grep -q "Hello World" int.out && break; sleep 0.2; done
grep -q "Hello World" int.out || { kill $pid; fail "hello_world did not boot under gale run"; }
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || fail "gale run interrupted exited $rc"
sleep 1
jobs=$(gale jobs --json) || fail "gale jobs --json"
grep -q '"state": "cancelled"' <<<"$jobs" || fail "no job cancelled after Ctrl-C"
grep -q '"state": "succeeded"' <<<"$jobs" || fail "no job succeeded"
ok "interrupt"

grep -q "galed stopped" <<<"$(gale daemon stop)" || fail "daemon stop"
if gale daemon status 2>/dev/null; then fail "galed still answers after stop"; fi
ok "daemon stopped"

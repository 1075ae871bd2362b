#!/usr/bin/env bash
# Leases, tags and batch flashing through the real gale, galed and QEMU: a pool of emulated
# boards, a lease that guards two of them (even against the local admin), a batch flash where one
# device fails (held by another lease) and the others are still flashed and reported, tags to
# lease by, and leases that survive a daemon restart.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
use_private_daemon "${1:?usage: gale_farm_test.sh BIN_DIR}"
gale daemon start >/dev/null || fail "gale daemon start"
gale build -b qemu_cortex_m3 -d hello "$GALE_BASE/samples/hello_world" >build.log 2>&1 ||
  { tail -20 build.log; fail "build hello_world"; }

mapfile -t devs < <(gale emu start -b qemu_cortex_m3 --count 3)
[ "${#devs[@]}" -eq 3 ] || fail "emu start --count 3 printed ${#devs[@]} lines"
d0=${devs[0]} d1=${devs[1]} d2=${devs[2]}
ok "a pool of 3 emulated boards: ${devs[*]}"

tok=$(gale lease acquire --board qemu_cortex_m3 --count 2 --for 300s --note "farm test" 2>acquire.err)
[[ "$tok" =~ ^[0-9a-f]{32}$ ]] || fail "lease acquire printed '$tok', not a token alone"
grep -q "$d0, $d1" acquire.err || { cat acquire.err; fail "acquire did not say which devices"; }
gale lease list --json >leases.json
grep -q '"holder"' leases.json && grep -q "\"$d0\"" leases.json && grep -q '"expires_us"' leases.json ||
  { cat leases.json; fail "lease list --json lacks holder, devices or expiry"; }
if gale --json lease acquire --board qemu_cortex_m3 --count 2 >/dev/null 2>busy.err; then
  fail "a second lease got devices already leased"
fi
grep -q "held by" busy.err || { cat busy.err; fail "the refusal does not name the holder"; }
ok "lease acquire prints the token alone; list --json shows holder, devices, expiry"

if gale flash -d hello --device "$d0" >steal.log 2>&1; then fail "flashed a leased device without its token"; fi
grep -q "is leased to .* until " steal.log || { cat steal.log; fail "the refusal does not name holder and expiry"; }
GALE_LEASE=$tok gale flash -d hello --device "$d0" >one.log 2>&1 || { cat one.log; fail "flash with the lease"; }
gale --lease "$tok" flash -d hello --device "$d1" >one.log 2>&1 || { cat one.log; fail "flash with --lease"; }
ok "a leased device refuses flash without the token and takes it with GALE_LEASE or --lease"

# Another holder leases the third board: the batch fails there and still flashes the others.
other=$(gale lease acquire --device "$d2" --for 5m 2>/dev/null)
[ -n "$other" ] || fail "lease of $d2"
gale emu stop "$d2" >/dev/null 2>&1 && fail "stopped a device leased to another lease"
set +e
GALE_LEASE=$tok gale flash -d hello --devices "$d0,$d1,$d2,no-such-device" >batch.out 2>batch.err
code=$?
set -e
[ "$code" -ne 0 ] || fail "a batch with failing devices exited 0"
for d in "$d0" "$d1"; do
  grep -Eq "^$d +succeeded " batch.out || { cat batch.out batch.err; fail "the table does not show $d succeeded"; }
  grep -q "^$d  *load" batch.err || { cat batch.err; fail "no progress lines for $d"; }
done
grep -Eq "^$d2 +failed .*leased to" batch.out || { cat batch.out; fail "the table does not show why $d2 failed"; }
grep -Eq "^no-such-device +failed " batch.out || { cat batch.out; fail "the table does not show the missing device"; }
grep -q "2 of 4 devices failed" batch.err || { cat batch.err; fail "no failure summary"; }
ok "batch flash: one device failing does not stop the others; table and non-zero exit"

gale devices tag "$d2" rack-2 usb3 2>/dev/null || fail "devices tag"
gale devices --json | tr -d ' \n' | grep -q "\"tags\":\[\"rack-2\",\"usb3\"\]" || fail "tags not in devices --json"
gale devices | grep "^$d2 " | grep -q "rack-2,usb3" || fail "tags not in gale devices"
GALE_LEASE=$other gale lease release 2>/dev/null || fail "lease release with GALE_LEASE"
tagged=$(gale lease acquire --tag rack-2 --for 1m 2>tagged.err) || { cat tagged.err; fail "lease by tag"; }
grep -q "$d2" tagged.err || { cat tagged.err; fail "the lease by tag did not get $d2"; }
gale lease release "$tagged" 2>/dev/null || fail "lease release TOKEN"
gale devices tag "$d2" --clear 2>/dev/null || fail "devices tag --clear"
GALE_LEASE=$tok gale flash -d hello --board qemu_cortex_m3 --all >all.out 2>&1 || { cat all.out; fail "flash --board --all"; }
[ "$(grep -c ' succeeded ' all.out)" -eq 3 ] || { cat all.out; fail "--board --all did not flash all 3"; }
ok "tags select devices; flash --board B --all"

# A test suite on the leased devices themselves.
cp -r "$GALE_BASE/tests/subsys/testsuite/ztest_self" self
printf 'tests:\n  farm.ztest_self:\n    tags: farm\n' >self/testcase.yaml
if gale test --devices "$d0" self >steal-test.out 2>&1; then fail "tests ran on a leased device without its token"; fi
grep -q "is leased to" steal-test.out || { cat steal-test.out; fail "gale test refusal does not name the lease"; }
GALE_LEASE=$tok gale test --devices "$d0,$d1" self >test.out 2>test.err || { cat test.out test.err; fail "gale test --devices"; }
grep -q "^PASS qemu_cortex_m3 farm.ztest_self " test.out || { cat test.out; fail "no PASS line from the device run"; }
ok "gale test --devices runs a suite on leased devices"

gale daemon stop >/dev/null
gale daemon start >/dev/null || fail "restart"
gale lease list --json >after.json
grep -q '"note": *"farm test"' after.json || { cat after.json; fail "the lease did not survive a restart"; }
# Its emulators died with the daemon: a restarted daemon drops them from the lease.
grep -q "\"$d0\"" after.json && fail "the lease still holds an emulator of the previous daemon"
GALE_LEASE=$tok gale lease renew --for 10m 2>/dev/null || fail "renew after a restart"
GALE_LEASE=$tok gale lease release 2>/dev/null || fail "release after a restart"
gale lease list --json | grep -q "farm test" && fail "a released lease is still listed"
ok "leases survive a daemon restart (without the dead emulators); renew and release"

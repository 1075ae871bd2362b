#!/usr/bin/env bash
# gale trace through the real galed and QEMU: samples/tracing is flashed first and traced later
# (the capture starts with a snapshot of the threads that already run); the Chrome JSON must
# show the named threads running, the timer interrupt, the sample's markers, spans and counter
# with the names the daemon read from the ELF; `gale trace stats` reads it back; a second
# capture of the same device works, also as a Perfetto trace; an image without CONFIG_TRACING
# and a file that is no trace get clear errors. Then the sample once more on qemu_riscv32 and on
# native_sim.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
use_private_daemon "${1:?usage: gale_trace_test.sh BIN_DIR}"
gale daemon start >/dev/null || fail "gale daemon start"

gale build -b qemu_cortex_m3 -d tr "$GALE_BASE/samples/tracing" >build.log 2>&1 ||
  { tail -20 build.log; fail "build samples/tracing"; }
dev=$(gale emu start -b qemu_cortex_m3) || fail "gale emu start"
gale flash -d tr --device "$dev" >/dev/null 2>&1 || fail "flash"
sleep 1  # the image runs a while before anyone traces it

timeout 120 "$BIN/gale" trace --device "$dev" --duration 2 -o t1.json >t1.log 2>&1 ||
  { cat t1.log; fail "gale trace"; }
grep -q "wrote .*t1.json" t1.log || { cat t1.log; fail "gale trace did not say what it wrote"; }
python3 - t1.json <<'PY' || fail "the Chrome trace is not what the sample did"
import json, sys
doc = json.load(open(sys.argv[1]))
ev = doc["traceEvents"]
names = {e["args"]["name"]: e["tid"] for e in ev if e.get("ph") == "M" and e.get("name") == "thread_name"}
for n in ("sensor_thread", "filter_thread", "main", "idle", "interrupts"):
    assert n in names, f"no thread_name {n}: {sorted(names)}"
runs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "run"]
for n in ("sensor_thread", "filter_thread", "main"):
    k = sum(1 for e in runs if e["tid"] == names[n])
    assert k >= 20, f"{n} ran only {k} times in 2 s"
assert all(e["dur"] >= 0 for e in runs), "a negative slice"
starts = [e["ts"] for e in runs]
assert starts == sorted(starts), "run slices out of order"
isrs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "isr"]
assert len(isrs) >= 50, f"only {len(isrs)} interrupt slices"
marks = {e["name"] for e in ev if e.get("cat") == "mark"}
assert "tick" in marks, f"no 'tick' marker named from the ELF: {sorted(marks)[:10]}"
spans = [e for e in ev if e.get("cat") == "mark" and e["name"] == "filter_step"]
assert {e["ph"] for e in spans} == {"B", "E"}, "the C++ scope guard's span is missing"
assert any(e["tid"] == names["filter_thread"] for e in spans), "the span is not on the filter thread"
counters = [e for e in ev if e.get("ph") == "C" and e["name"] == "sample"]
assert len(counters) >= 100, f"only {len(counters)} samples of the counter"
ops = {(e["name"], e["args"]["object"]) for e in ev if e.get("cat") == "kernel"}
assert ("msgq_put", "readings") in ops, f"no msgq_put on 'readings': {sorted(ops)[:10]}"
assert ("timer_expiry", "ticker") in ops, "no timer_expiry of 'ticker'"
assert doc["galeTrace"]["build_id"], "no build id recorded"
print(f"{len(ev)} events, {len(runs)} run slices, {len(isrs)} interrupts")
PY
ok "a late capture shows the threads, interrupts, markers, spans and counters by name"

gale trace stats t1.json >stats.log 2>&1 || { cat stats.log; fail "gale trace stats"; }
for n in sensor_thread filter_thread main idle "context switches" "max ready"; do
  grep -q "$n" stats.log || { cat stats.log; fail "trace stats do not mention $n"; }
done
ok "trace stats from the saved JSON"

timeout 120 "$BIN/gale" trace --device "$dev" --duration 1 -o t2.json >t2.log 2>&1 ||
  { cat t2.log; fail "a second capture of the same device"; }
python3 -c "import json,sys; d=json.load(open('t2.json')); assert sum(1 for e in d['traceEvents'] if e.get('ph')=='X') > 50" ||
  fail "the second capture is empty"
ok "a second capture"

gale jobs --kind trace >jobs.log 2>&1 || { cat jobs.log; fail "gale jobs --kind trace"; }
[ "$(grep -c succeeded jobs.log)" -ge 2 ] || { cat jobs.log; fail "the captures are not stored as jobs"; }
ok "captures stored as trace jobs"

timeout 120 "$BIN/gale" trace --device "$dev" --duration 1 --format perfetto -o t.pftrace >pf.log 2>&1 ||
  { cat pf.log; fail "--format perfetto"; }
[ "$(head -c1 t.pftrace | od -An -tx1 | tr -d ' ')" = 0a ] || fail "t.pftrace does not start with a Perfetto packet"
gale trace stats t.pftrace >pfstats.log 2>&1 || { cat pfstats.log; fail "gale trace stats of the Perfetto trace"; }
for n in sensor_thread filter_thread "context switches"; do
  grep -q "$n" pfstats.log || { cat pfstats.log; fail "Perfetto trace stats do not mention $n"; }
done
ok "a Perfetto trace, read back by gale trace stats"
echo "not a trace" >bad.json
if gale trace stats bad.json >bad.log 2>&1; then fail "stats of a non-trace succeeded"; fi
grep -q "bad.json" bad.log || { cat bad.log; fail "stats of a non-trace: the error does not name the file"; }
ok "a clear error for a file that is no trace"

gale build -b qemu_cortex_m3 -d hello "$GALE_BASE/samples/hello_world" >hello.log 2>&1 ||
  { tail -20 hello.log; fail "build hello_world"; }
gale flash -d hello --device "$dev" >/dev/null 2>&1 || fail "flash hello_world"
if gale trace --device "$dev" --duration 1 -o h.json >h.log 2>&1; then
  fail "tracing an image without CONFIG_TRACING succeeded"
fi
grep -q "CONFIG_TRACING=y" h.log || { cat h.log; fail "no clear error for an image without tracing"; }
ok "an image without tracing is refused with a clear error"

# trace_sample BOARD TIMER_IRQ [MAX_SPAN_S]: samples/tracing built for BOARD, flashed to a new
# emulated device ($traced) and captured for 2 s: named threads that ran, the system timer's
# interrupt, the markers and the build id; with MAX_SPAN_S, at most that much target time.
trace_sample() {
  local board=$1 irq=$2 max_span=${3:-0}
  gale build -b "$board" -d "tr-$board" "$GALE_BASE/samples/tracing" >"build-$board.log" 2>&1 ||
    { tail -20 "build-$board.log"; fail "build samples/tracing for $board"; }
  traced=$(gale emu start -b "$board") || fail "gale emu start -b $board"
  gale flash -d "tr-$board" --device "$traced" >/dev/null 2>&1 || fail "flash $board"
  timeout 120 "$BIN/gale" trace --device "$traced" --duration 2 -o "$board.json" >"$board.log" 2>&1 ||
    { cat "$board.log"; fail "gale trace on $board"; }
  python3 - "$board.json" "$irq" "$max_span" <<'PY' || fail "the $board trace is not what the sample did"
import json, sys
doc = json.load(open(sys.argv[1]))
irq, max_span = f"irq {sys.argv[2]}", float(sys.argv[3])
ev = doc["traceEvents"]
names = {e["args"]["name"]: e["tid"] for e in ev if e.get("ph") == "M" and e.get("name") == "thread_name"}
for n in ("sensor_thread", "filter_thread", "main", "idle"):
    assert n in names, f"no thread_name {n}: {sorted(names)}"
runs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "run"]
for n in ("sensor_thread", "filter_thread"):
    k = sum(1 for e in runs if e["tid"] == names[n])
    assert k >= 20, f"{n} ran only {k} times in 2 s"
isrs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "isr"]
assert sum(1 for e in isrs if e["name"] == irq) >= 50, f"{len(isrs)} interrupt slices, too few {irq}"
assert "tick" in {e["name"] for e in ev if e.get("cat") == "mark"}, "no 'tick' marker"
assert doc["galeTrace"]["build_id"], "no build id recorded"
span = doc["galeTrace"]["end_ns"] / 1e9
assert not max_span or span <= max_span, f"{span} s of target time in a 2 s capture"
print(f"{len(ev)} events, {len(runs)} run slices, {len(isrs)} interrupts, {doc['galeTrace']['dropped']} dropped")
PY
}

# The same sample on RISC-V: the port's switch and interrupt hooks (the machine timer is irq 7),
# the build id from its linker script, names from its ELF.
trace_sample qemu_riscv32 7
ok "RISC-V: threads, machine timer interrupts and markers by name"
rv=$traced

# native_sim: the port's switch and interrupt hooks (the system timer is irq 15) and its build
# id, read from the running program's memory. A device from gale emu start runs in real time
# (--rt): 2 s of capture span about 2 s of its time. The QEMU devices are done with (native_sim
# needs the CPU to keep time).
gale emu stop "$dev" "$rv" >/dev/null 2>&1 || fail "gale emu stop"
trace_sample native_sim 15 30
ok "native_sim: threads, timer interrupts and markers by name, from the program's memory"

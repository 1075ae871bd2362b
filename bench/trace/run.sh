#!/usr/bin/env bash
# Trace benchmark. 1) The recorder's cost in instructions on qemu_cortex_m3 (bench/trace/app,
# QEMU -icount shift=0: one instruction is one virtual nanosecond), with and without
# CONFIG_TRACING. 2) With galed (build/bin): markers at increasing rates (bench/trace/rate),
# each captured for 2 s with `gale trace`, and how many records the target dropped: the rate the
# pipeline sustains without drops. Prints Markdown for docs/performance.md; never fails because
# a machine is slow.
#
# Usage: bench/trace/run.sh [--no-pipeline]. BENCH_WORK=DIR keeps the builds.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export GALE_BASE=$ROOT
work=${BENCH_WORK:-$(mktemp -d /tmp/gale-tbench.XXXXXX)}
mkdir -p "$work"

build() {
  local app=$1 dir=$2; shift 2
  { cmake -GNinja -S "$app" -B "$dir" -DBOARD=qemu_cortex_m3 "$@" && ninja -C "$dir"; } >"$dir.log" 2>&1 \
    || { tail -30 "$dir.log" >&2; echo "run.sh: building $app failed" >&2; exit 1; }
}

run_cost() {
  local dir=$1
  timeout 300 qemu-system-arm -M lm3s6965evb -nographic -monitor none \
    -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
    -kernel "$dir/gale/gale.elf" 2>/dev/null </dev/null | tr -d '\r' >"$dir.out" || true
  grep -q '^BENCH end' "$dir.out" || { cat "$dir.out" >&2; echo "run.sh: no result" >&2; exit 1; }
}

build "$HERE/app" "$work/on"
build "$HERE/app" "$work/none" -DEXTRA_CONF_FILE="$HERE/app/none.conf"
run_cost "$work/on"
run_cost "$work/none"
echo "### Recorder cost (qemu_cortex_m3, instructions)"
echo
echo "| measurement | instructions |"
echo "| --- | ---: |"
cat "$work/on.out" "$work/none.out" | sed -n 's/^BENCH \([a-z.0-9]*\) \([0-9.]*\)  \(.*\)$/| \3 (`\1`) | \2 |/p'
echo

[ "${1:-}" = --no-pipeline ] && exit 0
BIN=$ROOT/build/bin
[ -x "$BIN/galed" ] || { echo "run.sh: build/bin/galed missing: skipping the pipeline rate" >&2; exit 0; }
export XDG_RUNTIME_DIR=$work/run XDG_STATE_HOME=$work/state
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset GALE_SOCKET GALE_LEASE
gale() { "$BIN/gale" "$@"; }
trap 'gale daemon stop >/dev/null 2>&1 || true' EXIT
gale daemon start >/dev/null
dev=$(gale emu start -b qemu_cortex_m3)
echo "### Pipeline: markers captured through galed (2 s per rate, 4 KiB trace ring)"
echo
echo "| target rate (markers/s of target time) | markers captured | target time captured (s) | markers/s of host time | records dropped |"
echo "| ---: | ---: | ---: | ---: | ---: |"
# Period 0: markers back to back, as fast as the target records them (the pipeline's limit).
for period in 1000 200 100 50 20 10 5 2 1 0; do
  dir=$work/rate-$period
  build "$HERE/rate" "$dir" -DPERIOD_US=$period
  gale flash -d "$dir" --device "$dev" >/dev/null 2>&1 || { echo "run.sh: flash failed" >&2; exit 1; }
  sleep 0.5
  gale trace --device "$dev" --duration 2 -o "$dir.json" >"$dir.trace.log" 2>&1 || { cat "$dir.trace.log" >&2; continue; }
  python3 - "$dir.json" "$period" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
marks = sum(1 for e in ev if e.get("cat") == "mark")
runs = [e for e in ev if e.get("ph") == "X"]
span = (max(e["ts"] + e["dur"] for e in runs) - min(e["ts"] for e in runs)) / 1e6 if runs else 0
period = int(sys.argv[2])
rate = f"{1e6 / period:.0f}" if period else "back to back"
print(f"| {rate} | {marks} | {span:.3f} | {marks / 2:.0f} | {d['galeTrace']['dropped']} |")
PY
done

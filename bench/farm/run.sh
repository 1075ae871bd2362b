#!/usr/bin/env bash
# bench/farm/run.sh [DEVICES]: lease, flash and boot DEVICES (default 32) emulated qemu_cortex_m3
# boards at once through a private galed, with the daemon's CPU time and peak memory, for
# docs/performance.md. Needs the host tools built (sdk/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/build/bin
T=$(mktemp -d /tmp/gale-bench-farm.XXXXXX)
export XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state GALE_BASE=$ROOT
unset GALE_SOCKET GALE_LEASE
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap '"$BIN/gale" daemon stop >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
"$BIN/gale" build -b qemu_cortex_m3 -d "$T/hello" "$ROOT/samples/hello_world" >/dev/null 2>&1
pid=$("$BIN/gale" daemon status --json | grep -o '"pid": *[0-9]*' | grep -o '[0-9]*$')
echo "galed pid $pid, $(nproc) cores, QEMU -icount shift=0"
"$BIN/gale-bench-farm" "unix:$XDG_RUNTIME_DIR/gale/galed.sock" "$T/hello" "$pid" "${1:-32}"

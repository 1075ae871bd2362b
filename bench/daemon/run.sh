#!/usr/bin/env bash
# bench/daemon/run.sh [DEVICES]: galed figures for docs/performance.md. Starts a private galed,
# builds hello_world for qemu_cortex_m3, runs gale-bench-daemon against it. Needs the host tools
# built (sdk/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/build/bin
T=$(mktemp -d /tmp/gale-bench-daemon.XXXXXX)
export XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state GALE_BASE=$ROOT
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap '"$BIN/gale" daemon stop >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
"$BIN/gale" daemon start >/dev/null
"$BIN/gale" build -b qemu_cortex_m3 -d "$T/hello" "$ROOT/samples/hello_world" >/dev/null 2>&1
echo "galed $("$BIN/gale" daemon status --json | grep -o '"version": *"[^"]*"'), $(nproc) cores, QEMU -icount shift=0"
"$BIN/gale-bench-daemon" "unix:$XDG_RUNTIME_DIR/gale/galed.sock" "$T/hello" "${1:-16}"

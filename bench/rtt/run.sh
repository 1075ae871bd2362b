#!/usr/bin/env bash
# bench/rtt/run.sh: RTT figures for docs/performance.md. Starts a private galed, builds
# bench/rtt/app for qemu_cortex_m3 in block and skip modes with several up-buffer sizes (and for
# native_sim in block mode), and runs gale-bench-rtt against it. Needs the host tools built
# (sdk/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/build/bin
T=$(mktemp -d /tmp/gale-bench-rtt.XXXXXX)
export XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state GALE_BASE=$ROOT
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap '"$BIN/gale" daemon stop >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
builds=()
for mode in block skip; do
  for size in 1024 4096 16384; do
    printf 'CONFIG_SEGGER_RTT_BUFFER_SIZE_UP=%d\n' "$size" >"$T/size-$size.conf"
    dir=$T/$mode-$size
    cmake -GNinja -S "$ROOT/bench/rtt/app" -B "$dir" -DBOARD=qemu_cortex_m3 \
      "-DEXTRA_CONF_FILE=$ROOT/bench/rtt/app/$mode.conf;$T/size-$size.conf" >"$dir.log" 2>&1 &&
      ninja -C "$dir" >>"$dir.log" 2>&1 || { tail -20 "$dir.log"; exit 1; }
    builds+=("$mode, $((size / 1024)) KiB up-buffer=$dir")
  done
done
for size in 1024 4096; do
  dir=$T/native-$size
  cmake -GNinja -S "$ROOT/bench/rtt/app" -B "$dir" -DBOARD=native_sim \
    "-DEXTRA_CONF_FILE=$ROOT/bench/rtt/app/block.conf;$T/size-$size.conf" >"$dir.log" 2>&1 &&
    ninja -C "$dir" >>"$dir.log" 2>&1 || { tail -20 "$dir.log"; exit 1; }
  builds+=("native_sim, block, $((size / 1024)) KiB up-buffer=$dir")
done
"$BIN/gale" daemon start >/dev/null
echo "galed $("$BIN/gale" daemon status --json | grep -o '"version": *"[^"]*"'), $(nproc) cores, QEMU -icount shift=0, 1 MiB (16384 lines of 64 B)"
"$BIN/gale-bench-rtt" "unix:$XDG_RUNTIME_DIR/gale/galed.sock" "${builds[@]}"

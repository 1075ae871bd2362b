#!/usr/bin/env bash
# build_only_test.sh APP BOARD: a hardware-only board (no emulator) builds APP with plain CMake
# into the images a flash tool takes: gale.elf, gale.bin and an Intel HEX gale.hex whose data
# lies in the board's flash (the devicetree's zephyr,flash) and whose first record is the
# vector table (initial stack pointer in SRAM, reset handler in flash).
[ $# -eq 2 ] || { echo "usage: $0 APP BOARD" >&2; exit 2; }
E2E_SUFFIX=-$(basename "$1")-$2
source "$(dirname "$0")/lib.sh"
app=$GALE_BASE/$1
board=$2
dir=$WORK/build
build_app "$app" "$board" "$dir"
for f in gale.elf gale.bin gale.hex gale.map; do
  [ -s "$dir/gale/$f" ] || fail "$board: gale/$f missing or empty"
done

flash_addr=$(sed -n 's/.*DT_CHOSEN_FLASH_ADDR \([0-9a-fx]*\).*/\1/p' "$dir/gale/dts.cmake" | head -1)
flash_size=$(sed -n 's/.*DT_CHOSEN_FLASH_SIZE \([0-9a-fx]*\).*/\1/p' "$dir/gale/dts.cmake" | head -1)
sram_addr=$(sed -n 's/.*DT_CHOSEN_SRAM_ADDR \([0-9a-fx]*\).*/\1/p' "$dir/gale/dts.cmake" | head -1)
sram_size=$(sed -n 's/.*DT_CHOSEN_SRAM_SIZE \([0-9a-fx]*\).*/\1/p' "$dir/gale/dts.cmake" | head -1)
[ -n "$flash_addr" ] && [ -n "$sram_addr" ] || fail "$board: no chosen flash/sram in gale/dts.cmake"

# Walk the HEX records: checksums, extended linear addresses, every data byte inside flash.
python3 - "$dir/gale/gale.hex" "$flash_addr" "$flash_size" "$sram_addr" "$sram_size" <<'PY' \
  || fail "$board: gale.hex is not a valid image for the board's flash"
import sys
path, fa, fs, sa, ss = sys.argv[1], *(int(x, 0) for x in sys.argv[2:])
base, first, data_bytes, eof = 0, None, 0, False
for n, line in enumerate(open(path), 1):
    line = line.strip()
    raw = bytes.fromhex(line[1:])
    if not line.startswith(":") or sum(raw) & 0xFF or raw[0] != len(raw) - 5:
        sys.exit(f"line {n}: malformed record")
    kind, addr, payload = raw[3], (raw[1] << 8) | raw[2], raw[4:-1]
    if kind == 0:
        start = base + addr
        if not (fa <= start and start + len(payload) <= fa + fs):
            sys.exit(f"line {n}: data at {start:#x} outside flash {fa:#x}+{fs:#x}")
        if first is None:
            first = (start, payload)
        data_bytes += len(payload)
    elif kind == 4:
        base = int.from_bytes(payload, "big") << 16
    elif kind == 1:
        eof = True
if not eof or first is None:
    sys.exit("no data or no end-of-file record")
start, payload = first
if start != fa or len(payload) < 8:
    sys.exit(f"the image does not start at the flash base {fa:#x}")
sp, reset = int.from_bytes(payload[0:4], "little"), int.from_bytes(payload[4:8], "little")
if not (sa < sp <= sa + ss):
    sys.exit(f"initial stack pointer {sp:#x} is not in SRAM")
if not (reset & 1 and fa <= reset < fa + fs):
    sys.exit(f"reset vector {reset:#x} is not a Thumb address in flash")
print(f"gale.hex: {data_bytes} bytes at {fa:#x}, SP {sp:#x}, reset {reset:#x}")
PY
ok "$board: $1 builds (elf, bin, hex)"

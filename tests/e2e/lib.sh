# Helpers for the end-to-end tests: build target applications with the Gale CMake package and
# run the images on their emulator. Source from a test script; CTest sets GALE_BASE and E2E_WORK.
set -euo pipefail
GALE_BASE=${GALE_BASE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export GALE_BASE
WORK=${E2E_WORK:-$(mktemp -d /tmp/gale-e2e.XXXXXX)}/$(basename "$0" .sh)${E2E_SUFFIX:-}
rm -rf "$WORK"
mkdir -p "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# use_private_daemon BIN_DIR: the host tools of BIN_DIR against a galed of this test's own (its
# socket and store under $WORK, no GALE_SOCKET/GALE_LEASE/GALE_TOKEN from outside), `gale` as a
# function, the daemon stopped on exit, and $WORK as the current folder. Starting the daemon is
# left to the test.
use_private_daemon() {
  BIN=$1
  [ -x "$BIN/galed" ] || fail "$BIN/galed is missing: build it first"
  export XDG_RUNTIME_DIR=$WORK/run XDG_STATE_HOME=$WORK/state
  unset GALE_SOCKET GALE_LEASE GALE_TOKEN
  mkdir -p "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  gale() { "$BIN/gale" "$@"; }
  trap 'gale daemon stop >/dev/null 2>&1 || true' EXIT
  cd "$WORK"
}

# build_app APP BOARD DIR [cmake args...]: configure and build; the log is DIR.log. ninja runs
# E2E_NINJA_JOBS jobs when set (CTest sets it to the processors it reserved for the test).
build_app() {
  local app=$1 board=$2 dir=$3; shift 3
  cmake -GNinja -S "$app" -B "$dir" -DBOARD="$board" "$@" >"$dir.log" 2>&1 \
    || { tail -30 "$dir.log"; fail "configure $app for $board"; }
  ninja -C "$dir" ${E2E_NINJA_JOBS:+-j "$E2E_NINJA_JOBS"} >>"$dir.log" 2>&1 \
    || { tail -30 "$dir.log"; fail "build $app for $board"; }
}

# board_key BOARD KEY: a key of the board's board.yaml.
board_key() {
  local yaml
  yaml=$(find "$GALE_BASE/boards" -path "*/$1/board.yaml" | head -1)
  sed -n "s/^  $2: *//p" "$yaml"
}

# emulator_command BOARD DIR: the command that boots DIR's image, one word per line.
emulator_command() {
  local board=$1 dir=$2 arch machine
  case $(board_key "$board" emulator) in
    native) echo "$dir/gale/gale.exe" ;;
    qemu)
      arch=$(board_key "$board" arch)
      machine=$(board_key "$board" qemu_machine)
      [ "$arch" = arm ] && echo qemu-system-arm || echo qemu-system-riscv32
      # RISC-V: no OpenSBI firmware, the image is the machine-mode program.
      [ "$arch" = arm ] || printf '%s\n' -bios none
      printf '%s\n' -M "$machine" -nographic -monitor none -icount shift=0,align=off,sleep=off \
        -semihosting-config enable=on,target=native -kernel "$dir/gale/gale.elf"
      ;;
    *) fail "board $board has no emulator" ;;
  esac
}

# run_until BOARD DIR PATTERN [SECONDS]: boot the image, print its output until a line contains
# PATTERN (success) or the emulator exits or time runs out (failure).
run_until() {
  local board=$1 dir=$2 pattern=$3 secs=${4:-30} line found=1 left
  local -a cmd
  mapfile -t cmd < <(emulator_command "$board" "$dir")
  coproc EMU { exec "${cmd[@]}" 2>&1; }
  local pid=$EMU_PID fd=${EMU[0]}
  local deadline=$((SECONDS + secs))
  while left=$((deadline - SECONDS)); [ "$left" -gt 0 ] && IFS= read -r -t "$left" line <&"$fd"; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    if [[ $line == *"$pattern"* ]]; then
      found=0
      break
    fi
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return $found
}

# run_to_exit BOARD DIR [SECONDS]: boot the image, print its output (without carriage returns)
# and return the emulator's exit status: the target's, through arch_system_exit(). 124 means the
# image was still running after SECONDS and was stopped.
run_to_exit() {
  local board=$1 dir=$2 secs=${3:-60}
  local -a cmd
  mapfile -t cmd < <(emulator_command "$board" "$dir")
  timeout -k 5 "$secs" "${cmd[@]}" </dev/null 2>&1 | tr -d '\r'
  return "${PIPESTATUS[0]}"
}

# run_collect BOARD DIR PATTERN COUNT [SECONDS]: boot the image and print its first COUNT
# output lines that contain PATTERN; stop the emulator then, or when time runs out (failure
# when fewer lines came).
run_collect() {
  local board=$1 dir=$2 pattern=$3 count=$4 secs=${5:-30} line got=0 left
  local -a cmd
  mapfile -t cmd < <(emulator_command "$board" "$dir")
  coproc EMU { exec "${cmd[@]}" 2>&1; }
  local pid=$EMU_PID fd=${EMU[0]}
  local deadline=$((SECONDS + secs))
  while [ "$got" -lt "$count" ] && left=$((deadline - SECONDS)) && [ "$left" -gt 0 ] &&
    IFS= read -r -t "$left" line <&"$fd"; do
    line=${line%$'\r'}
    if [[ $line == *"$pattern"* ]]; then
      printf '%s\n' "$line"
      got=$((got + 1))
    fi
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$got" -ge "$count" ]
}

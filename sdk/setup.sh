#!/usr/bin/env bash
# Set up a Debian 12 machine for Gale: install the packages the SDK needs (idempotent, with sudo
# when not root), build the host tools into build/, register the Gale CMake package, then build
# hello_world and run it on the emulated qemu_cortex_m3.
#
#   sdk/setup.sh [--no-install] [--no-run] [--jobs N]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install=1
run=1
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --no-install) install=0 ;;
    --no-run) run=0 ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Everything the SDK and its tests use, from Debian 12's archive.
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  gcc-arm-none-eabi picolibc-arm-none-eabi binutils-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-arm qemu-system-misc
  device-tree-compiler libfdt-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libabsl-dev
  libgtest-dev libgmock-dev
  python3-kconfiglib
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libsqlite3-dev
  python3-grpcio python3-protobuf python3-pytest
  gdb-multiarch
  libusb-1.0-0-dev umockdev libumockdev-dev openocd
  qt6-base-dev
  openssl
)
# Node.js and npm for the VS Code extension (ide-plugin/vscode) and its test. A Node.js that
# already brings its own npm (NodeSource's package does, and conflicts with Debian's npm) is
# kept as it is.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi

step() { printf '\n== %s\n' "$*"; }

if [ "$install" = 1 ]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    SUDO=
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "setup.sh: not root and no sudo: install ${missing[*]} by hand" >&2; exit 1; }
      SUDO=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    step "Debian packages: all ${#PACKAGES[@]} present"
  fi
fi

step "Building the host tools into build/"
# The same options as tests/run.sh, so that the test command does not rebuild everything.
cmake -GNinja -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGALE_WERROR=ON >/dev/null
ninja -C "$ROOT/build" -j "$jobs"

# The CMake user package registry lets find_package(Gale) work without GALE_BASE set.
reg=${HOME:-/root}/.cmake/packages/Gale
mkdir -p "$reg"
echo "$ROOT/cmake" >"$reg/$(printf '%s' "$ROOT" | md5sum | cut -c1-32)"

if [ "$run" = 1 ]; then
  step "hello_world on qemu_cortex_m3"
  out=$ROOT/build/samples/hello_world-qemu_cortex_m3
  cmake -GNinja -S "$ROOT/samples/hello_world" -B "$out" -DBOARD=qemu_cortex_m3 >/dev/null
  ninja -C "$out"
  # The image idles after main() returns, as Zephyr's does: stop QEMU once the greeting is out.
  coproc QEMU { exec qemu-system-arm -M lm3s6965evb -nographic -monitor none \
    -kernel "$out/gale/gale.elf" 2>&1; }
  seen=0
  while IFS= read -r -t 30 line <&"${QEMU[0]}"; do
    [[ $line == "Timer with period zero"* ]] && continue  # QEMU lm3s6965 model noise
    printf '%s\n' "${line%$'\r'}"
    case $line in *"Hello World!"*) seen=1; break ;; esac
  done
  kill "$QEMU_PID" 2>/dev/null || true
  wait "$QEMU_PID" 2>/dev/null || true
  if [ "$seen" != 1 ]; then
    echo "setup.sh: hello_world printed no greeting on qemu_cortex_m3" >&2
    exit 1
  fi
  step "Gale is set up. Run the test suite with: tests/run.sh"
fi

#!/usr/bin/env bash
# Run Gale's whole test suite through CTest: host unit tests (GoogleTest) and end-to-end tests
# that build target images and run them on QEMU and native_sim. Extra arguments go to ctest
# (for example: tests/run.sh -R e2e). Needs the machine set up by sdk/setup.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc)
cmake -GNinja -S "$ROOT" -B "$ROOT/build" -DGALE_WERROR=ON >/dev/null
ninja -C "$ROOT/build" -j "$jobs"
# End-to-end tests run target builds that are themselves parallel: two at a time is enough.
exec ctest --test-dir "$ROOT/build" --output-on-failure -j "$jobs" "$@"

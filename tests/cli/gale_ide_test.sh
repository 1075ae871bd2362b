#!/usr/bin/env bash
# gale ide qtcreator through the real galed: a copy of samples/hello_world gets CMakePresets.json
# whose configure and build presets build it with plain CMake (as Qt Creator, VS Code CMake
# Tools or CLion would), Qt Creator external tools in XDG_CONFIG_HOME, a second board's preset
# merged beside the first, and clear errors for an unknown board and a folder without Gale.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
BIN=${1:?usage: gale_ide_test.sh BIN_DIR}
[ -x "$BIN/galed" ] || fail "$BIN/galed is missing: build it first"
export XDG_RUNTIME_DIR=$WORK/run XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config
unset GALE_SOCKET GALE_LEASE
rm -rf "$WORK/app" "$WORK/config"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
gale() { "$BIN/gale" "$@"; }
trap 'gale daemon stop >/dev/null 2>&1 || true' EXIT
cd "$WORK"
cp -r "$GALE_BASE/samples/hello_world" app && rm -rf app/build

gale ide qtcreator app -b qemu_cortex_m3 >ide.out 2>&1 || { cat ide.out; fail "gale ide qtcreator"; }
(cd app && cmake --list-presets) | grep -q '"gale-qemu_cortex_m3"' || fail "cmake --list-presets lacks gale-qemu_cortex_m3"
(cd app && cmake --preset gale-qemu_cortex_m3 && cmake --build --preset gale-qemu_cortex_m3) >preset.log 2>&1 ||
  { tail -20 preset.log; fail "the presets do not configure and build"; }
[ -f app/build/qemu_cortex_m3/gale/gale.elf ] || fail "the build preset did not produce gale.elf"
ok "presets configure and build"

for t in flash console rtt shell; do
  f=config/QtProject/qtcreator/externaltools/gale-$t.xml
  [ -f "$f" ] || fail "no external tool $f"
  grep -q '<category>Gale</category>' "$f" || fail "$f is not in the Gale category"
done
grep -q 'flash -d %{ActiveProject:BuildConfig:Path}' config/QtProject/qtcreator/externaltools/gale-flash.xml ||
  fail "the flash tool does not flash the active build"
ok "Qt Creator external tools written"

gale ide qtcreator app -b mps2_an385 --no-tools >/dev/null 2>&1 || fail "a second board"
(cd app && cmake --list-presets) | grep -c '"gale-' | grep -qx 2 || fail "the second board's preset did not join the first"
ok "a second board's preset merged"

out=$(gale ide qtcreator app -b no_such_board 2>&1) && fail "an unknown board was accepted"
grep -q "unknown board 'no_such_board'" <<<"$out" || fail "unknown board error: $out"
mkdir -p plain && echo 'project(x)' >plain/CMakeLists.txt
out=$(gale ide qtcreator plain -b qemu_cortex_m3 2>&1) && fail "a folder without Gale was accepted"
grep -q "does not use Gale" <<<"$out" || fail "no-Gale error: $out"
echo '{broken' >app/CMakePresets.json
out=$(gale ide qtcreator app -b qemu_cortex_m3 2>&1) && fail "a broken CMakePresets.json was overwritten"
grep -q "CMakePresets.json is not valid JSON" <<<"$out" || fail "broken presets error: $out"
ok "bad input named"

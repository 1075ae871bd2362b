#!/usr/bin/env bash
# hello_world builds for BOARD with plain CMake, leaves every artifact where the docs say, and
# boots to its greeting after the banner.
E2E_SUFFIX=-$1
source "$(dirname "$0")/lib.sh"
board=$1
dir=$WORK/build
build_app "$GALE_BASE/samples/hello_world" "$board" "$dir"

image=gale/gale.elf
[ "$board" = native_sim ] && image=gale/gale.exe
for f in $image gale/gale.dts gale/.config gale/config.json gale/include/generated/autoconf.h \
         gale/include/generated/devicetree_generated.h compile_commands.json; do
  [ -s "$dir/$f" ] || fail "$board: $f missing or empty"
done
if [ "$board" != native_sim ]; then
  for f in gale.bin gale.hex gale.map; do
    [ -s "$dir/gale/$f" ] || fail "$board: gale/$f missing or empty"
  done
  grep -q "Memory region" "$dir.log" || fail "$board: the build printed no memory report"
  grep -Eq "FLASH: +[0-9]+ (B|KB|MB)" "$dir.log" || fail "$board: memory report has no FLASH line"
fi
grep -qx "CONFIG_BOARD=\"$board\"" "$dir/gale/.config" \
  || fail "$board: .config has no CONFIG_BOARD=\"$board\""
grep -q "main.c" "$dir/compile_commands.json" || fail "compile_commands.json lacks the app source"

out=$(run_until "$board" "$dir" "Hello World!" 20) || { echo "$out"; fail "$board: no greeting"; }
grep -q "\*\*\* Booting Gale OS v" <<<"$out" || { echo "$out"; fail "$board: no boot banner"; }
grep -qx "Hello World! $board" <<<"$out" || { echo "$out"; fail "$board: greeting is not 'Hello World! $board'"; }
ok "$board: hello_world"

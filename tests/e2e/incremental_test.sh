#!/usr/bin/env bash
# Rebuilds do only what an input change requires: nothing for a no-op, no compile when
# prj.conf is touched without a change, and a rebuild that takes effect when a value changes.
source "$(dirname "$0")/lib.sh"
app=$WORK/app
cp -r "$GALE_BASE/samples/hello_world" "$app"
rm -rf "$app/build"
dir=$WORK/build
build_app "$app" qemu_cortex_m3 "$dir"

out=$(ninja -C "$dir")
grep -q "no work to do" <<<"$out" || { echo "$out"; fail "a no-op rebuild did work"; }
ok "no-op rebuild does nothing"

# Touching prj.conf re-runs configure (Kconfig), which rewrites nothing, so nothing compiles.
sleep 1
touch "$app/prj.conf"
out=$(ninja -C "$dir" -v)
grep -Eq "Re-running CMake|--regenerate-during-build" <<<"$out" || { echo "$out"; fail "touching prj.conf did not re-run configure"; }
if grep -Eq "(-c .*\.(c|cc|S)\b|Linking)" <<<"$out"; then
  echo "$out"; fail "touching prj.conf recompiled or relinked"
fi
ok "touching prj.conf recompiles nothing"

# A real change recompiles what uses the changed symbol, and only that (gale-fixdep's
# per-symbol dependencies): kernel/init.cc prints the banner, cbprintf.cc never mentions it.
echo "CONFIG_BOOT_BANNER=n" >>"$app/prj.conf"
ninja -C "$dir" >"$WORK/rebuild.log" 2>&1 || { cat "$WORK/rebuild.log"; fail "rebuild after prj.conf change"; }
grep -q "kernel/init.cc" "$WORK/rebuild.log" || { cat "$WORK/rebuild.log"; fail "init.cc was not recompiled"; }
for f in subsys/console/cbprintf.cc drivers/serial/uart_stellaris.cc kernel/device.cc src/main.c; do
  if grep -q "$f" "$WORK/rebuild.log"; then
    cat "$WORK/rebuild.log"; fail "$f was recompiled though it does not use CONFIG_BOOT_BANNER"
  fi
done
ok "a prj.conf change recompiles only the users of the changed symbol"
grep -q "^CONFIG_BOOT_BANNER is not set\|# CONFIG_BOOT_BANNER is not set" "$dir/gale/.config" \
  || fail ".config did not pick up CONFIG_BOOT_BANNER=n"
out=$(run_until qemu_cortex_m3 "$dir" "Hello World!" 20) || { echo "$out"; fail "no greeting after the change"; }
if grep -q "Booting Gale OS" <<<"$out"; then
  echo "$out"; fail "the banner is still printed after CONFIG_BOOT_BANNER=n"
fi
ok "a prj.conf change is rebuilt and takes effect"

# Editing the board overlay re-runs the devicetree step.
mkdir -p "$app/boards"
printf '&uart0 {\n\tcurrent-speed = <9600>;\n};\n' >"$app/boards/qemu_cortex_m3.overlay"
cmake "$dir" >/dev/null
ninja -C "$dir" >/dev/null
grep -q "current-speed = <9600>\|current-speed = <0x2580>" "$dir/gale/gale.dts" \
  || fail "the overlay's current-speed is not in gale.dts"
ok "overlay applied"

#!/usr/bin/env bash
# Bad input to the build gets a clear error (or warning) that names the input and its place.
source "$(dirname "$0")/lib.sh"
hello=$GALE_BASE/samples/hello_world

# expect_configure_fails NAME APP [cmake args]: configure must fail; the log is $WORK/NAME.log.
expect_configure_fails() {
  local name=$1 app=$2; shift 2
  if cmake -GNinja -S "$app" -B "$WORK/$name" "$@" >"$WORK/$name.log" 2>&1; then
    fail "$name: configure succeeded"
  fi
}
# new_app NAME: a copy of hello_world to break.
new_app() {
  rm -rf "$WORK/$1"
  cp -r "$hello" "$WORK/$1"
  rm -rf "$WORK/$1/build"
  echo "$WORK/$1"
}
log_has() { grep -Eq -- "$2" "$WORK/$1.log" || { tail -20 "$WORK/$1.log"; fail "$1: log lacks /$2/"; }; }

# Unknown board: an error naming the closest boards.
expect_configure_fails bad-board "$hello" -DBOARD=qemu_cortex_m33
log_has bad-board "Unknown board 'qemu_cortex_m33'"
log_has bad-board "Did you mean: qemu_cortex_m3"
expect_configure_fails no-board "$hello"
log_has no-board "No board given"
ok "unknown or missing board"

# Misspelt symbol in prj.conf: a warning with file:line and a suggestion; the build goes on.
app=$(new_app typo)
printf '# comment\nCONFIG_PRINTKK=y\n' >"$app/prj.conf"
build_app "$app" qemu_cortex_m3 "$WORK/typo-build"
grep -Eq "prj.conf:2: warning: .*PRINTKK" "$WORK/typo-build.log" \
  || { cat "$WORK/typo-build.log" | head -20; fail "no warning for CONFIG_PRINTKK at prj.conf:2"; }
grep -q "CONFIG_PRINTK\b" "$WORK/typo-build.log" || fail "no suggestion of CONFIG_PRINTK"
ok "unknown Kconfig symbol warned with file:line and a suggestion"

# An assignment that cannot take effect says why.
app=$(new_app unmet)
printf 'CONFIG_UART_NATIVE_PTY=y\n' >"$app/prj.conf"
build_app "$app" qemu_cortex_m3 "$WORK/unmet-build"
grep -Eq "prj.conf:1: warning: .*UART_NATIVE_PTY" "$WORK/unmet-build.log" || fail "no warning for the unmet assignment"
grep -q "ARCH_POSIX" "$WORK/unmet-build.log" || fail "the unmet-dependency warning does not name ARCH_POSIX"
ok "ineffective Kconfig assignment explained"

# Fragments and overlays named on the command line must exist.
expect_configure_fails missing-fragment "$hello" -DBOARD=qemu_cortex_m3 -DEXTRA_CONF_FILE=nope.conf
log_has missing-fragment "Kconfig fragment"
log_has missing-fragment "nope.conf does not exist"
expect_configure_fails missing-overlay "$hello" -DBOARD=qemu_cortex_m3 -DEXTRA_DTC_OVERLAY_FILE=nope.overlay
log_has missing-overlay "Devicetree overlay"
log_has missing-overlay "nope.overlay does not exist"
ok "missing fragment or overlay named"

# A syntax error in a Kconfig file fails configure with file:line.
app=$(new_app kconfig-syntax)
printf 'source "Kconfig.zephyr"\n\nconfig MY_OPTION\n\tbool "Mine"\n\tdepends on (FOO\n' >"$app/Kconfig"
expect_configure_fails kconfig-syntax "$app" -DBOARD=qemu_cortex_m3
log_has kconfig-syntax "Kconfig:5"
ok "Kconfig syntax error with file:line"

# Devicetree: dtc syntax error in an overlay, with the overlay's file:line.
app=$(new_app dts-syntax)
mkdir -p "$app/boards"
printf '/ {\n\tbroken = <1 ;\n};\n' >"$app/boards/qemu_cortex_m3.overlay"
expect_configure_fails dts-syntax "$app" -DBOARD=qemu_cortex_m3
log_has dts-syntax "qemu_cortex_m3.overlay:[0-9]+"
ok "devicetree syntax error with file:line"

# A required property removed: the error names the node and the property.
app=$(new_app dts-required)
printf '&uart0 {\n\t/delete-property/ current-speed;\n};\n' >"$app/app.overlay"
expect_configure_fails dts-required "$app" -DBOARD=qemu_cortex_m3
log_has dts-required "uart@4000c000"
log_has dts-required "current-speed"
ok "missing required devicetree property named"

# A node whose compatible has no binding.
app=$(new_app dts-nobinding)
printf '/ {\n\tgadget {\n\t\tcompatible = "acme,gadget";\n\t};\n};\n' >"$app/app.overlay"
expect_configure_fails dts-nobinding "$app" -DBOARD=qemu_cortex_m3
log_has dts-nobinding "gadget"
log_has dts-nobinding "acme,gadget"
ok "devicetree node without binding named"

# A property of the wrong type.
app=$(new_app dts-type)
printf '&uart0 {\n\tcurrent-speed = "fast";\n};\n' >"$app/app.overlay"
expect_configure_fails dts-type "$app" -DBOARD=qemu_cortex_m3
log_has dts-type "current-speed"
ok "devicetree property of the wrong type named"

#!/usr/bin/env bash
# Regenerates the captured build outputs of this folder: copies of samples/hello_world broken on
# purpose, configured and built for qemu_cortex_m3 with the real tools (cmake, ninja,
# arm-none-eabi-gcc, gale-kconfig, dtc, gale-dts). Machine paths are replaced by /opt/gale (the
# Gale tree) and /home/user/apps (the applications), which diagnostics_test.cc expects.
# Usage: GALE_BASE=<tree with built host tools> capture.sh [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${GALE_BASE:?set GALE_BASE to a Gale tree whose host tools are built}"
work=${1:-$(mktemp -d)}
mkdir -p "$work"
hello=$GALE_BASE/samples/hello_world

new() { rm -rf "$work/$1" "$work/$1-b"; cp -r "$hello" "$work/$1"; rm -rf "$work/$1/build"; }
run() {
  local name=$1 board=${2:-qemu_cortex_m3}
  shift 2 || shift $#
  { cmake -GNinja -S "$work/$name" -B "$work/$name-b" -DBOARD="$board" "$@" &&
    NINJA_STATUS="[%f/%t] " ninja -C "$work/$name-b"; } >"$work/$name.raw" 2>&1 || true
  sed -e "s#$GALE_BASE#/opt/gale#g" -e "s#$work#/home/user/apps#g" "$work/$name.raw" \
    >"$here/$name.log"
}

new gcc
cat >"$work/gcc/src/main.c" <<'SRC'
#include <zephyr/kernel.h>

static int helper(int x)
{
	int unused;
	return x + undefined_var;
}

int main(void)
{
	printk("Hello %d\n", "x");
	return helper(1)
}
SRC
run gcc

new fatal
printf '#include <no_such_header.h>\nint main(void) { return 0; }\n' >"$work/fatal/src/main.c"
run fatal

new cxx
rm "$work/cxx/src/main.c"
sed -i 's/main.c/main.cc/' "$work/cxx/CMakeLists.txt"
cat >"$work/cxx/src/main.cc" <<'SRC'
#include <zephyr/kernel.h>

template <typename T>
struct Box {
	T value;
	int get() const { return value.size(); }
};

class Widget {
public:
	void poke() { count_ += "x"; }
private:
	int count_ = 0;
};

int main(void)
{
	Box<int> b{1};
	return b.get();
}
SRC
run cxx

new ld
printf '#include <zephyr/kernel.h>\nextern void missing_function(void);\nint main(void) { missing_function(); return 0; }\n' >"$work/ld/src/main.c"
run ld

new overflow
printf '#include <zephyr/kernel.h>\nconst char big[300*1024] = {1};\nint main(void) { printk("%%d\\n", big[k_uptime_get_32() %% sizeof(big)]); return 0; }\n' >"$work/overflow/src/main.c"
run overflow

new kconfig_warnings
printf '# comment\nCONFIG_PRINTKK=y\nCONFIG_UART_NATIVE_PTY=y\nCONFIG_MAIN_STACK_SIZE=abc\n' >>"$work/kconfig_warnings/prj.conf"
run kconfig_warnings

new kconfig_syntax
printf 'source "Kconfig.zephyr"\n\nconfig MY_OPTION\n\tbool "Mine"\n\tdepends on (FOO\n' >"$work/kconfig_syntax/Kconfig"
run kconfig_syntax

new dtc_syntax
mkdir -p "$work/dtc_syntax/boards"
printf '/ {\n\tbroken = <1 ;\n};\n' >"$work/dtc_syntax/boards/qemu_cortex_m3.overlay"
run dtc_syntax

new dts_required
printf '&uart0 {\n\t/delete-property/ current-speed;\n};\n' >"$work/dts_required/app.overlay"
run dts_required

new dts_type
printf '&uart0 {\n\tcurrent-speed = "fast";\n};\n' >"$work/dts_type/app.overlay"
run dts_type

new unknown_board
run unknown_board qemu_cortex_m33

new cmake_error
cat >"$work/cmake_error/CMakeLists.txt" <<'SRC'
cmake_minimum_required(VERSION 3.20)
find_package(Gale REQUIRED HINTS $ENV{GALE_BASE})
project(hello_world)
message(WARNING "just a warning")
target_sources(app PRIVATE src/main.c src/missing.c)
SRC
run cmake_error

echo "captured into $here (work folder $work)"

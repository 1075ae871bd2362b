# The host programs the configure step runs: Gale's own (built by sdk/setup.sh into build/bin)
# and dtc plus a C preprocessor for the devicetree.
include_guard(GLOBAL)

set(_gale_tool_hints ${GALE_HOST_TOOLS_DIR} $ENV{GALE_HOST_TOOLS_DIR} ${GALE_BASE}/build/bin)
foreach(tool kconfig dts fixdep)
  string(TOUPPER ${tool} var)
  find_program(GALE_${var}_TOOL gale-${tool} HINTS ${_gale_tool_hints} NO_CACHE)
  if(NOT GALE_${var}_TOOL)
    message(FATAL_ERROR
      "gale-${tool} was not found in ${GALE_BASE}/build/bin, GALE_HOST_TOOLS_DIR or PATH.\n"
      "Build Gale's host tools first: ${GALE_BASE}/sdk/setup.sh "
      "(or: cmake -GNinja -S ${GALE_BASE} -B ${GALE_BASE}/build && ninja -C ${GALE_BASE}/build)")
  endif()
endforeach()

find_program(DTC dtc)
if(NOT DTC)
  message(FATAL_ERROR "dtc (the devicetree compiler) was not found: install the Debian package "
                      "device-tree-compiler, or run ${GALE_BASE}/sdk/setup.sh")
endif()

# Any GCC-compatible preprocessor will do; the host's keeps the devicetree step independent of
# the target toolchain.
find_program(GALE_DTS_CPP NAMES cpp gcc cc)
if(NOT GALE_DTS_CPP)
  message(FATAL_ERROR "no C preprocessor (cpp) found for the devicetree step: install gcc")
endif()

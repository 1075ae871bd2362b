# Pick the toolchain file for the board's architecture before project() enables languages.
include_guard(GLOBAL)

if(NOT CMAKE_TOOLCHAIN_FILE)
  set(CMAKE_TOOLCHAIN_FILE ${GALE_BASE}/sdk/cmake/toolchain/${ARCH}.cmake)
endif()
if(NOT EXISTS ${CMAKE_TOOLCHAIN_FILE})
  message(FATAL_ERROR "No toolchain file for arch '${ARCH}' (${CMAKE_TOOLCHAIN_FILE})")
endif()

# Compiler launchers: gale-fixdep (per-symbol Kconfig dependencies, see sdk/build) and ccache,
# which makes rebuilds of the same sources (other build folders, pristine builds, CI) cheap.
set(GALE_KCONFIG_STAMP_DIR ${GALE_GENERATED_INCLUDE_DIR}/config)
set(_launcher ${GALE_FIXDEP_TOOL} --autoconf ${GALE_GENERATED_INCLUDE_DIR}/autoconf.h
    --stamps ${GALE_KCONFIG_STAMP_DIR} --)
option(GALE_USE_CCACHE "Compile target code through ccache when it is installed" ON)
if(GALE_USE_CCACHE)
  find_program(GALE_CCACHE ccache)
  if(GALE_CCACHE)
    list(APPEND _launcher ${GALE_CCACHE})
  endif()
endif()
foreach(lang C CXX)
  set(CMAKE_${lang}_COMPILER_LAUNCHER ${_launcher})
endforeach()

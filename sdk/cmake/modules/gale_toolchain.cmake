# Pick the toolchain file for the board's architecture before project() enables languages.
include_guard(GLOBAL)

if(NOT CMAKE_TOOLCHAIN_FILE)
  set(CMAKE_TOOLCHAIN_FILE ${GALE_BASE}/sdk/cmake/toolchain/${ARCH}.cmake)
endif()
if(NOT EXISTS ${CMAKE_TOOLCHAIN_FILE})
  message(FATAL_ERROR "No toolchain file for arch '${ARCH}' (${CMAKE_TOOLCHAIN_FILE})")
endif()

# ccache makes rebuilds of the same sources (other build folders, pristine builds, CI) cheap.
option(GALE_USE_CCACHE "Compile target code through ccache when it is installed" ON)
if(GALE_USE_CCACHE)
  find_program(GALE_CCACHE ccache)
  if(GALE_CCACHE)
    foreach(lang C CXX ASM)
      set(CMAKE_${lang}_COMPILER_LAUNCHER ${GALE_CCACHE} CACHE STRING "")
    endforeach()
  endif()
endif()

# Shared by the toolchain files. CMake identifies each compiler by building probe programs and
# then checks it by building a throw-away project: over half a second of every cold configure,
# for compilers Gale already knows are GCC. Unless GALE_FULL_COMPILER_CHECKS is set, the
# identity is taken from the compiler's own version output instead, and the checks are skipped.
if(NOT GALE_FULL_COMPILER_CHECKS)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpfullversion
                  OUTPUT_VARIABLE _gale_gcc_version OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _gale_rc)
  if(_gale_rc EQUAL 0 AND _gale_gcc_version MATCHES "^[0-9]+\\.[0-9]+")
    foreach(lang C CXX ASM)
      set(CMAKE_${lang}_COMPILER_ID_RUN TRUE)
      set(CMAKE_${lang}_COMPILER_ID GNU)
      set(CMAKE_${lang}_COMPILER_VERSION ${_gale_gcc_version})
      set(CMAKE_${lang}_COMPILER_FORCED TRUE)
    endforeach()
    # GCC 12's defaults, which the skipped probes would have found.
    set(CMAKE_C_STANDARD_COMPUTED_DEFAULT 17)
    set(CMAKE_C_EXTENSIONS_COMPUTED_DEFAULT ON)
    set(CMAKE_CXX_STANDARD_COMPUTED_DEFAULT 17)
    set(CMAKE_CXX_EXTENSIONS_COMPUTED_DEFAULT ON)
    set(CMAKE_COMPILER_IS_GNUCC 1)
    set(CMAKE_COMPILER_IS_GNUCXX 1)
  endif()
  if(NOT DEFINED CMAKE_SIZEOF_VOID_P)
    set(CMAKE_SIZEOF_VOID_P 4)
  endif()
endif()

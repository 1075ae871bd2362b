# Shared by the toolchain files. CMake's compiler checks build and run a throw-away project
# per language (about a second in all); the compilers Gale uses are known, so the checks are
# skipped unless GALE_FULL_COMPILER_CHECKS is set. Compiler identification still runs.
if(NOT GALE_FULL_COMPILER_CHECKS)
  foreach(lang C CXX ASM)
    set(CMAKE_${lang}_COMPILER_FORCED TRUE)
  endforeach()
  # What the skipped ABI check would have found for the 32-bit targets; overridden per file.
  if(NOT DEFINED CMAKE_SIZEOF_VOID_P)
    set(CMAKE_SIZEOF_VOID_P 4)
  endif()
endif()

# RISC-V (RV32) with Debian's riscv64-unknown-elf GCC and picolibc-riscv64-unknown-elf. The
# compiler is multilib: -march/-mabi (arch/riscv/arch.cmake) pick the rv32imac/ilp32 libraries.
# Debian ships no C++ standard library for it: target code includes C headers only.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv)
set(GALE_CROSS_PREFIX riscv64-unknown-elf-)

find_program(CMAKE_C_COMPILER ${GALE_CROSS_PREFIX}gcc)
find_program(CMAKE_CXX_COMPILER ${GALE_CROSS_PREFIX}g++)
if(NOT CMAKE_C_COMPILER OR NOT CMAKE_CXX_COMPILER)
  message(FATAL_ERROR "riscv64-unknown-elf-gcc/g++ not found: install gcc-riscv64-unknown-elf and "
                      "picolibc-riscv64-unknown-elf (sdk/setup.sh does)")
endif()
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJCOPY ${GALE_CROSS_PREFIX}objcopy)
find_program(CMAKE_SIZE ${GALE_CROSS_PREFIX}size)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

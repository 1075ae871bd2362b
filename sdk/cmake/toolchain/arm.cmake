# Arm Cortex-M with Debian's GNU Arm Embedded toolchain (gcc-arm-none-eabi) and picolibc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(GALE_CROSS_PREFIX arm-none-eabi-)

find_program(CMAKE_C_COMPILER ${GALE_CROSS_PREFIX}gcc)
find_program(CMAKE_CXX_COMPILER ${GALE_CROSS_PREFIX}g++)
if(NOT CMAKE_C_COMPILER OR NOT CMAKE_CXX_COMPILER)
  message(FATAL_ERROR "arm-none-eabi-gcc/g++ not found: install gcc-arm-none-eabi and "
                      "picolibc-arm-none-eabi (sdk/setup.sh does)")
endif()
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJCOPY ${GALE_CROSS_PREFIX}objcopy)
find_program(CMAKE_SIZE ${GALE_CROSS_PREFIX}size)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

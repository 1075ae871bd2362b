# RISC-V RV32IMAC machine mode: compiler and linker flags for every target object, and the image
# format. Compiling names Zicsr (the CSR instructions, a separate extension since ISA spec
# 20191213, which binutils 2.40 follows); linking names the plain ISA string so that GCC picks
# the rv32imac/ilp32 multilib of libgcc and picolibc.
if(NOT CONFIG_CPU_RV32IMAC)
  message(FATAL_ERROR "arch/riscv: no CPU selected (CONFIG_CPU_RV32IMAC)")
endif()

target_compile_options(gale_interface INTERFACE -march=rv32imac_zicsr_zifencei -mabi=ilp32
                       -mcmodel=medany --specs=picolibc.specs -fno-unwind-tables
                       -fno-asynchronous-unwind-tables)
target_link_options(gale_interface INTERFACE -march=rv32imac -mabi=ilp32 -mcmodel=medany
                    --specs=picolibc.specs -nostartfiles -Wl,--print-memory-usage
                    -Wl,--no-warn-rwx-segments)

set(GALE_IMAGE_SUFFIX .elf)
set(GALE_LINKER_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/linker.ld.in)
set(GALE_LINKER_ALIGN 4)

foreach(var DT_CHOSEN_FLASH_ADDR DT_CHOSEN_FLASH_SIZE DT_CHOSEN_SRAM_ADDR DT_CHOSEN_SRAM_SIZE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${BOARD}: the devicetree must choose zephyr,flash and zephyr,sram "
                        "nodes with a reg property (${var} is not set)")
  endif()
endforeach()

add_custom_command(TARGET gale_final POST_BUILD
  COMMAND ${CMAKE_OBJCOPY} -O binary gale.elf gale.bin
  COMMAND ${CMAKE_OBJCOPY} -O ihex gale.elf gale.hex
  WORKING_DIRECTORY ${GALE_BINARY_DIR}
  BYPRODUCTS ${GALE_BINARY_DIR}/gale.bin ${GALE_BINARY_DIR}/gale.hex)

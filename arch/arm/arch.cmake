# Cortex-M: compiler and linker flags for every target object, and the image format.
if(CONFIG_CPU_CORTEX_M3)
  set(_cpu cortex-m3)
else()
  message(FATAL_ERROR "arch/arm: no CPU selected (CONFIG_CPU_CORTEX_M3)")
endif()
target_compile_options(gale_interface INTERFACE -mcpu=${_cpu} -mthumb -mabi=aapcs
                       --specs=picolibc.specs -fno-unwind-tables -fno-asynchronous-unwind-tables)
target_link_options(gale_interface INTERFACE -mcpu=${_cpu} -mthumb --specs=picolibc.specs
                    -nostartfiles -Wl,--print-memory-usage -Wl,--no-warn-rwx-segments)

set(GALE_IMAGE_SUFFIX .elf)
set(GALE_LINKER_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/cortex_m/linker.ld.in)
set(GALE_LINKER_ALIGN 4)

# Flash and RAM come from the devicetree's chosen zephyr,flash and zephyr,sram nodes.
foreach(var DT_CHOSEN_FLASH_ADDR DT_CHOSEN_FLASH_SIZE DT_CHOSEN_SRAM_ADDR DT_CHOSEN_SRAM_SIZE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${BOARD}: the devicetree must choose zephyr,flash and zephyr,sram "
                        "nodes with a reg property (${var} is not set)")
  endif()
endforeach()

# The raw binary and Intel HEX images that flash tools take.
add_custom_command(TARGET gale_final POST_BUILD
  COMMAND ${CMAKE_OBJCOPY} -O binary gale.elf gale.bin
  COMMAND ${CMAKE_OBJCOPY} -O ihex gale.elf gale.hex
  WORKING_DIRECTORY ${GALE_BINARY_DIR}
  BYPRODUCTS ${GALE_BINARY_DIR}/gale.bin ${GALE_BINARY_DIR}/gale.hex)

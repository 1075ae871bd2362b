# Cortex-M: compiler and linker flags for every target object, and the image format.
if(CONFIG_CPU_CORTEX_M0)
  set(_cpu cortex-m0)
elseif(CONFIG_CPU_CORTEX_M0PLUS)
  set(_cpu cortex-m0plus)
elseif(CONFIG_CPU_CORTEX_M3)
  set(_cpu cortex-m3)
elseif(CONFIG_CPU_CORTEX_M4)
  set(_cpu cortex-m4)
else()
  message(FATAL_ERROR "arch/arm: no CPU selected (CONFIG_CPU_CORTEX_M0, _M0PLUS, _M3 or _M4)")
endif()

# Floating point: with CONFIG_FPU the hard-float ABI (float values in s-registers), else none of
# the code touches the FPU. The flags go to the link too: they pick the matching picolibc and
# libgcc multilib (thumb/v7e-m+fp/hard for the Cortex-M4F, thumb/v6-m/nofp for the Cortex-M0).
if(CONFIG_FPU)
  if(CONFIG_CPU_CORTEX_M4)
    set(_float -mfloat-abi=hard -mfpu=fpv4-sp-d16)
  else()
    message(FATAL_ERROR "arch/arm: CONFIG_FPU is set, but no FPU type is known for ${_cpu}")
  endif()
else()
  set(_float -mfloat-abi=soft)
endif()

# Inline assembly is in unified syntax everywhere; GCC assumes the old divided syntax for
# Thumb-1 targets (Armv6-M) unless told.
if(CONFIG_ARMV6_M)
  set(_asm_syntax -masm-syntax-unified)
endif()

target_compile_options(gale_interface INTERFACE -mcpu=${_cpu} -mthumb -mabi=aapcs ${_float} ${_asm_syntax}
                       --specs=picolibc.specs -fno-unwind-tables -fno-asynchronous-unwind-tables)
target_link_options(gale_interface INTERFACE -mcpu=${_cpu} -mthumb ${_float}
                    --specs=picolibc.specs -nostartfiles -Wl,--print-memory-usage
                    -Wl,--no-warn-rwx-segments)

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

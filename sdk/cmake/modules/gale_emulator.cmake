# `ninja run` boots the image on the board's emulator (QEMU, or the native_sim program itself).
include_guard(GLOBAL)

if(BOARD_YAML_EMULATOR STREQUAL "qemu")
  if(ARCH STREQUAL "arm")
    set(_qemu qemu-system-arm)
  elseif(ARCH STREQUAL "riscv")
    set(_qemu qemu-system-riscv32)
    # No OpenSBI firmware: the image is the machine-mode program.
    set(_qemu_firmware -bios none)
  endif()
  find_program(GALE_QEMU_${ARCH} ${_qemu})
  if(GALE_QEMU_${ARCH})
    add_custom_target(run
      COMMAND ${GALE_QEMU_${ARCH}} -M ${BOARD_YAML_QEMU_MACHINE} ${_qemu_firmware} -nographic -monitor none
              -serial mon:stdio -semihosting-config enable=on,target=native
              -kernel ${GALE_BINARY_DIR}/gale${GALE_IMAGE_SUFFIX}
      DEPENDS gale_final USES_TERMINAL
      COMMENT "Running ${BOARD} in QEMU (${BOARD_YAML_QEMU_MACHINE}); quit with Ctrl-A x")
  endif()
elseif(BOARD_YAML_EMULATOR STREQUAL "native")
  add_custom_target(run COMMAND ${GALE_BINARY_DIR}/gale${GALE_IMAGE_SUFFIX}
                    DEPENDS gale_final USES_TERMINAL)
endif()

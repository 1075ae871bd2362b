# native_sim: the image is a host program. The application's main() is kept under its own name
# and reached through --wrap=main; the runner's __wrap_main is the process entry (see runner.cc).
target_link_options(gale_interface INTERFACE -Wl,--wrap=main)
# A fixed-address executable: the kernel loads it where it was linked, so the addresses in the
# ELF (`nm`, the RTT control block's symbol) are the running program's, and the pointers the
# program stores match them. galed reads RTT and trace from the running program that way.
target_link_options(gale_interface INTERFACE -no-pie)
set(GALE_IMAGE_SUFFIX .exe)
set(GALE_LINKER_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/linker.ld.in)
set(GALE_LINKER_ALIGN 8)

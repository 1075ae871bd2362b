/*
 * Identification of the image, kept in every link: the Gale version and board a tool can read
 * from the ELF or from target memory.
 */
#include <gale/version.h>

__attribute__((used, section(".rodata.gale_image_info"))) const char gale_image_info[] =
    "Gale " KERNEL_VERSION_STRING " " CONFIG_BOARD;

/*
 * Version of the Gale kernel the image was built with.
 */
#ifndef GALE_VERSION_H_
#define GALE_VERSION_H_

#include <stdint.h>

#include <version_generated.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The kernel version as KERNEL_VERSION_NUMBER packs it: major << 16 | minor << 8 | patch. */
uint32_t sys_kernel_version_get(void);

#define SYS_KERNEL_VER_MAJOR(ver) (((ver) >> 16) & 0xFF)
#define SYS_KERNEL_VER_MINOR(ver) (((ver) >> 8) & 0xFF)
#define SYS_KERNEL_VER_PATCHLEVEL(ver) ((ver)&0xFF)

#ifdef __cplusplus
}
#endif

#endif /* GALE_VERSION_H_ */

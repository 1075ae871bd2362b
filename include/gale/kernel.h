/*
 * The Gale kernel API (Zephyr's kernel.h). The threads, scheduler and kernel objects arrive
 * with the kernel proper; this header already gathers what every application includes.
 */
#ifndef GALE_KERNEL_H_
#define GALE_KERNEL_H_

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/device.h>
#include <gale/init.h>
#include <gale/sys/printk.h>
#include <gale/toolchain.h>
#include <gale/version.h>

#endif /* GALE_KERNEL_H_ */

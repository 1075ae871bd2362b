/*
 * GPIO specifier flags for devicetree sources (the flags cell of `gpios = <&gpio0 3 FLAGS>`)
 * and for C code. Values match the Zephyr 3.7 devicetree GPIO flags so that board files and
 * applications written for Zephyr mean the same thing here.
 *
 * Plain integer expressions only: this file is preprocessed into DTS as well as C.
 */
#ifndef GALE_DT_BINDINGS_GPIO_GPIO_H_
#define GALE_DT_BINDINGS_GPIO_GPIO_H_

/** Bits of the flags cell that these definitions use. */
#define GPIO_DT_FLAGS_MASK 0x3F

/** Logical 1 is a high level. */
#define GPIO_ACTIVE_HIGH 0x0
/** Logical 1 is a low level. */
#define GPIO_ACTIVE_LOW 0x1

/* Output drive: bit 1 selects single-ended, bit 2 which rail a single-ended output drives. */
#define GPIO_PUSH_PULL 0x0
#define GPIO_SINGLE_ENDED 0x2
#define GPIO_LINE_OPEN_SOURCE 0x0
#define GPIO_LINE_OPEN_DRAIN 0x4
/** Drives low only (wired AND). */
#define GPIO_OPEN_DRAIN 0x6
/** Drives high only (wired OR). */
#define GPIO_OPEN_SOURCE 0x2

/** Internal pull-up on. */
#define GPIO_PULL_UP 0x10
/** Internal pull-down on. */
#define GPIO_PULL_DOWN 0x20

/** The pin may wake the system from low-power states. */
#define GPIO_INT_WAKEUP 0x40

#endif /* GALE_DT_BINDINGS_GPIO_GPIO_H_ */

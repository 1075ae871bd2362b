/*
 * Pin functions of STM32F4 parts for devicetree sources: one 32-bit cell per pin, as in
 * `pinmux = <STM32_PINMUX(STM32_PORT_A, 2, 7, 0) STM32_PINMUX(STM32_PORT_A, 3, 7,
 * STM32_PINMUX_PULL_UP)>` (port, pin, alternate function 0..15 from the part's data sheet,
 * "Alternate function mapping", and flags).
 *
 * Cell layout: bits 0-3 alternate function, 4-7 pin, 8-11 port (A = 0), 12-13 pull
 * (GPIOx_PUPDR encoding), 14 open drain.
 *
 * Plain integer expressions only: this file is preprocessed into DTS as well as C.
 */
#ifndef GALE_DT_BINDINGS_PINCTRL_STM32F4_PINCTRL_H_
#define GALE_DT_BINDINGS_PINCTRL_STM32F4_PINCTRL_H_

#define STM32_PORT_A 0
#define STM32_PORT_B 1
#define STM32_PORT_C 2
#define STM32_PORT_D 3
#define STM32_PORT_E 4
#define STM32_PORT_F 5
#define STM32_PORT_G 6
#define STM32_PORT_H 7
#define STM32_PORT_I 8

#define STM32_PINMUX_PULL_UP (1 << 12)
#define STM32_PINMUX_PULL_DOWN (2 << 12)
#define STM32_PINMUX_OPEN_DRAIN (1 << 14)

#define STM32_PINMUX(port, pin, af, flags) \
  (((port) << 8) | ((pin) << 4) | (af) | (flags))

#define STM32_PINMUX_AF(cell) ((cell) & 0xF)
#define STM32_PINMUX_PIN(cell) (((cell) >> 4) & 0xF)
#define STM32_PINMUX_PORT(cell) (((cell) >> 8) & 0xF)
#define STM32_PINMUX_PULL(cell) (((cell) >> 12) & 0x3)

#endif /* GALE_DT_BINDINGS_PINCTRL_STM32F4_PINCTRL_H_ */

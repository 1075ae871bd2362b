/*
 * Peripheral clock specifiers of the STM32F4 RCC for devicetree sources:
 * `clocks = <&rcc STM32_CLOCK_BUS_APB1 17>` names bus and enable bit (the bit of RCC_AHB1ENR,
 * RCC_APB1ENR or RCC_APB2ENR, as listed in RM0090 / RM0368, "RCC registers").
 *
 * Plain integer expressions only: this file is preprocessed into DTS as well as C.
 */
#ifndef GALE_DT_BINDINGS_CLOCK_STM32F4_CLOCK_H_
#define GALE_DT_BINDINGS_CLOCK_STM32F4_CLOCK_H_

#define STM32_CLOCK_BUS_AHB1 0
#define STM32_CLOCK_BUS_APB1 1
#define STM32_CLOCK_BUS_APB2 2

#endif /* GALE_DT_BINDINGS_CLOCK_STM32F4_CLOCK_H_ */

/*
 * STM32F4 SoC services for drivers: bus clock frequencies from the devicetree's rcc node,
 * peripheral clock enables and pin alternate functions. Register layout from RM0090 (F405/407)
 * and RM0368 (F401), sections "Reset and clock control" and "General-purpose I/Os".
 */
#ifndef GALE_SOC_STM32F4_SOC_H_
#define GALE_SOC_STM32F4_SOC_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/devicetree.h>
#include <gale/dt-bindings/clock/stm32f4_clock.h>
#include <gale/dt-bindings/pinctrl/stm32f4_pinctrl.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STM32_RCC_NODE DT_NODELABEL(rcc)

/** SYSCLK in Hz: what the clock set-up produces (rcc `clock-frequency`). */
#define STM32_SYSCLK_HZ DT_PROP(STM32_RCC_NODE, clock_frequency)
/** AHB clock (HCLK, also the core and SysTick clock). */
#define STM32_HCLK_HZ (STM32_SYSCLK_HZ / DT_PROP_OR(STM32_RCC_NODE, ahb_prescaler, 1))
/** APB1 clock (USART2..5). */
#define STM32_PCLK1_HZ (STM32_HCLK_HZ / DT_PROP_OR(STM32_RCC_NODE, apb1_prescaler, 1))
/** APB2 clock (USART1, USART6). */
#define STM32_PCLK2_HZ (STM32_HCLK_HZ / DT_PROP_OR(STM32_RCC_NODE, apb2_prescaler, 1))

/** Clock frequency of @p bus (STM32_CLOCK_BUS_*), 0 for an unknown bus. */
#define STM32_BUS_CLOCK_HZ(bus)                               \
  ((bus) == STM32_CLOCK_BUS_AHB1   ? (uint32_t)STM32_HCLK_HZ  \
   : (bus) == STM32_CLOCK_BUS_APB1 ? (uint32_t)STM32_PCLK1_HZ \
   : (bus) == STM32_CLOCK_BUS_APB2 ? (uint32_t)STM32_PCLK2_HZ \
                                   : 0U)

/**
 * Turn on the clock of a peripheral.
 *
 * @param bus STM32_CLOCK_BUS_AHB1, _APB1 or _APB2 (the `clocks` specifier's bus cell)
 * @param bit its enable bit in RCC_AHB1ENR / RCC_APB1ENR / RCC_APB2ENR
 * @pre any context
 * @retval 0 enabled
 * @retval -EINVAL unknown bus or bit
 */
int stm32_clock_enable(uint32_t bus, uint32_t bit);

/**
 * Give pins to a peripheral: each cell (STM32_PINMUX) sets a pin to alternate function mode
 * with its function number, pull and drive; the GPIO port's clock is turned on.
 *
 * @pre any context
 * @retval 0 configured
 * @retval -EINVAL a cell names a port this part does not have
 */
int stm32_pinmux_configure(const uint32_t *cells, size_t count);

/**
 * Result of the clock set-up at boot.
 *
 * @retval 0 the clock tree runs as the devicetree describes
 * @retval -ETIMEDOUT an oscillator, the PLL or the clock switch never reported ready (for
 *         example on an emulator without an RCC model); the core stays on the 16 MHz HSI
 */
int stm32_clock_status(void);

#ifdef __cplusplus
}
#endif

#endif /* GALE_SOC_STM32F4_SOC_H_ */

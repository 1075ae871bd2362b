/*
 * A hand-written stand-in for gale-dts output, enough for the GPIO API host tests: a GPIO
 * controller /gpio@1000 (ngpios = 8) and a node /leds/led_0 with
 * `gpios = <&gpio0 5 GPIO_ACTIVE_LOW>` (no second entry).
 */
#ifndef GALE_TESTS_DRIVERS_GPIO_DEVICETREE_GENERATED_H_
#define GALE_TESTS_DRIVERS_GPIO_DEVICETREE_GENERATED_H_

#define GDT_FOREACH_OKAY_NODE(fn)
#define GDT_FOREACH_OKAY_NODE_VARGS(fn, ...)

#define GDT_L_gpio0 GDT_N__gpio_1000
#define GDT_N__gpio_1000_EXISTS 1
#define GDT_N__gpio_1000_ORD 3
#define GDT_N__gpio_1000_P_ngpios 8
#define GDT_N__gpio_1000_P_ngpios_EXISTS 1

#define GDT_L_led0 GDT_N__leds__led_0
#define GDT_N__leds__led_0_EXISTS 1
#define GDT_N__leds__led_0_ORD 4
#define GDT_N__leds__led_0_P_gpios_EXISTS 1
#define GDT_N__leds__led_0_P_gpios_LEN 1
#define GDT_N__leds__led_0_P_gpios_IDX_0_EXISTS 1
#define GDT_N__leds__led_0_P_gpios_IDX_0_PH GDT_N__gpio_1000
#define GDT_N__leds__led_0_P_gpios_IDX_0_VAL_pin 5
#define GDT_N__leds__led_0_P_gpios_IDX_0_VAL_pin_EXISTS 1
#define GDT_N__leds__led_0_P_gpios_IDX_0_VAL_flags 1
#define GDT_N__leds__led_0_P_gpios_IDX_0_VAL_flags_EXISTS 1

#endif /* GALE_TESTS_DRIVERS_GPIO_DEVICETREE_GENERATED_H_ */

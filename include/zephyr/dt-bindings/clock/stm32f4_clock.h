#include <gale/dt-bindings/clock/stm32f4_clock.h>

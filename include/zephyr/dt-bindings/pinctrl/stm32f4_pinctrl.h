#include <gale/dt-bindings/pinctrl/stm32f4_pinctrl.h>

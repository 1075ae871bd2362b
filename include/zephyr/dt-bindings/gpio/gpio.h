#include <gale/dt-bindings/gpio/gpio.h>

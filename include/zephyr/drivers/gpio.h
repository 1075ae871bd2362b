#include <gale/drivers/gpio.h>

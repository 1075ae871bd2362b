#include <gale/drivers/uart.h>

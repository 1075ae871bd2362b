#include <gale/irq.h>

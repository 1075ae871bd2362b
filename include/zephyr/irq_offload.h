#include <gale/irq_offload.h>

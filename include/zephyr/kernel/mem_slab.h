#include <gale/kernel/mem_slab.h>

#include <gale/sys/mem_stats.h>

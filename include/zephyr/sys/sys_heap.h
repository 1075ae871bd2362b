#include <gale/sys/sys_heap.h>

#include <gale/kernel/heap.h>

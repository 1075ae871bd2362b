#include <gale/kernel/queue.h>

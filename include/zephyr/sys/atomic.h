#include <gale/sys/atomic.h>

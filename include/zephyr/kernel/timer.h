#include <gale/kernel/timer.h>

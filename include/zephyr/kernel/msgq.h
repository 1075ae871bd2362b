#include <gale/kernel/msgq.h>

#include <gale/kernel/pipe.h>

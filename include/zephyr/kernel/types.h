#include <gale/kernel/types.h>

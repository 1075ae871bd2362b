#include <gale/kernel/stack.h>

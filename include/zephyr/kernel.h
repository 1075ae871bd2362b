#include <gale/kernel.h>

#include <gale/sys/__assert.h>

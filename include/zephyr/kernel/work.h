#include <gale/kernel/work.h>

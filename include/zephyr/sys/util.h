#include <gale/sys/util.h>

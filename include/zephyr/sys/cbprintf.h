#include <gale/sys/cbprintf.h>

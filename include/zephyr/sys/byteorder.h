#include <gale/sys/byteorder.h>

#include <gale/sys/dlist.h>

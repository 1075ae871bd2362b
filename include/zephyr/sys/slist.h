#include <gale/sys/slist.h>

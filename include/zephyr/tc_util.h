#include <gale/tc_util.h>

#include <gale/sys/util_macro.h>

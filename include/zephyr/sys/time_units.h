#include <gale/sys/time_units.h>

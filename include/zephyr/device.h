#include <gale/device.h>

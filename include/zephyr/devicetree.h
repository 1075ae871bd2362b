#include <gale/devicetree.h>

#include <gale/init.h>

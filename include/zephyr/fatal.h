#include <gale/fatal.h>

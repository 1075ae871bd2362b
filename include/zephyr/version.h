#include <gale/version.h>

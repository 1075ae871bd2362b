#include <gale/logging/log.h>

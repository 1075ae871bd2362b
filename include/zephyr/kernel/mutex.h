#include <gale/kernel/mutex.h>

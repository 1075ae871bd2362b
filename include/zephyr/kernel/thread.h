#include <gale/kernel/thread.h>

#include <gale/kernel/condvar.h>

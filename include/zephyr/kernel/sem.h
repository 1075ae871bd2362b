#include <gale/kernel/sem.h>

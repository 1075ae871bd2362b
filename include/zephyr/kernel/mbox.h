#include <gale/kernel/mbox.h>

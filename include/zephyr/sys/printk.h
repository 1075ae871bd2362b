#include <gale/sys/printk.h>

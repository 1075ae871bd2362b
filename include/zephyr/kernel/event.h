#include <gale/kernel/event.h>

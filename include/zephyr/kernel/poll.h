#include <gale/kernel/poll.h>

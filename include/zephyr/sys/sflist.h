#include <gale/sys/sflist.h>

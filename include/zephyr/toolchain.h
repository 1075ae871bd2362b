#include <gale/toolchain.h>

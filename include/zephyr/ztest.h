#include <gale/ztest.h>

#include <gale/ztest_assert.h>

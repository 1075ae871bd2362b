#include <gale/ztest_test.h>

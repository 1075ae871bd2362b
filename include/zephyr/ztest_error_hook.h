#include <gale/ztest_error_hook.h>

#include <gale/logging/log_ctrl.h>

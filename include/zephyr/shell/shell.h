#include <gale/shell/shell.h>

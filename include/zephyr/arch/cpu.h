#include <gale/arch/cpu.h>

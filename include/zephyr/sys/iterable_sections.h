#include <gale/sys/iterable_sections.h>

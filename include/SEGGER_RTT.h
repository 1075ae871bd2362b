/* SEGGER RTT's header name, as Zephyr applications include it. */
#include <gale/rtt.h>

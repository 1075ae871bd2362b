// The logging API compiled as C++: a module defined in a C++ file, used from the suite.
#include <zephyr/logging/log.h>

#include "logging_test.h"

LOG_MODULE_REGISTER(cxx_mod);  // CONFIG_LOG_DEFAULT_LEVEL (WRN)

extern "C" void cxx_log_all(int n) {
  const char *what = "string";
  LOG_ERR("cxx err %d %s", n, what);
  LOG_WRN("cxx wrn %u", static_cast<unsigned>(n));
  LOG_INF("cxx inf %d", n);  // above the default level: compiled out
  static const unsigned char bytes[] = {1, 2, 3};
  LOG_HEXDUMP_WRN(bytes, sizeof(bytes), "cxx bytes");
}

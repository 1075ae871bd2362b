// The ztest headers in C++: a suite with a fixture defined in a C++ translation unit.
#include "ztest_self.h"

int cxx_fixture_checks;

struct cxx_fixture {
  int value;
};

static void *CxxSetup() {
  static cxx_fixture fixture{42};
  return &fixture;
}

ZTEST_F(cxx, test_fixture) {
  zassert_not_null(fixture);
  zassert_equal(fixture->value, 42);
  cxx_fixture_checks++;
}

ZTEST(cxx, test_plain) {
  zassert_true(true, "C++ %s", "works");
  cxx_fixture_checks++;
}

ZTEST_SUITE(cxx, nullptr, CxxSetup, nullptr, nullptr, nullptr);
